/**
 * `teams`: a Microsoft Teams incoming webhook or Workflows ("Post to a channel when a webhook
 * request is received") URL. Both take a message whose attachment is an Adaptive Card.
 */
import { url, type Raw, type Scope } from "../config/fields.js";
import { postJson } from "../http-client.js";
import { digestLines, facts, headline, toneOf } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";

export interface TeamsOptions {
  webhook: string;
}

const COLOR = { bad: "Attention", warn: "Warning", good: "Good" } as const;

const text = (t: string, extra: object = {}) => ({ type: "TextBlock", text: t, wrap: true, ...extra });

export default {
  parse: (raw: Raw, at: Scope): TeamsOptions => ({
    webhook: url(raw, "webhook", at, {
      secret: true,
      required: "the Teams incoming-webhook or Workflows URL",
      example: "https://prod-00.westeurope.logic.azure.com/workflows/…",
    }),
  }),
  format: (notice) => {
    const body = notice.kind === "digest"
      ? digestLines(notice.digest).map((line, i) => text(line, i === 0 ? { weight: "Bolder" } : {}))
      : notice.events.flatMap((e) => [
        text(headline(e), { weight: "Bolder", size: "Medium", color: COLOR[toneOf({ kind: "events", events: [e] })] }),
        { type: "FactSet", facts: facts(e).map(([title, value]) => ({ title, value })) },
      ]);
    return {
      type: "message",
      attachments: [{
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: { $schema: "http://adaptivecards.io/schemas/adaptive-card.json", type: "AdaptiveCard", version: "1.4", body },
      }],
    };
  },
  send: async (payload, o, signal) => void await postJson(o.webhook, payload, signal),
} satisfies NotifierType<TeamsOptions, object>;
