/**
 * One HTTP request on a fresh connection, up to its response headers: straight to the target,
 * through a proxy (an absolute-URI request for http, a CONNECT tunnel for https), all under one
 * abort signal, so a stalled proxy ends with the attempt like a stalled target. Failures come
 * back in Go's words, as checkup's client wrote them.
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";
import { dialError, dialReason, verifyError, type DialTarget } from "./dial.js";

/** TLS settings for the target; a proxy reached over https gets the same roots, no client certificate. */
export interface ClientTls {
  rejectUnauthorized: boolean;
  ca?: string;
  cert?: string;
  key?: string;
}

export interface HttpRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string;
  tls: ClientTls;
  /** The proxy to go through (http:// or https://), or undefined for a direct connection. */
  proxy: URL | undefined;
}

export type Exchanged = { ok: true; res: http.IncomingMessage } | { ok: false; reason: string };

/** Go's words for a client timeout before the response headers. */
export const HEADERS_DEADLINE = "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";

export async function exchange(request: HttpRequest, signal: AbortSignal): Promise<Exchanged> {
  if (!request.proxy || request.url.protocol !== "https:") return send(request, signal);
  const tunnel = await openTunnel(request.url, request.proxy, request.tls, signal);
  return tunnel.ok ? send(request, signal, tunnel.socket) : tunnel;
}

/** `[::1]` → `::1`: URL keeps IPv6 hosts in brackets, sockets want them bare. */
function bare(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, "");
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === "https:" ? "443" : "80");
}

function dialTarget(url: URL): DialTarget {
  return { host: bare(url.hostname), port: Number(defaultPort(url)), address: `${url.hostname}:${defaultPort(url)}` };
}

/** SNI names a host, never an address (Go and Node agree). */
function serverName(url: URL): string {
  const host = bare(url.hostname);
  return net.isIP(host) ? "" : host;
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { "Proxy-Authorization": `Basic ${Buffer.from(credentials).toString("base64")}` };
}

/** Aborts `req` when `signal` does, by hand: one listener, removed when the request closes. */
function abortWith(req: http.ClientRequest, signal: AbortSignal): void {
  const abort = () => req.destroy(Object.assign(new Error("aborted"), { code: "ABORT_ERR" }));
  if (signal.aborted) return void process.nextTick(abort);
  // Not `signal` in request(): it attaches stream watchers per request that cost more than the
  // request itself in a round of 1,000 checks.
  signal.addEventListener("abort", abort, { once: true });
  req.once("close", () => signal.removeEventListener("abort", abort));
}

/** Sends the request, on `tunnel` when given; resolves at the response headers. */
function send(request: HttpRequest, signal: AbortSignal, tunnel?: net.Socket): Promise<Exchanged> {
  const { url, proxy } = request;
  const forward = proxy && url.protocol === "http:" ? proxy : undefined;
  const peer = forward ?? url;
  const targetTls = { ...request.tls, servername: serverName(url) };
  return new Promise<Exchanged>((resolve) => {
    const req = (peer.protocol === "https:" ? https : http).request({
      hostname: bare(peer.hostname),
      port: peer.port,
      // A proxy takes the absolute URI (without userinfo, which goes in Authorization).
      path: forward ? `${url.protocol}//${url.host}${url.pathname}${url.search}` : `${url.pathname}${url.search}`,
      ...(url.username && { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }),
      method: request.method,
      // Host and credentials for the proxy first, so a configured Host header still wins.
      headers: forward ? { Host: url.host, ...proxyAuthorization(forward), ...request.headers } : request.headers,
      ...(tunnel
        ? { createConnection: () => tls.connect({ ...targetTls, socket: tunnel }) }
        : { agent: false, ...(forward ? { ...request.tls, cert: undefined, key: undefined, servername: serverName(forward) } : targetTls) }),
    });
    abortWith(req, signal);
    if (tunnel) req.once("close", () => tunnel.destroy());
    let connected = tunnel !== undefined;
    req.once("socket", (socket) => socket.once("connect", () => (connected = true)));
    // `on`, not `once`: a socket can fail twice (reset, then abort), and an unheard error would crash.
    req.on("error", (e: Error & { code?: string }) => {
      if (signal.aborted) return resolve({ ok: false, reason: HEADERS_DEADLINE });
      const unverified = verifyError(e.code, e.message);
      if (unverified) return resolve({ ok: false, reason: unverified });
      if (connected) return resolve({ ok: false, reason: afterConnect(e) });
      const reason = forward ? `proxyconnect tcp: ${dialError(dialTarget(forward), e)}` : dialError(dialTarget(url), e);
      resolve({ ok: false, reason });
    });
    req.once("response", (res) => resolve({ ok: true, res }));
    req.end(request.body || undefined);
  });
}

/** Go's words for a connection that broke after it was made: a server hanging up is `EOF`. */
function afterConnect(e: Error & { code?: string }): string {
  return e.code === "ECONNRESET" && e.message === "socket hang up" ? "EOF" : dialReason(e);
}

type Tunnel = { ok: true; socket: net.Socket } | { ok: false; reason: string };

/** `CONNECT host:port` through the proxy; the socket it returns then carries the target's TLS. */
function openTunnel(target: URL, proxy: URL, targetTls: ClientTls, signal: AbortSignal): Promise<Tunnel> {
  const authority = `${target.hostname}:${defaultPort(target)}`;
  return new Promise<Tunnel>((resolve) => {
    const req = (proxy.protocol === "https:" ? https : http).request({
      hostname: bare(proxy.hostname),
      port: proxy.port,
      method: "CONNECT",
      path: authority,
      headers: { Host: authority, ...proxyAuthorization(proxy) },
      agent: false,
      rejectUnauthorized: targetTls.rejectUnauthorized,
      ca: targetTls.ca,
      servername: serverName(proxy),
    });
    abortWith(req, signal);
    req.once("connect", (res, socket, head) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        return resolve({ ok: false, reason: `proxyconnect: the proxy answered CONNECT with ${res.statusCode} ${res.statusMessage ?? ""}`.trimEnd() });
      }
      // Errors from here on surface on the TLS socket layered over this one.
      socket.on("error", () => undefined);
      if (head.length > 0) socket.unshift(head);
      resolve({ ok: true, socket });
    });
    req.on("error", (e: Error & { code?: string }) => {
      if (signal.aborted) return resolve({ ok: false, reason: HEADERS_DEADLINE });
      resolve({ ok: false, reason: verifyError(e.code, e.message) ?? `proxyconnect tcp: ${dialError(dialTarget(proxy), e)}` });
    });
    req.end();
  });
}
