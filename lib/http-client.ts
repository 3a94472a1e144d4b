/**
 * The one way HTTP notifiers talk to their service. Errors name the service's origin and status
 * but never the path or query: webhook paths and bot tokens are secrets.
 */
import { url, type Raw, type Scope } from "./config/fields.js";

export interface PostOptions {
  headers?: Record<string, string>;
  /** Statuses that count as delivered (default: any 2xx). */
  ok?: (status: number) => boolean;
}

/** POSTs JSON; resolves with the response text. */
export function postJson(url: string, body: unknown, signal: AbortSignal, opts: PostOptions = {}): Promise<string> {
  return sendJson("POST", url, body, signal, opts);
}

/** PUTs JSON, for APIs that make a send idempotent by its URL (Matrix's transaction id). */
export function putJson(url: string, body: unknown, signal: AbortSignal, opts: PostOptions = {}): Promise<string> {
  return sendJson("PUT", url, body, signal, opts);
}

function sendJson(method: "POST" | "PUT", url: string, body: unknown, signal: AbortSignal, opts: PostOptions): Promise<string> {
  return send(method, url, JSON.stringify(body), { "content-type": "application/json", ...opts.headers }, signal, opts.ok);
}

/** POSTs an HTML form (repeated keys allowed, as Mailgun's `to`). */
export function postForm(url: string, fields: readonly [string, string][], signal: AbortSignal, opts: PostOptions = {}): Promise<string> {
  return send("POST", url, new URLSearchParams(fields as [string, string][]).toString(),
    { "content-type": "application/x-www-form-urlencoded", ...opts.headers }, signal, opts.ok);
}

async function send(method: "POST" | "PUT", url: string, body: string, headers: Record<string, string>, signal: AbortSignal,
  ok: (status: number) => boolean = (s) => s >= 200 && s < 300): Promise<string> {
  const where = new URL(url).origin;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, signal, redirect: "error" });
  } catch (e) {
    if (signal.aborted) throw new Error(`no answer from ${where} in time`, { cause: e });
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`cannot reach ${where}: ${cause?.code ?? cause?.message ?? (e as Error).message}`, { cause: e });
  }
  const text = await res.text().catch(() => "");
  if (!ok(res.status)) {
    const snippet = text.replace(/\s+/g, " ").trim().slice(0, 200);
    throw new Error(`${where} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}${snippet ? `: ${snippet}` : ""}`);
  }
  return text;
}

/** A base URL without its trailing slash, so `${base}/v3/...` never doubles it. */
export function joinUrl(base: string, suffix: string): string {
  return `${base.replace(/\/+$/, "")}${suffix}`;
}

/**
 * `base_url` (or another `key`, such as ntfy's `server`): where the service lives (tests, proxies,
 * EU regions, self-hosted); `fallback` when absent.
 */
export function baseUrl(raw: Raw, at: Scope, fallback: string, key = "base_url"): string {
  return url(raw, key, at, { example: fallback, optional: true }) || fallback;
}
