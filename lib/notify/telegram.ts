/**
 * `telegram`: a bot's sendMessage (Bot API). Plain text, so check names and errors need no
 * escaping. The token sits in the URL path, so errors show only the origin.
 */
import { shown, str, type Raw, type Scope } from "../config/fields.js";
import { baseUrl, joinUrl, postJson } from "../http-client.js";
import { plainText, truncate } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";

export interface TelegramOptions {
  token: string;
  chatId: string;
  baseUrl: string;
}

/** Telegram's limit for one message's text. */
const MAX_TEXT = 4096;

const CHAT_ID = "the chat id (a number like -1001234567890, or \"@channelname\")";

/** `chat_id`: a number, or a string (a @channel name, or an id too long for a JSON number). */
function chatId(raw: Raw, at: Scope): string {
  const chat = raw.chat_id;
  // A chat id past 2^53 would be rounded to someone else's chat: write it as a string.
  if (typeof chat === "number" && !Number.isSafeInteger(chat)) at.problem("chat_id", `expected a chat id like -1001234567890 or "@channel", got ${shown(chat)}`);
  const id = typeof chat === "number" ? (at.used.add("chat_id"), String(chat)) : str(raw, "chat_id", at, { required: CHAT_ID });
  at.describe("chat_id", { anyOf: [{ type: "integer" }, { type: "string" }], description: CHAT_ID }, true);
  return id;
}

export default {
  parse: (raw: Raw, at: Scope): TelegramOptions => {
    const token = str(raw, "token", at, { secret: true, required: "the bot token from @BotFather, like \"123456789:AAE…\"" });
    // Never echo the token: it is the bot's password.
    if (token && !/^\d+:[\w-]+$/.test(token)) at.problem("token", "expected a bot token like \"123456789:AAE…\" from @BotFather (value not shown)");
    return { token, chatId: chatId(raw, at), baseUrl: baseUrl(raw, at, "https://api.telegram.org") };
  },
  format: (notice, o) => ({ chat_id: o.chatId, text: truncate(plainText(notice), MAX_TEXT), disable_web_page_preview: true }),
  send: async (payload, o, signal) => void await postJson(joinUrl(o.baseUrl, `/bot${o.token}/sendMessage`), payload, signal),
} satisfies NotifierType<TelegramOptions, object>;
