/**
 * `ntfy`: one push per run to a topic on ntfy.sh or a self-hosted ntfy server. Published as JSON
 * to the server's root, so check names and errors keep their UTF-8 (the header form squeezes the
 * title into Latin-1). On a public server the topic is the password: it is never shown.
 */
import { int, str, type Raw, type Scope } from "../config/fields.js";
import { baseUrl, joinUrl, postJson } from "../http-client.js";
import { isAlarm, plainText, subjectOf, toneOf, truncate } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";

export interface NtfyOptions {
  server: string;
  topic: string;
  /** An access token (tk_…), sent as Bearer; or `username` + `password`, sent as Basic. */
  token: string;
  username: string;
  password: string;
  /** 1 (min) … 5 (max) for alerts and reminders; other pushes take the server's default (3). */
  priority: number;
  subject: string;
}

/** ntfy's rule for topic names. */
const TOPIC = /^[-_A-Za-z0-9]{1,64}$/;
/** ntfy turns longer messages into attachments. Characters. */
const MAX_MESSAGE = 4096;
/** Emoji shortcodes ntfy shows in front of the title. */
const TAG = { bad: "rotating_light", warn: "warning", good: "white_check_mark" } as const;

function authHeader(o: NtfyOptions): Record<string, string> {
  if (o.token) return { authorization: `Bearer ${o.token}` };
  if (o.username) return { authorization: `Basic ${Buffer.from(`${o.username}:${o.password}`).toString("base64")}` };
  return {};
}

export default {
  parse: (raw: Raw, at: Scope): NtfyOptions => {
    const topic = str(raw, "topic", at, { required: "the topic to publish to, like \"checkup-alerts-7f3k\"" });
    if (topic && !TOPIC.test(topic)) at.problem("topic", "expected a topic name of up to 64 letters, digits, \"-\" and \"_\" (value not shown)");
    const o = {
      server: baseUrl(raw, at, "https://ntfy.sh", "server"),
      topic,
      token: str(raw, "token", at),
      username: str(raw, "username", at),
      password: str(raw, "password", at),
      priority: int(raw, "priority", at, { default: 4, min: 1, max: 5 }),
      subject: str(raw, "subject", at),
    };
    if (o.token && o.username) at.problem("token", "set either token or username and password, not both");
    return o;
  },
  batch: "run",
  format: (notice, o) => ({
    topic: o.topic,
    title: subjectOf(notice, o.subject),
    message: truncate(plainText(notice), MAX_MESSAGE),
    tags: [TAG[toneOf(notice)]],
    ...(isAlarm(notice) && { priority: o.priority }),
  }),
  send: async (payload, o, signal) => void await postJson(joinUrl(o.server, "/"), payload, signal, { headers: authHeader(o) }),
} satisfies NotifierType<NtfyOptions, object>;
