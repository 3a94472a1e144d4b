/**
 * `http`: one request per attempt on a fresh connection; RTT is the time to the response headers.
 * Redirects are not followed (a 3xx is the answer; accept it with `up_status`), as in checkup.
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { bool, isRaw, kindShown, shown, str, url, type Raw, type Scope } from "../config/fields.js";
import { SECOND } from "../duration.js";
import { messageOf } from "../errors.js";
import { elapsedSince } from "../checking/attempts.js";
import { dialError, dialReason, readRoots, verifyError } from "../checking/dial.js";
import { parseUpStatus, type StatusMatcher } from "../checking/status-match.js";
import { PACKAGE } from "../package-info.js";
import type { CheckerType, Outcome } from "../plugin-types.js";
import { redactUrl } from "../redact.js";

/** The most body read for must_contain checks; a health page larger than this is cut there. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

interface HttpOptions {
  title: string;
  /** The URL as shown in results, errors and metrics: its userinfo redacted. */
  endpoint: string;
  /** The URL requested, credentials included. */
  url: string;
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
    ...endpointUrl(raw, at),
    method: parseMethod(raw, at),
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

/** `endpoint_url`: requested as written; shown (and stored) without its userinfo. */
function endpointUrl(raw: Raw, at: Scope): Pick<HttpOptions, "endpoint" | "url"> {
  const text = url(raw, "endpoint_url", at, { required: "the URL to check, e.g. \"https://example.com/health\"" });
  return { endpoint: redactUrl(text), url: text };
}

/** `method` (extension; checkup always sends GET): an HTTP token such as "HEAD" or "POST". */
function parseMethod(raw: Raw, at: Scope): string {
  const method = str(raw, "method", at, { default: "GET" }).toUpperCase();
  if (/^[!#$%&'*+.^_`|~0-9A-Z-]+$/.test(method)) return method;
  at.problem("method", `expected an HTTP method like "GET" or "POST", got ${shown(method)}`);
  return "GET";
}

/**
 * Sent unless `headers` sets one: some servers and firewalls refuse requests without a
 * User-Agent (Go's client always sent `Go-http-client/1.1`).
 */
const USER_AGENT = `checkup/${PACKAGE.version}`;

/** `headers`: `{ "Name": ["v1", "v2"] }` as checkup requires, or (extension) `{ "Name": "v" }`. */
function parseHeaders(raw: Raw, at: Scope): Record<string, string> {
  const headers = readHeaders(raw, at);
  if (!Object.keys(headers).some((name) => name.toLowerCase() === "user-agent")) headers["User-Agent"] = USER_AGENT;
  return headers;
}

function readHeaders(raw: Raw, at: Scope): Record<string, string> {
  const values = { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] };
  at.describe("headers", { type: "object", additionalProperties: values, examples: [{ Authorization: ["Bearer ${API_TOKEN}"] }] });
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
      // Header values are often credentials (Authorization, X-Api-Key): never quoted.
      at.problem(`headers.${name}`, `expected a list of strings like ["value"], got ${kindShown(v)}`);
      continue;
    }
    if (list.length === 0) continue; // Go sends no header for an empty list
    const joined = name.toLowerCase() === "host" ? list[0]! : list.join(", "); // Go takes Host's first value
    try {
      http.validateHeaderName(name);
      http.validateHeaderValue(name, joined);
    } catch (e) {
      at.problem(`headers.${name}`, `cannot be sent: ${messageOf(e)}`);
      continue;
    }
    out[name] = joined;
  }
  return out;
}

