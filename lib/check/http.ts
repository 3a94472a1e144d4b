/**
 * `http`: one request per attempt on a fresh connection; RTT is the time to the response headers.
 * Redirects are not followed (a 3xx is the answer; accept it with `up_status`), as in checkup.
 */
import { readFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import { bool, isRaw, shown, str, url, type Raw, type Scope } from "../config/fields.js";
import { SECOND } from "../duration.js";
import { elapsedSince, type CheckerType, type Outcome } from "./attempts.js";
import { dialError } from "./dial.js";
import { parseUpStatus, type StatusMatcher } from "./status-match.js";

/** The most body read for must_contain checks; a health page larger than this is cut there. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

interface HttpOptions {
  title: string;
  endpoint: string;
  method: string;
  body: string;
  /** Header name → values, sent joined with ", " (Go's http.Header). */
  headers: Record<string, string>;
  isUp: StatusMatcher;
  mustContain: string;
  mustNotContain: string;
  tlsSkipVerify: boolean;
  tlsCaFile: string;
}

export default {
  defaultTimeout: 10 * SECOND,
  parse: (raw: Raw, at: Scope): HttpOptions => ({
    title: str(raw, "endpoint_name", at),
    endpoint: url(raw, "endpoint_url", at, { required: "the URL to check, e.g. \"https://example.com/health\"" }),
    method: str(raw, "method", at, { default: "GET" }).toUpperCase(),
    body: str(raw, "body", at),
    headers: parseHeaders(raw, at),
    isUp: parseUpStatus(raw, "up_status", at),
    mustContain: str(raw, "must_contain", at),
    mustNotContain: str(raw, "must_not_contain", at),
    tlsSkipVerify: bool(raw, "tls_skip_verify", at),
    tlsCaFile: str(raw, "tls_ca_file", at),
  }),
  attempt: (o, signal) => requestOnce(o, signal),
} satisfies CheckerType<HttpOptions>;

/** `headers`: `{ "Name": ["v1", "v2"] }` as checkup requires, or (extension) `{ "Name": "v" }`. */
function parseHeaders(raw: Raw, at: Scope): Record<string, string> {
  at.used.add("headers");
  const value = raw.headers;
  if (value === undefined || value === null) return {};
  if (!isRaw(value)) {
    at.problem("headers", `expected an object like {"Authorization": ["Bearer ..."]}, got ${shown(value)}`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    const list = typeof v === "string" ? [v] : v;
    if (!Array.isArray(list) || !list.every((x) => typeof x === "string")) {
      at.problem(`headers.${name}`, `expected a list of strings like ["value"], got ${shown(v)}`);
      continue;
    }
    out[name] = list.join(", ");
  }
  return out;
}

async function requestOnce(o: HttpOptions, signal: AbortSignal): Promise<Outcome> {
  const target = new URL(o.endpoint);
  const fail = (rtt: number, reason: string): Outcome => ({ rtt, error: `${methodName(o.method)} ${JSON.stringify(o.endpoint)}: ${reason}` });
  let ca: string | undefined;
  if (o.tlsCaFile) {
    try {
      ca = await readFile(o.tlsCaFile, "utf8");
    } catch {
      return fail(0, "error reading root certificate");
    }
  }
  const started = performance.now();
  const client = target.protocol === "https:" ? https : http;
  return new Promise<Outcome>((resolve) => {
    const req = client.request(target, {
      method: o.method,
      headers: o.headers,
      agent: false, // a fresh connection per attempt, as checkup's keep-alive-less client
      rejectUnauthorized: !o.tlsSkipVerify,
      ca,
      signal,
    });
    req.once("error", (e: Error & { code?: string }) => {
      const rtt = elapsedSince(started);
      if (signal.aborted) return resolve(fail(rtt, "net/http: request canceled (timeout awaiting response)"));
      const address = `${target.hostname}:${target.port || (target.protocol === "https:" ? 443 : 80)}`;
      resolve(fail(rtt, dialError({ host: target.hostname, port: 0, address }, e)));
    });
    req.once("response", (res) => {
      const rtt = elapsedSince(started);
      const status = res.statusCode ?? 0;
      if (!o.isUp(status)) {
        res.destroy();
        return resolve({ rtt, answered: true, error: `response status ${status} ${http.STATUS_CODES[status] ?? ""}`.trimEnd() });
      }
      if (!o.mustContain && !o.mustNotContain) {
        res.destroy();
        return resolve({ rtt, answered: true });
      }
      readBody(res).then((body) => {
        const error = contentError(o, body);
        resolve(error ? { rtt, answered: true, error } : { rtt, answered: true });
      },
        (e: Error) => resolve({ rtt, answered: true, error: `reading response body: ${e.message}` }));
    });
    req.end(o.body || undefined);
  });
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else res.destroy();
    });
    res.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    res.once("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
    res.once("error", reject);
  });
}

/** checkup's texts for a body that fails must_contain / must_not_contain. */
export function contentError(o: { mustContain: string; mustNotContain: string }, body: string): string | undefined {
  if (o.mustContain && !body.includes(o.mustContain)) return `response does not contain '${o.mustContain}'`;
  if (o.mustNotContain && body.includes(o.mustNotContain)) return `response contains '${o.mustNotContain}'`;
  return undefined;
}

/** Go writes the method capitalised in errors: `Get "https://…": …`. */
function methodName(method: string): string {
  return method.charAt(0) + method.slice(1).toLowerCase();
}

