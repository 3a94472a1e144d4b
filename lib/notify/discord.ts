/**
 * `discord`: a channel webhook (checkup's field: `webhook`). One message per event with an embed
 * holding the facts; Discord answers 204 No Content.
 */
import { str, url, type Raw, type Scope } from "../config/fields.js";
import { postJson } from "../http-client.js";
import { facts, headline, isoTime, nameOf, plainText, TONE_RGB, toneOf, truncate } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";

export interface DiscordOptions {
  webhook: string;
  username: string;
  avatarUrl: string;
}

// Discord's limits: content 2000 characters, embed title 256, field value 1024.

export default {
  parse: (raw: Raw, at: Scope): DiscordOptions => ({
    webhook: url(raw, "webhook", at, { secret: true, required: "your Discord webhook URL", example: "https://discord.com/api/webhooks/123/abc" }),
    username: str(raw, "username", at, { default: "Checkup" }),
    avatarUrl: str(raw, "avatar_url", at),
  }),
  format: (notice, o) => {
    const who = { username: o.username, ...(o.avatarUrl && { avatar_url: o.avatarUrl }) };
    if (notice.kind === "digest") return { ...who, content: truncate(plainText(notice), 2000) };
    return {
      ...who,
      content: truncate(notice.events.map(headline).join("\n"), 2000),
      embeds: notice.events.map((e) => ({
        title: truncate(nameOf(e), 256),
        color: TONE_RGB[toneOf({ kind: "events", events: [e] })],
        fields: facts(e).slice(1).map(([name, value]) => ({ name, value: truncate(value, 1024), inline: name !== "Endpoint" && name !== "Error" })),
        timestamp: isoTime(e.at),
      })),
    };
  },
  send: async (payload, o, signal) => void await postJson(o.webhook, payload, signal),
} satisfies NotifierType<DiscordOptions, object>;
