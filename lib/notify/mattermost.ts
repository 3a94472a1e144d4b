/**
 * `mattermost`: an incoming webhook. One message per event: the headline as `text`, with the
 * facts as a message attachment (the Slack shape, which Mattermost takes) coloured by status.
 */
import { str, url, type Raw, type Scope } from "../config/fields.js";
import { postJson } from "../http-client.js";
import { attachment } from "./slack.js";
import { headline, plainText, TONE_RGB, toneOf } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";

export interface MattermostOptions {
  webhook: string;
  username: string;
  channel: string;
  iconUrl: string;
}

/** Mattermost wants attachment colours as "#rrggbb". */
const hex = (rgb: number) => `#${rgb.toString(16).padStart(6, "0")}`;

export default {
  parse: (raw: Raw, at: Scope): MattermostOptions => ({
    webhook: url(raw, "webhook", at, { required: "your Mattermost incoming-webhook URL", example: "https://chat.example.com/hooks/xxx-generatedkey-xxx" }),
    username: str(raw, "username", at),
    channel: str(raw, "channel", at),
    iconUrl: str(raw, "icon_url", at),
  }),
  format: (notice, o) => {
    const who = { ...(o.username && { username: o.username }), ...(o.channel && { channel: o.channel }), ...(o.iconUrl && { icon_url: o.iconUrl }) };
    if (notice.kind === "digest") return { ...who, text: plainText(notice) };
    return {
      ...who,
      text: notice.events.map(headline).join("\n"),
      attachments: notice.events.map((e) => attachment(e, hex(TONE_RGB[toneOf({ kind: "events", events: [e] })]))),
    };
  },
  send: async (payload, o, signal) => void await postJson(o.webhook, payload, signal),
} satisfies NotifierType<MattermostOptions, object>;
