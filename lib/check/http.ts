/**
 * `http`: one request per attempt on a fresh connection; RTT is the time to the (final) response
 * headers. Redirects are not followed (a 3xx is the answer; accept it with `up_status`), as in
 * checkup, unless `follow_redirects` says so. Proxies come from the environment as Go's client
 * took them, or from `proxy`. Every request carries a W3C `traceparent`; the result keeps its trace id.
 */
import { readFile } from "node:fs/promises";
import http from "node:http";
import { bool, isRaw, kindShown, shown, str, url, type Raw, type Scope } from "../config/fields.js";
import { SECOND } from "../duration.js";
import { messageOf } from "../errors.js";
import { elapsedSince } from "../checking/attempts.js";
import { PEM_CERTIFICATE, readRoots, parseTlsClient, type TlsClient } from "../checking/dial.js";
import { parseUpStatus, type StatusMatcher } from "../checking/status-match.js";
import { userAgent } from "../fleet/node.js";
import { contentError } from "../checking/content.js";
import type { CheckerType, CheckRun, Outcome } from "../plugin-types.js";
import { redactUrl } from "../redact.js";
import { discard, readBody } from "../checking/http-body.js";
import { exchange, type ClientTls } from "../checking/http-exchange.js";
import { jsonError, parseJsonConditions, type JsonCondition } from "../checking/json-conditions.js";
import { parseProxyUrl, proxyFromEnv, type ProxyChooser } from "../checking/proxy-env.js";
import { MAX_REDIRECTS, nextHop, type Hop } from "../checking/redirects.js";
import { traceparent } from "../checking/trace.js";

interface HttpOptions extends TlsClient {
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
  json: JsonCondition[];
  /** PEM files presented to a server that asks for a client certificate (mTLS); both or neither. */
  clientCert: string;
  clientKey: string;
  followRedirects: boolean;
  /** `proxy` when set, else HTTP_PROXY / HTTPS_PROXY / NO_PROXY as read at load time. */
  chooseProxy: ProxyChooser;
  /** Also send the traceparent as a query parameter of that name (cupcake's trace id in the URL); "" = no. */
  traceQuery: string;
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
    json: parseJsonConditions(raw, "json", at),
    ...parseTlsClient(raw, at),
    ...parseClientCert(raw, at),
    followRedirects: bool(raw, "follow_redirects", at),
    chooseProxy: parseProxy(raw, at),
    traceQuery: bool(raw, "trace_query", at) ? "traceparent" : "",
  }),
  attempt: (o, signal, run) => requestChain(o, signal, run),
} satisfies CheckerType<HttpOptions>;

function parseClientCert(raw: Raw, at: Scope): Pick<HttpOptions, "clientCert" | "clientKey"> {
  const clientCert = str(raw, "client_cert", at);
  const clientKey = str(raw, "client_key", at);
  if (clientCert && !clientKey) at.problem("client_key", "missing: set it to the PEM file of client_cert's private key");
  if (clientKey && !clientCert) at.problem("client_cert", "missing: set it to the PEM file of the certificate for client_key");
  return { clientCert, clientKey };
}

