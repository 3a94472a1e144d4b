/**
 * `discord`: a channel webhook (checkup's field: `webhook`). One message per event with an embed
 * holding the facts; Discord answers 204 No Content.
 */
import { str, url, type Raw, type Scope } from "../config/fields.js";
import type { NotifierType } from "./index.js";
import { postJson } from "./http.js";
import { facts, headline, isoTime, nameOf, plainText, toneOf } from "./text.js";

export interface DiscordOptions {
  webhook: string;
  username: string;
  avatarUrl: string;
}

/** Embed colours as 24-bit integers: checkup's red, an amber, a green. */
const COLOR = { bad: 0xc21408, warn: 0xf0a30a, good: 0x2e7d32 } as const;
/** Discord's limits: content 2000 characters, embed title 256, field value 1024. */
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export default {
  parse: (raw: Raw, at: Scope): DiscordOptions => ({
    webhook: url(raw, "webhook", at, { secret: true, required: "your Discord webhook URL", example: "https://discord.com/api/webhooks/123/abc" }),
    username: str(raw, "username", at, { default: "Checkup" }),
    avatarUrl: str(raw, "avatar_url", at),
  }),
  format: (notice, o) => {
    const who = { username: o.username, ...(o.avatarUrl && { avatar_url: o.avatarUrl }) };
    if (notice.kind === "digest") return { ...who, content: cut(plainText(notice), 2000) };
    return {
      ...who,
      content: cut(notice.events.map(headline).join("\n"), 2000),
      embeds: notice.events.map((e) => ({
        title: cut(nameOf(e), 256),
        color: COLOR[toneOf({ kind: "events", events: [e] })],
        fields: facts(e).slice(1).map(([name, value]) => ({ name, value: cut(value, 1024), inline: name !== "Endpoint" && name !== "Error" })),
        timestamp: isoTime(e.at),
      })),
    };
  },
  send: async (payload, o, signal) => void await postJson(o.webhook, payload, signal),
} satisfies NotifierType<DiscordOptions, object>;
