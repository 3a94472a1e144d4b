/**
 * `gotify`: one message per run to a self-hosted Gotify server (`POST /message`, authorised by
 * an application token in the X-Gotify-Key header, so it never appears in a URL).
 */
import { int, str, url, type Raw, type Scope } from "../config/fields.js";
import { joinUrl, postJson } from "../http-client.js";
import { isAlarm, plainText, subjectOf } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";

export interface GotifyOptions {
  server: string;
  token: string;
  /** 0 … 10 for alerts and reminders; other messages take the application's default priority. */
  priority: number;
  subject: string;
}

export default {
  parse: (raw: Raw, at: Scope): GotifyOptions => ({
    server: url(raw, "server", at, { required: "your Gotify server's URL", example: "https://gotify.example.com" }),
    token: str(raw, "token", at, { required: "the token of a Gotify application (Apps → Create Application)" }),
    priority: int(raw, "priority", at, { default: 8, min: 0, max: 10 }),
    subject: str(raw, "subject", at),
  }),
  batch: "run",
  format: (notice, o) => ({
    title: subjectOf(notice, o.subject),
    message: plainText(notice),
    ...(isAlarm(notice) && { priority: o.priority }),
  }),
  send: async (payload, o, signal) => void await postJson(joinUrl(o.server, "/message"), payload, signal, { headers: { "x-gotify-key": o.token } }),
} satisfies NotifierType<GotifyOptions, object>;