/** `proxy`: an http:// or https:// proxy for this checker, used for every URL (NO_PROXY does not apply). */
function parseProxy(raw: Raw, at: Scope): ProxyChooser {
  const text = str(raw, "proxy", at);
  if (!text) return proxyFromEnv();
  const proxy = parseProxyUrl(text);
  if (proxy && /^https?:\/\//i.test(text)) return () => proxy;
  at.problem("proxy", `expected an http:// or https:// proxy URL like "http://proxy.example.com:3128", got ${JSON.stringify(redactUrl(text))}`);
  return proxyFromEnv();
}

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
 * `headers`: `{ "Name": ["v1", "v2"] }` as checkup requires, or (extension) `{ "Name": "v" }`.
 * A User-Agent naming the node is sent unless one is set: some servers and firewalls refuse
 * requests without one (Go's client always sent `Go-http-client/1.1`).
 */
function parseHeaders(raw: Raw, at: Scope): Record<string, string> {
  const headers = readHeaders(raw, at);
  if (!Object.keys(headers).some((name) => name.toLowerCase() === "user-agent")) headers["User-Agent"] = userAgent(at.context.node);
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

/** The TLS material every request of an attempt uses, read per attempt as checkup reads tls_ca_file. */
async function clientTls(o: HttpOptions): Promise<ClientTls | { error: string }> {
  const material: ClientTls = { rejectUnauthorized: !o.tlsSkipVerify };
  if (o.tlsCaFile) {
    const roots = await readRoots(o.tlsCaFile);
    if ("error" in roots) return roots;
    material.ca = roots.pem;
  }
  if (o.clientCert) {
    try {
      [material.cert, material.key] = await Promise.all([readFile(o.clientCert, "utf8"), readFile(o.clientKey, "utf8")]);
    } catch (e) {
      return { error: `error reading client certificate: ${messageOf(e)}` };
    }
    if (!material.cert.includes(PEM_CERTIFICATE)) return { error: "error parsing client certificate" };
  }
  return material;
}

/** One attempt: the request, and with follow_redirects each redirect after it, inside one deadline. */
async function requestChain(o: HttpOptions, signal: AbortSignal, run: CheckRun): Promise<Outcome> {
  const fail = (hop: Hop, shown: string, rtt: number, reason: string): Outcome =>
    ({ rtt, error: `${methodName(hop.method)} ${JSON.stringify(shown)}: ${reason}` });
  let hop: Hop = { url: new URL(o.url), method: o.method, body: o.body, headers: o.headers };
  // Most checks read no file: no await for them (a round of 1,000 checks feels every promise).
  const tlsMaterial = o.tlsCaFile || o.clientCert ? await clientTls(o) : { rejectUnauthorized: !o.tlsSkipVerify };
  if ("error" in tlsMaterial) return fail(hop, o.endpoint, 0, tlsMaterial.error);
  const started = performance.now();
  for (let redirects = 0; ; redirects++) {
    const trace = traceparent(run.traceId);
    const shown = redirects === 0 ? o.endpoint : redactUrl(hop.url.href);
    const proxy = o.chooseProxy(hop.url);
    if (proxy && proxy.protocol !== "http:" && proxy.protocol !== "https:") {
      return fail(hop, shown, 0, `proxy scheme ${JSON.stringify(proxy.protocol.slice(0, -1))} is not supported: use an http:// or https:// proxy`);
    }
    const target = redirects === 0 && o.traceQuery ? withQuery(hop.url, o.traceQuery, trace) : hop.url;
    const headers = { ...hop.headers, traceparent: trace };
    const sent = await exchange({ url: target, method: hop.method, headers, body: hop.body, tls: tlsMaterial, proxy }, signal);
    if (!sent.ok) return fail(hop, shown, elapsedSince(started), sent.reason);
    const next = o.followRedirects ? nextHop(hop, sent.res.statusCode ?? 0, sent.res.headers.location) : undefined;
    if (next === undefined) {
      const rtt = elapsedSince(started);
      const error = await judgeResponse(o, sent.res, signal);
      return error ? { rtt, answered: true, error } : { rtt, answered: true };
    }
    discard(sent.res);
    if ("error" in next) return fail(hop, shown, elapsedSince(started), next.error);
    if (redirects + 1 > MAX_REDIRECTS) return fail(next, redactUrl(next.url.href), elapsedSince(started), `stopped after ${MAX_REDIRECTS} redirects`);
    hop = next;
  }
}

/** `url` plus `name=value` at the end of its query, leaving the rest of the query as written. */
function withQuery(url: URL, name: string, value: string): URL {
  const copy = new URL(url.href);
  copy.search = `${url.search || "?"}${url.search ? "&" : ""}${name}=${value}`;
  return copy;
}

/** checkup's order: the status first, then (reading the body only if needed) the content rules. */
async function judgeResponse(o: HttpOptions, res: http.IncomingMessage, signal: AbortSignal): Promise<string | undefined> {
  const status = res.statusCode ?? 0;
  if (!o.isUp(status)) {
    discard(res);
    // Go prints the status line as the server sent it, e.g. `205 Reset Content`.
    return `response status ${status} ${res.statusMessage || http.STATUS_CODES[status] || ""}`.trimEnd();
  }
  if (!o.mustContain && !o.mustNotContain && o.json.length === 0) {
    discard(res);
    return undefined;
  }
  let body: string;
  try {
    body = await readBody(res);
  } catch (e) {
    const why = signal.aborted ? "context deadline exceeded (Client.Timeout or context cancellation while reading body)" : messageOf(e);
    return `reading response body: ${why}`;
  }
  return contentError(o, body) ?? (o.json.length > 0 ? await jsonError(o.json, body) : undefined);
}

/** Go writes the method capitalised in errors: `Get "https://…": …`. */
function methodName(method: string): string {
  return method.charAt(0) + method.slice(1).toLowerCase();
}

