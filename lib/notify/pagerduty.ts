/**
 * `pagerduty`: Events API v2. An alert triggers an incident under a dedup key derived from the
 * check, so reminders add to the same incident and the recovery resolves it.
 */
import { oneOf, str, type Raw, type Scope } from "../config/fields.js";
import { baseUrl, joinUrl, postJson } from "../http-client.js";
import { dedupKey, detailsOf, headline, isoTime, nameOf } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";
import type { AlertEvent } from "../types.js";

export interface PagerDutyOptions {
  routingKey: string;
  baseUrl: string;
  /** Severity for a down check; a degraded one is always "warning". */
  severity: "critical" | "error" | "warning" | "info";
}

function eventBody(e: AlertEvent, o: PagerDutyOptions): object {
  const common = { routing_key: o.routingKey, dedup_key: dedupKey(e) };
  if (e.kind === "recovered") return { ...common, event_action: "resolve" };
  return {
    ...common,
    event_action: "trigger",
    client: "checkup",
    payload: {
      summary: headline(e).slice(0, 1024),
      source: e.endpoint || nameOf(e),
      severity: e.status === "degraded" ? "warning" : o.severity,
      timestamp: isoTime(e.at),
      component: nameOf(e),
      custom_details: detailsOf(e),
    },
  };
}

export default {
  parse: (raw: Raw, at: Scope): PagerDutyOptions => ({
    routingKey: str(raw, "routing_key", at, { secret: true, required: "the integration key of an Events API v2 integration (32 characters)" }),
    baseUrl: baseUrl(raw, at, "https://events.pagerduty.com"),
    severity: oneOf(raw, "severity", at, ["critical", "error", "warning", "info"] as const, "critical"),
  }),
  digest: false,
  format: (notice, o) => {
    if (notice.kind === "digest") throw new Error("pagerduty takes no digest");
    // batch "event": exactly one event per notice.
    return eventBody(notice.events[0]!, o);
  },
  send: async (payload, o, signal) => void await postJson(joinUrl(o.baseUrl, "/v2/enqueue"), payload, signal),
} satisfies NotifierType<PagerDutyOptions, object>;
