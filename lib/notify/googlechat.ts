/**
 * `googlechat`: a Google Chat space's incoming webhook, one plain-text message per event. The
 * webhook's key and token sit in its query string: errors show only the origin.
 */
import { url, type Raw, type Scope } from "../config/fields.js";
import { postJson } from "../http-client.js";
import { plainText, truncate } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";

export interface GoogleChatOptions {
  webhook: string;
}

/** Google Chat's limit for a message's text is 4096 characters. */
const MAX_TEXT = 4096;

export default {
  parse: (raw: Raw, at: Scope): GoogleChatOptions => ({
    webhook: url(raw, "webhook", at, {
      required: "the space's webhook URL (Apps & integrations → Webhooks)",
      example: "https://chat.googleapis.com/v1/spaces/AAAA/messages?key=…&token=…",
    }),
  }),
  format: (notice) => ({ text: truncate(plainText(notice), MAX_TEXT) }),
  send: async (payload, o, signal) => void await postJson(o.webhook, payload, signal),
} satisfies NotifierType<GoogleChatOptions, object>;
