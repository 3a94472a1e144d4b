/**
 * `opsgenie`: Opsgenie's Alert API. An alert creates (or, for a reminder, adds to) an alert under
 * an alias derived from the check, so the recovery closes that same alert. The API key goes in
 * "Authorization: GenieKey …" only.
 */
import { oneOf, str, strList, type Raw, type Scope } from "../config/fields.js";
import { baseUrl, joinUrl, postJson } from "../http-client.js";
import { dedupKey, detailsOf, headline, nameOf, plainText, truncate } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";
import type { AlertEvent } from "../types.js";

export interface OpsgenieOptions {
  apiKey: string;
  baseUrl: string;
  /** Priority for a down check; a degraded one is always P3 (Opsgenie's default). */
  priority: "P1" | "P2" | "P3" | "P4" | "P5";
  tags: string[];
}

/** The request for one event: where it goes, and the JSON body. */
export interface OpsgeniePayload {
  path: string;
  body: object;
}

const BASE = { us: "https://api.opsgenie.com", eu: "https://api.eu.opsgenie.com" } as const;

function createAlert(e: AlertEvent, o: OpsgenieOptions): OpsgeniePayload {
  return {
    path: "/v2/alerts",
    // Opsgenie's limits: message 130 characters, alias and entity 512, description 15000.
    body: {
      message: truncate(headline(e), 130),
      alias: dedupKey(e),
      description: truncate(plainText({ kind: "events", events: [e] }), 15_000),
      source: "checkup",
      entity: truncate(nameOf(e), 512),
      priority: e.status === "degraded" ? "P3" : o.priority,
      ...(o.tags.length > 0 && { tags: o.tags }),
      details: detailsOf(e),
    },
  };
}

export default {
  parse: (raw: Raw, at: Scope): OpsgenieOptions => {
    const region = oneOf(raw, "region", at, ["us", "eu"] as const, "us");
    return {
      apiKey: str(raw, "api_key", at, { required: "the API key of an Opsgenie API integration" }),
      baseUrl: baseUrl(raw, at, BASE[region]),
      priority: oneOf(raw, "priority", at, ["P1", "P2", "P3", "P4", "P5"] as const, "P1"),
      tags: strList(raw, "tags", at),
    };
  },
  digest: false,
  format: (notice, o) => {
    if (notice.kind === "digest") throw new Error("opsgenie takes no digest");
    // batch "event": exactly one event per notice.
    const e = notice.events[0]!;
    if (e.kind !== "recovered") return createAlert(e, o);
    return { path: `/v2/alerts/${dedupKey(e)}/close?identifierType=alias`, body: { source: "checkup", note: headline(e) } };
  },
  send: async (p, o, signal) => void await postJson(joinUrl(o.baseUrl, p.path), p.body, signal, { headers: { authorization: `GenieKey ${o.apiKey}` } }),
} satisfies NotifierType<OpsgenieOptions, OpsgeniePayload>;