async function requestOnce(o: HttpOptions, signal: AbortSignal): Promise<Outcome> {
  const target = new URL(o.url);
  const secure = target.protocol === "https:";
  const fail = (rtt: number, reason: string): Outcome => ({ rtt, error: `${methodName(o.method)} ${JSON.stringify(o.endpoint)}: ${reason}` });
  let ca: string | undefined;
  if (secure && o.tlsCaFile) {
    const roots = await readRoots(o.tlsCaFile);
    if ("error" in roots) return fail(0, roots.error);
    ca = roots.pem;
  }
  const host = target.hostname.replace(/^\[|\]$/g, "");
  const address = `${target.hostname}:${target.port || (secure ? 443 : 80)}`;
  const started = performance.now();
  return new Promise<Outcome>((resolve) => {
    const req = (secure ? https : http).request({
      protocol: target.protocol,
      hostname: host,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      ...(target.username && { auth: `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}` }),
      method: o.method,
      headers: o.headers,
      agent: false, // a fresh connection per attempt, as checkup's keep-alive-less client
      rejectUnauthorized: !o.tlsSkipVerify,
      ca,
      // SNI and verification follow the URL, never a Host header (Node would take it; Go does not).
      servername: net.isIP(host) ? "" : host,
    });
    // Aborting by hand: handing `signal` to request() attaches stream watchers per request that
    // cost more than the request itself in a round of 1,000 checks.
    const abort = () => req.destroy(Object.assign(new Error("aborted"), { code: "ABORT_ERR" }));
    signal.addEventListener("abort", abort, { once: true });
    req.once("close", () => signal.removeEventListener("abort", abort));
    let connected = false;
    req.once("socket", (socket) => socket.once("connect", () => (connected = true)));
    // `on`, not `once`: a socket can fail twice (reset, then abort), and an unheard error would crash.
    req.on("error", (e: Error & { code?: string }) => {
      const rtt = elapsedSince(started);
      if (signal.aborted) return resolve(fail(rtt, "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"));
      const reason = verifyError(e.code, e.message) ??
        (connected ? afterConnect(e) : dialError({ host, port: 0, address }, e));
      resolve(fail(rtt, reason));
    });
    req.once("response", (res) => {
      const rtt = elapsedSince(started);
      resolve(judgeResponse(o, res, signal).then((error) => (error ? { rtt, answered: true, error } : { rtt, answered: true })));
    });
    req.end(o.body || undefined);
  });
}

/** Go's words for a connection that broke after it was made: a server hanging up is `EOF`. */
function afterConnect(e: Error & { code?: string }): string {
  return e.code === "ECONNRESET" && e.message === "socket hang up" ? "EOF" : dialReason(e);
}

/** checkup's order: the status first, then (reading the body only if needed) the content rules. */
async function judgeResponse(o: HttpOptions, res: http.IncomingMessage, signal: AbortSignal): Promise<string | undefined> {
  const status = res.statusCode ?? 0;
  if (!o.isUp(status)) {
    discard(res);
    // Go prints the status line as the server sent it, e.g. `205 Reset Content`.
    return `response status ${status} ${res.statusMessage || http.STATUS_CODES[status] || ""}`.trimEnd();
  }
  if (!o.mustContain && !o.mustNotContain) {
    discard(res);
    return undefined;
  }
  try {
    return contentError(o, await readBody(res));
  } catch (e) {
    const why = signal.aborted ? "context deadline exceeded (Client.Timeout or context cancellation while reading body)" : messageOf(e);
    return `reading response body: ${why}`;
  }
}

/**
 * Drops a body nobody reads, as Go closes an unread body. One that came with the headers (the
 * usual small health page) ends the ordinary way, with no reset and no error object; any still
 * on its way once this packet is parsed is cut, so a long, stalled or trickling body never keeps
 * a socket (or the process) alive after the attempt.
 */
function discard(res: http.IncomingMessage): void {
  res.on("error", () => undefined);
  res.resume();
  setImmediate(() => {
    if (!res.complete) res.destroy();
  });
}

/** The body as text, cut at MAX_BODY_BYTES; rejects when the connection breaks before the end. */
function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let cut = false;
    const text = () => Buffer.concat(chunks).toString("utf8");
    res.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else {
        cut = true;
        res.destroy();
      }
    });
    res.once("end", () => resolve(text()));
    res.on("error", (e) => (cut ? resolve(text()) : reject(e)));
    res.once("close", () => (cut || res.complete ? resolve(text()) : reject(new Error("unexpected EOF"))));
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

