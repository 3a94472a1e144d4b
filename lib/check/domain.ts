/**
 * `domain`: a domain's registration expiry, read over RDAP (RFC 9083, the successor of whois):
 * GET `<rdap_url>domain/<name>`, redirects followed, and the `expiration` event taken. Expired →
 * down; expiring within `expiry_threshold` → degraded. RTT is the whole request.
 */
import http from "node:http";
import { nanos, str, url, type Raw, type Scope } from "../config/fields.js";
import { DAY, SECOND, type Nanos } from "../duration.js";
import { elapsedSince } from "../checking/attempts.js";
import { dialReason } from "../checking/dial.js";
import { expiredError, expiryVerdict, type Expiry } from "../checking/expiry.js";
import { parseHostName } from "../checking/host-name.js";
import type { CheckerType, Outcome } from "../plugin-types.js";

/** rdap.org redirects each query to the registry's own RDAP server (IANA's bootstrap list). */
const DEFAULT_RDAP_URL = "https://rdap.org/";
/** RDAP domain replies are a few kB; a larger one is cut off and refused. */
const MAX_REPLY_BYTES = 1024 * 1024;

interface DomainOptions {
  title: string;
  endpoint: string;
  /** The RDAP base URL, ending in "/". */
  rdapUrl: string;
  /** A registration expiring sooner than this marks the result degraded. Integer ns. */
  expiryThreshold: Nanos;
}

export default {
  defaultTimeout: 10 * SECOND,
  parse: (raw: Raw, at: Scope): DomainOptions => {
    const title = str(raw, "endpoint_name", at);
    const endpoint = parseHostName(raw, at, { ip: false, example: "example.com" }).replace(/\.$/, "");
    const given = str(raw, "rdap_url", at) && url(raw, "rdap_url", at, { example: "https://rdap.verisign.com/com/v1/" });
    const rdap = given || DEFAULT_RDAP_URL;
    return {
      title,
      endpoint,
      rdapUrl: rdap.endsWith("/") ? rdap : `${rdap}/`,
      expiryThreshold: nanos(raw, "expiry_threshold", at, { default: 30 * DAY }),
    };
  },
  attempt: async (o, signal): Promise<Outcome<Expiry>> => {
    const started = performance.now();
    const reply = await lookUp(o, signal);
    const rtt = elapsedSince(started);
    if ("error" in reply) return { rtt, error: `RDAP: ${reply.error}` };
    const notAfterMs = expirationOf(reply.json);
    if (notAfterMs === undefined) return { rtt, answered: true, error: "RDAP: the reply has no expiration event" };
    const detail = { notAfterMs };
    const error = expiredError("registration", notAfterMs);
    return error ? { rtt, answered: true, detail, error } : { rtt, answered: true, detail };
  },
  judge: (o, outcomes, verdict) => expiryVerdict("registration", o.expiryThreshold, outcomes, verdict).verdict,
} satisfies CheckerType<DomainOptions, Expiry>;

/** The parsed reply, or why there is none. A failure after the abort is rethrown (a timeout). */
async function lookUp(o: DomainOptions, signal: AbortSignal): Promise<{ json: unknown } | { error: string }> {
  let res: Response;
  try {
    res = await fetch(`${o.rdapUrl}domain/${o.endpoint}`, { signal, headers: { accept: "application/rdap+json" } });
  } catch (e) {
    signal.throwIfAborted();
    const cause = (e as Error).cause;
    return { error: `request failed: ${dialReason(cause instanceof Error ? cause : (e as Error))}` };
  }
  if (res.status === 404) return cancelled(res, "the registry does not know this domain (404)");
  if (res.status !== 200) return cancelled(res, `response status ${res.status} ${http.STATUS_CODES[res.status] ?? ""}`.trimEnd());
  const text = await cappedText(res);
  if (text === undefined) return { error: `the reply is larger than ${MAX_REPLY_BYTES} bytes` };
  try {
    return { json: JSON.parse(text) };
  } catch {
    return { error: "the reply is not JSON" };
  }
}

async function cancelled(res: Response, error: string): Promise<{ error: string }> {
  await res.body?.cancel();
  return { error };
}

/** The body as text, or undefined once it passes MAX_REPLY_BYTES (the rest is not read). */
async function cappedText(res: Response): Promise<string | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  for (let part = await reader?.read(); part && !part.done; part = await reader!.read()) {
    size += part.value.length;
    if (size > MAX_REPLY_BYTES) {
      await reader!.cancel();
      return undefined;
    }
    chunks.push(part.value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The `events[]` entry with `eventAction: "expiration"` (RFC 9083 §4.5), in ms since the epoch. */
function expirationOf(json: unknown): number | undefined {
  const events = (json as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return undefined;
  const event = events.find((e) => (e as { eventAction?: unknown })?.eventAction === "expiration") as { eventDate?: unknown } | undefined;
  const ms = typeof event?.eventDate === "string" ? Date.parse(event.eventDate) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}
