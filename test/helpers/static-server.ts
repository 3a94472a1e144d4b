/**
 * Serves the status page and a store on loopback the way a static host would (plus an optional
 * /api/history like `checkup serve`), with a strict Content-Security-Policy, and logs every
 * request so tests can count them. Used by the page tests and the benchmark.
 */
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { REPO } from "./paths.js";

export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml", ".json": "application/json", ".png": "image/png",
};

export interface PageServer {
  url: string;
  /** Path and query of every request, in order. */
  requests: string[];
  /** Bytes sent in response bodies (after gzip when used). */
  bytes: number;
  /** Replaces js/config.js, so each test sets its own storage. */
  config: string;
  close(): Promise<void>;
}

export interface PageServerOptions {
  /** The store folder, served under /data/. */
  storeDir: string;
  config: string;
  /** Answers /api/history?... (as checkup serve will). */
  api?: (query: URLSearchParams) => Promise<string>;
  /** gzip responses for clients that accept it, as GitHub Pages or nginx do. */
  gzip?: boolean;
  /** Send the CSP header (default true); false shows what a plain static host does. */
  csp?: boolean;
}

export async function startPageServer(opts: PageServerOptions): Promise<PageServer> {
  const pageDir = path.join(REPO, "statuspage");
  const state: PageServer = { url: "", requests: [], bytes: 0, config: opts.config, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    state.requests.push(url.pathname + url.search);
    const send = async (status: number, type: string, body: Buffer | string) => {
      let data = Buffer.from(body);
      const headers: http.OutgoingHttpHeaders = { "content-type": type, "x-content-type-options": "nosniff" };
      if (opts.csp !== false) headers["content-security-policy"] = CSP;
      if (opts.gzip && /\bgzip\b/.test(String(req.headers["accept-encoding"]))) {
        data = await promisify(gzip)(data);
        headers["content-encoding"] = "gzip";
      }
      state.bytes += data.length;
      res.writeHead(status, { ...headers, "content-length": data.length }).end(data);
    };
    const serveFile = (file: string) => readFile(file).then(
      (data) => send(200, TYPES[path.extname(file)] ?? "application/octet-stream", data),
      () => send(404, "text/plain", "not found"));
    const p = decodeURIComponent(url.pathname);
    if (p.includes("..")) return void send(400, "text/plain", "bad path");
    if (p === "/" || p === "/index.html") return void serveFile(path.join(pageDir, "index.html"));
    if (p === "/js/config.js") return void send(200, TYPES[".js"]!, state.config);
    if (p.startsWith("/data/")) return void serveFile(path.join(opts.storeDir, p.slice("/data/".length)));
    if (p === "/api/history" && opts.api) {
      return void opts.api(url.searchParams).then((body) => send(200, TYPES[".json"]!, body), (e: Error) => send(500, "text/plain", e.message));
    }
    return void serveFile(path.join(pageDir, p));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return state;
}

/** A config.js as a user would write it (checkup's keys and units). */
export function pageConfig(storage: Record<string, unknown>, extra: { timeframe?: string; refresh_interval?: number } = {}): string {
  return `checkup.config = {
  timeframe: ${extra.timeframe ?? "1 * time.Day"},
  refresh_interval: ${extra.refresh_interval ?? 60},
  storage: ${JSON.stringify(storage)},
  status_text: { healthy: "Situation Normal", degraded: "Degraded Service", down: "Service Disruption" },
};\n`;
}
