/**
 * `webhook`: a generic JSON POST, one per run, for anything else (n8n, a script). The body is
 * documented in docs/notifiers.md and is versioned: fields are only ever added.
 */
import { kindShown, record, shown, url, type Raw, type Scope } from "../config/fields.js";
import { formatHumanDuration } from "../duration.js";
import { postJson } from "../http-client.js";
import { headline, isoTime, plainText, summaryOf } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";
import type { AlertEvent, Digest } from "../types.js";

export interface WebhookOptions {
  url: string;
  headers: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~\w-]+$/;

function headers(raw: Raw, at: Scope): Record<string, string> {
  const h = record(raw, "headers", at) ?? {};
  at.describe("headers", { type: "object", additionalProperties: { type: "string" }, examples: [{ Authorization: "Bearer ${HOOK_TOKEN}" }] });
  const scope = at.child("headers");
  for (const [name, value] of Object.entries(h)) {
    if (!TOKEN.test(name)) scope.problem(name, `not a valid header name ${shown(name)}`);
    // Values are often tokens: say what is wrong without showing them.
    else if (typeof value !== "string") scope.problem(name, `expected a string value like "Bearer …", got ${kindShown(value)}`);
  }
  return Object.fromEntries(Object.entries(h).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}

const eventJson = (e: AlertEvent) => ({
  kind: e.kind,
  check: e.title,
  endpoint: e.endpoint,
  status: e.status,
  previous: e.previous,
  reason: e.reason,
  time: isoTime(e.at),
  since: isoTime(e.since),
  duration_ns: e.duration,
  duration: formatHumanDuration(e.duration),
  text: headline(e),
  key: e.key,
});

const digestJson = (d: Digest) => ({
  time: isoTime(d.at),
  since: d.since !== undefined ? isoTime(d.since) : undefined,
  checks: d.checks.map((c) => ({ check: c.title, endpoint: c.endpoint, status: c.status, since: isoTime(c.since), reason: c.reason })),
  incidents: d.incidents.map((i) => ({ check: i.title, endpoint: i.endpoint, status: i.status, previous: i.previous, time: isoTime(i.at) })),
});

export default {
  parse: (raw: Raw, at: Scope): WebhookOptions => ({
    url: url(raw, "url", at, { secret: true, required: "the URL to POST to", example: "https://example.com/hooks/checkup" }),
    headers: headers(raw, at),
  }),
  batch: "run",
  format: (notice) => ({
    version: 1,
    kind: notice.kind,
    summary: summaryOf(notice),
    text: plainText(notice),
    ...(notice.kind === "events" ? { events: notice.events.map(eventJson) } : { digest: digestJson(notice.digest) }),
  }),
  send: async (payload, o, signal) => void await postJson(o.url, payload, signal, { headers: o.headers }),
} satisfies NotifierType<WebhookOptions, object>;
