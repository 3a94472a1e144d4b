/**
 * `pushover`: one push per run (checkup's fields: `token` = application token, `recipient` = user
 * or group key, `subject` = title prefix).
 */
import { int, str, type Raw, type Scope } from "../config/fields.js";
import { baseUrl, joinUrl, postForm } from "../http-client.js";
import { plainText, subjectOf, truncate } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";

export interface PushoverOptions {
  token: string;
  recipient: string;
  subject: string;
  /** -2 (silent) … 2 (emergency needs retry/expire, so 1 is the highest offered). */
  priority: number;
  baseUrl: string;
}

export default {
  parse: (raw: Raw, at: Scope): PushoverOptions => ({
    token: str(raw, "token", at, { secret: true, required: "your Pushover application's API token" }),
    recipient: str(raw, "recipient", at, { secret: true, required: "the user or group key to notify" }),
    subject: str(raw, "subject", at),
    priority: int(raw, "priority", at, { default: 0, min: -2, max: 1 }),
    baseUrl: baseUrl(raw, at, "https://api.pushover.net"),
  }),
  batch: "run",
  format: (notice, o) => {
    const at = notice.kind === "digest" ? notice.digest.at : notice.events[0]?.at ?? 0n;
    return [
      ["token", o.token],
      ["user", o.recipient],
      // Pushover's limits: title 250 characters, message 1024.
      ["title", truncate(subjectOf(notice, o.subject), 250)],
      ["message", truncate(plainText(notice), 1024)],
      ["timestamp", String(at / 1_000_000_000n)],
      ...(o.priority !== 0 ? [["priority", String(o.priority)] as [string, string]] : []),
    ] as [string, string][];
  },
  send: async (fields, o, signal) => void await postForm(joinUrl(o.baseUrl, "/1/messages.json"), fields, signal),
} satisfies NotifierType<PushoverOptions, [string, string][]>;
