/**
 * `slack`: an incoming webhook (checkup's fields: `webhook`, `username`, `channel`). One message
 * per event: the headline as `text`, and an attachment with the facts, coloured by status.
 */
import { str, url, type Raw, type Scope } from "../config/fields.js";
import { postJson } from "../http-client.js";
import { facts, headline, plainText, toneOf } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";
import type { AlertEvent } from "../types.js";

export interface SlackOptions {
  webhook: string;
  username: string;
  channel: string;
}

const COLOR = { bad: "danger", warn: "warning", good: "good" } as const;
/** Facts short enough to sit two to a row. */
const SHORT = new Set(["Check", "Status", "Down for", "Outage"]);

/** One event's facts as a Slack attachment; Mattermost's incoming webhooks take the same shape. */
export function attachment(e: AlertEvent, color: string) {
  return { color, fallback: headline(e), fields: facts(e).map(([title, value]) => ({ title, value, short: SHORT.has(title) })) };
}

export default {
  parse: (raw: Raw, at: Scope): SlackOptions => ({
    webhook: url(raw, "webhook", at, { secret: true, required: "your Slack incoming-webhook URL", example: "https://hooks.slack.com/services/T000/B000/XXXX" }),
    username: str(raw, "username", at),
    channel: str(raw, "channel", at),
  }),
  format: (notice, o) => {
    const who = { ...(o.username && { username: o.username }), ...(o.channel && { channel: o.channel }) };
    if (notice.kind === "digest") return { ...who, text: plainText(notice) };
    return {
      ...who,
      text: notice.events.map(headline).join("\n"),
      attachments: notice.events.map((e) => ({
        ...attachment(e, COLOR[toneOf({ kind: "events", events: [e] })]),
        ts: Number(e.at / 1_000_000_000n),
      })),
    };
  },
  send: async (payload, o, signal) => void await postJson(o.webhook, payload, signal),
} satisfies NotifierType<SlackOptions, object>;
