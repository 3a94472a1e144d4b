/**
 * Response helpers shared by every route: security headers on everything, JSON with exact
 * nanosecond integers, ETags with 304 answers, gzip for text when the client takes it, and
 * errors as JSON with the right status.
 */
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzip } from "node:zlib";
import { UsageError } from "../errors.js";

/** Nothing but this server's own files; no inline script, no framing, no plugins. */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader("Content-Security-Policy", CSP);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
}

/**
 * Read-only data meant for other sites too (API, badges, metrics). Any site may embed it (an
 * <img> badge needs no more); scripts on another origin may read it only when `serve
 * --cors-origin` names that origin (or `*`), as poucave's CORS_ORIGIN. Off by default.
 */
export function allowCrossOrigin(req: IncomingMessage, res: ServerResponse, corsOrigins: readonly string[]): void {
  res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
  if (corsOrigins.length === 0) return;
  const origin = req.headers.origin;
  if (corsOrigins.includes("*")) {
    res.setHeader("Access-Control-Allow-Origin", "*");
  } else {
    addVary(res, "Origin"); // the answer depends on who asks
    if (!origin || !corsOrigins.includes(origin)) return;
    res.setHeader("Access-Control-Allow-Origin", origin);
  }
  res.setHeader("Access-Control-Expose-Headers", "ETag");
}

/** Adds a request header's name to Vary, keeping those already there. */
function addVary(res: ServerResponse, name: string): void {
  const names = String(res.getHeader("Vary") ?? "").split(",").map((n) => n.trim()).filter(Boolean);
  if (!names.includes(name)) res.setHeader("Vary", [...names, name].join(", "));
}

/** `--cors-origin` values: `*` or origins like `https://status.example.com` (scheme, host, port; no path). */
export function parseCorsOrigins(values: readonly string[]): string[] {
  return values.map((value) => {
    if (value === "*") return value;
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== value.replace(/\/$/, "")) {
      throw new UsageError(`invalid --cors-origin ${JSON.stringify(value)}: use an origin like https://status.example.com (no path), or *`);
    }
    return url.origin;
  });
}

/** JSON text already made by the module that owns its format (a stored Result), embedded as is. */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * JSON.stringify, except that bigint values (ns timestamps) are written as exact integers and
 * RawJson values are spliced in verbatim. Stand-in strings carry a per-call nonce, so no stored
 * text can pose as one.
 */
export function jsonText(value: unknown, indent?: number): string {
  const nonce = randomBytes(6).toString("hex");
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === "bigint") return `${nonce}:n:${v}`;
    if (v instanceof RawJson) return `${nonce}:r:${raws.push(v.text) - 1}`;
    return v;
  }, indent);
  return text.replace(new RegExp(`"${nonce}:([nr]):(-?\\d+)"`, "g"), (_all, kind: string, n: string) => (kind === "n" ? n : raws[Number(n)]!));
}

export interface SendOptions {
  status?: number;
  contentType?: string;
  /** Cache-Control; default `no-cache` (always revalidate, cheap with the ETag). */
  cacheControl?: string;
  /** Add an ETag and answer 304 when the client already has this body. */
  etag?: boolean;
}

/** Text formats: JSON, JavaScript, CSS, HTML, SVG, Prometheus text. PNG, fonts and the like are compressed already. */
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|javascript|manifest\+json)|image\/svg\+xml)/i;
/** Below this, gzip's own header and the CPU cost more than the bytes saved. */
export const GZIP_MIN_BYTES = 1024;

/** Whether Accept-Encoding takes gzip: named (or `*`) with a q above 0. */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  let gzipQ: number | undefined;
  let anyQ: number | undefined;
  for (const part of String(header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";").map((p) => p.trim());
    const q = params.find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (name === "gzip" || name === "x-gzip") gzipQ = weight;
    else if (name === "*") anyQ = weight;
  }
  return (gzipQ ?? anyQ ?? 0) > 0;
}

/**
 * Whether a `size`-byte body of `contentType` goes out gzipped. Sets `Vary: Accept-Encoding` on
 * every compressible response (a 304 too), so caches keep the two representations apart.
 */
export function negotiateGzip(req: IncomingMessage, res: ServerResponse, contentType: string, size: number): boolean {
  if (!COMPRESSIBLE.test(contentType)) return false;
  addVary(res, "Accept-Encoding");
  return size >= GZIP_MIN_BYTES && acceptsGzip(req.headers["accept-encoding"]);
}

/** The gzipped representation's ETag: a different one, as RFC 9110 asks of different bytes. */
export const gzipTag = (tag: string): string => tag.replace(/"$/, '-gz"');

/**
 * Sends a body, gzipped when the client takes it; with `etag` (computed here, or given for a
 * body the caller already tagged), a matching If-None-Match gets 304 and no body.
 */
export function send(req: IncomingMessage, res: ServerResponse, body: string | Buffer, options: SendOptions = {}): void {
  const status = options.status ?? 200;
  const type = options.contentType ?? "application/json; charset=utf-8";
  res.setHeader("Content-Type", type);
  res.setHeader("Cache-Control", options.cacheControl ?? "no-cache");
  const gzipped = negotiateGzip(req, res, type, Buffer.byteLength(body));
  if (options.etag && status === 200) {
    const tag = gzipped ? gzipTag(etagOf(body)) : etagOf(body);
    res.setHeader("ETag", tag);
    if (matches(req.headers["if-none-match"], tag)) {
      res.statusCode = 304;
      res.removeHeader("Content-Type");
      res.end();
      return;
    }
  }
  res.statusCode = status;
  if (!gzipped) return void res.setHeader("Content-Length", Buffer.byteLength(body)).end(body);
  // Off the event loop: a 30 day history is a megabyte of JSON.
  gzip(body, (error, zipped) => {
    if (error) return void res.destroy(error);
    res.setHeader("Content-Encoding", "gzip");
    res.setHeader("Content-Length", zipped.length);
    res.end(zipped);
  });
}

export function sendJson(req: IncomingMessage, res: ServerResponse, value: unknown, options: SendOptions = {}): void {
  send(req, res, `${jsonText(value, 2)}\n`, options);
}

/** `{"error":{"status":404,"message":"…"}}` with that status; never cached. */
export function sendError(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  sendJson(req, res, { error: { status, message } }, { status, cacheControl: "no-store" });
}

/** A strong ETag from the body's hash. */
export function etagOf(body: string | Buffer): string {
  return `"${createHash("sha1").update(body).digest("base64url").slice(0, 27)}"`;
}

/** If-None-Match holds this tag (or `*`); weak prefixes compare equal, as RFC 9110 says for GET. */
export function matches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  const bare = tag.replace(/^W\//, "");
  return header.split(",").some((t) => {
    const v = t.trim();
    return v === "*" || v.replace(/^W\//, "") === bare;
  });
}
