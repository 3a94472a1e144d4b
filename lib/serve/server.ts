/**
 * `checkup serve`: one HTTP server for the status page, its JSON API, live checks for external
 * monitors, Prometheus metrics, badges and Dockerflow's `__heartbeat__`/`__version__`. Checks run
 * only through the live cache, never once per request; close() drains connections and abandons
 * checks in flight.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { messageOf } from "../errors.js";
import { PACKAGE as pkg } from "../package-info.js";
import { HistoryMirror } from "../summary/mirror.js";
import type { Checker, PingStore, SharedStore, StorageReader, SummaryBlobs } from "../types.js";
import { allowCrossOrigin, send, sendError, sendJson, setSecurityHeaders } from "./http.js";
import { boundAddress, DEFAULT_LISTEN, listenUrl, parseListen } from "./listen.js";
import { LiveChecks, type LiveOptions } from "./live.js";
import { listChecks, runCheck, statusBadge } from "./live-routes.js";
import type { Metrics, StoredChecks } from "./metrics.js";
import { DEFAULT_PAGE_CONFIG, pageConfigJs, type PageConfig } from "./page-config.js";
import { StaticFiles } from "./static.js";
import { historyRoute, uptimeBadge } from "./history-routes.js";
import { CachingReader } from "./reader-cache.js";
import { StoredRoutes } from "./stored.js";
import { PUSH_PATH, pushRoute, type PushTarget } from "./push-route.js";
import { STATUS_PATHS, statusRoute } from "./status-routes.js";

const isStatusPath = (p: string): p is (typeof STATUS_PATHS)[number] => (STATUS_PATHS as readonly string[]).includes(p);

export interface ServeOptions extends LiveOptions {
  checkers: readonly Checker[];
  /** Where stored rounds are read; without one, the page and stored routes answer 404. */
  reader?: StorageReader;
  /** Where a fleet under `quorum` keeps its alert state: `/api/status` shows each check's verdict. */
  shared?: SharedStore;
  /** Where heartbeat pings (`/api/push/<token>`) are kept; without it every token is unknown (404). */
  pings?: PingStore;
  /** The same storage's summaries, if it keeps them: `/api/history` answers whole days from them. */
  summaries?: SummaryBlobs;
  /** Go-style address; default ":3000". */
  listen?: string;
  /** The status page folder; default the installed package's `statuspage/`. */
  pageDir?: string;
  page?: PageConfig;
  /** Where warnings go (a check name used twice, a failing route). */
  warn?: (message: string) => void;
  /**
   * Show why the storage fails in `/__heartbeat__` (its messages name the storage's user, host and
   * database). Off by default: anyone who can reach the port sees the answer; the reason is logged.
   */
  heartbeatDetail?: boolean;
  /** Origins whose scripts may read the API and live checks (`--cors-origin`); `*` = any; default none. */
  corsOrigins?: readonly string[];
}

export interface RunningServer {
  server: http.Server;
  /** The URL to print and to test against, e.g. `http://localhost:3000/`. */
  url: string;
  /** What it listens on, e.g. `[::]:3000, every interface` (see boundAddress). */
  address: string;
  port: number;
  live: LiveChecks;
  /** Stops accepting, abandons running checks, lets open requests finish for `graceMs`, then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

/** Where the page loads its config from (statuspage/index.html names this path). */
export const PAGE_CONFIG_PATH = "/js/config.js";


export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const warn = options.warn ?? ((m: string) => process.stderr.write(`checkup: ${m}\n`));
  const live = new LiveChecks(options.checkers, options, warn);
  const { createMetrics } = await import("./metrics.js"); // prom-client loads only here
  const routes = new Routes(live, (stored) => createMetrics(live, stored), options, warn);
  const server = http.createServer({ requestTimeout: 60_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, (req, res) => {
    void routes.handle(req, res);
  });
  const { host, port } = parseListen(options.listen ?? DEFAULT_LISTEN);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return {
    server,
    url: listenUrl(host, bound.port),
    address: boundAddress(bound),
    port: bound.port,
    live,
    close: (graceMs = 5_000) => closeServer(server, live, graceMs),
  };
}

async function closeServer(server: http.Server, live: LiveChecks, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  live.close();
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}

class Routes {
  private readonly stored: StoredRoutes | undefined;
  /** The storage, remembering rounds already read (they never change). */
  private readonly reader: StorageReader | undefined;
  /** History built once from summaries and rounds, then kept up to date from the index. */
  private readonly history: HistoryMirror | undefined;
  private readonly files: StaticFiles;
  private readonly configJs: string;
  private readonly push: PushTarget;
  /** The storage failure last logged by the heartbeat, so a polling load balancer logs it once. */
  private heartbeatFault: string | undefined;

  private readonly metrics: Metrics;

  /** `metricsOf`: the metrics over the live checks and, with a storage, what its nodes stored. */
  constructor(private readonly live: LiveChecks, metricsOf: (stored?: StoredChecks) => Metrics, private readonly options: ServeOptions,
    private readonly warn: (m: string) => void) {
    this.push = { checkers: options.checkers, pings: options.pings, pinged: (c) => live.forget(c), warn };
    this.reader = options.reader && new CachingReader(options.reader);
    this.stored = this.reader && new StoredRoutes(this.reader, options.shared);
    const stored = this.stored;
    this.metrics = metricsOf(stored && (() => stored.storedChecks()));
    // The mirror reads each round once itself: through the cache it would only crowd out others.
    this.history = options.reader && new HistoryMirror(options.reader, options.summaries);
    this.files = new StaticFiles(options.pageDir);
    this.configJs = pageConfigJs(options.page ?? DEFAULT_PAGE_CONFIG);
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    try {
      const url = requestUrl(req.url ?? "/");
      const push = url && PUSH_PATH.exec(url.pathname);
      if (req.method !== "GET" && req.method !== "HEAD" && !(push && req.method === "POST")) {
        res.setHeader("Allow", push ? "GET, HEAD, POST" : "GET, HEAD");
        return sendError(req, res, 405, `${req.method ?? ""} is not allowed; this server answers GET and HEAD (and POST for heartbeat pings on /api/push/…)`);
      }
      if (!url) return sendError(req, res, 400, "the request target must be a path like /api/checks");
      if (push) return await pushRoute(req, res, this.push, decode(push[1]!), url.searchParams);
      await this.route(req, res, url);
    } catch (e) {
      this.warn(`${req.method} ${shownTarget(req.url ?? "")}: ${messageOf(e)}`);
      if (!res.headersSent) sendError(req, res, 500, messageOf(e));
      else res.destroy();
    }
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const p = url.pathname;
    const live = this.live;
    // Read-only data for scripts, dashboards and READMEs elsewhere; the page itself stays same-origin.
    if (/^\/(api|badge)\//.test(p) || p === "/metrics" || p === "/index.json" || p.endsWith("-check.json") || isStatusPath(p)) allowCrossOrigin(req, res, this.options.corsOrigins ?? []);
    if (p === "/__heartbeat__") return this.heartbeat(req, res);
    if (p === "/__lbheartbeat__") return sendJson(req, res, { status: "ok" }, { cacheControl: "no-store" });
    if (p === "/__version__") return sendJson(req, res, { name: pkg.name, version: pkg.version, node: process.version });
    if (p === "/metrics") {
      return send(req, res, await this.metrics.render(), { contentType: this.metrics.contentType, cacheControl: "no-store" });
    }
    if (p === "/api/checks") return listChecks(req, res, live);
    const check = /^\/api\/checks\/([^/]+)$/.exec(p);
    if (check) return runCheck(req, res, live, decode(check[1]!), this.stored && ((key) => this.stored!.storedViews(key)));
    const badge = /^\/badge\/([^/]+)\.svg$/.exec(p);
    if (badge) {
      const name = decode(badge[1]!);
      const label = url.searchParams.get("label") ?? undefined;
      const window = url.searchParams.get("uptime");
      if (window === null) return statusBadge(req, res, live, name, label);
      return this.readingStorage(req, res, p, () => uptimeBadge(req, res, this.history, live.find(name), name, window, label));
    }
    if (p === PAGE_CONFIG_PATH) {
      return send(req, res, this.configJs, { contentType: "text/javascript; charset=utf-8", etag: true });
    }
    if (p === "/index.json" || p === "/api/status" || p === "/api/history" || isStatusPath(p) || /^\/[^/]+-check\.json$/.test(p)) {
      return this.storedRoute(req, res, p, url.searchParams);
    }
    if (await this.files.serve(req, res, p)) return;
    sendError(req, res, 404, `file not found: ${p}`);
  }

  private async storedRoute(req: http.IncomingMessage, res: http.ServerResponse, p: string, params: URLSearchParams): Promise<void> {
    const { stored, history } = this;
    if (!stored || !history) {
      return sendError(req, res, 404, "no readable storage configured: serving live checks only (add an fs, s3, github or SQL \"storage\" to checkup.json)");
    }
    return this.readingStorage(req, res, p, () => {
      if (p === "/index.json") return stored.index(req, res);
      if (p === "/api/status") return stored.status(req, res);
      if (p === "/api/history") return historyRoute(req, res, history, params);
      if (isStatusPath(p)) return statusRoute(req, res, history, p, (this.options.now ?? Date.now)());
      return stored.checkFile(req, res, decode(p.slice(1)));
    });
  }

  /** A storage that fails to answer is this server's upstream failing: 503, and a warning. */
  private async readingStorage(req: http.IncomingMessage, res: http.ServerResponse, p: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      this.warn(`reading storage for ${p}: ${messageOf(e)}`);
      if (!res.headersSent) sendError(req, res, 503, `storage unavailable: ${messageOf(e)}`);
    }
  }

  /**
   * Dockerflow: is this service itself working? (Checks being down is not its failure.) A load
   * balancer needs the status; why the storage fails goes to the log, once per new reason.
   */
  private async heartbeat(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let storage = "none";
    if (this.options.reader) {
      try {
        await this.options.reader.index();
        storage = "ok";
        this.heartbeatFault = undefined;
      } catch (e) {
        const why = messageOf(e);
        if (why !== this.heartbeatFault) this.warn(`heartbeat: storage fails: ${why}`);
        this.heartbeatFault = why;
        storage = this.options.heartbeatDetail ? `error: ${why}` : "error";
      }
    }
    const ok = storage === "ok" || storage === "none";
    sendJson(req, res, { status: ok ? "ok" : "error", storage, checks: this.live.checks.length }, { status: ok ? 200 : 503, cacheControl: "no-store" });
  }
}

/** The path and query of an origin-form target; `//host/x` stays a path (never a host). */
function requestUrl(target: string): URL | undefined {
  if (!target.startsWith("/")) return undefined;
  try {
    return new URL(`http://serve.invalid${target}`);
  } catch {
    return undefined;
  }
}

/** A request target for logs: a push's token is a secret, so it is never written. */
function shownTarget(target: string): string {
  return target.replace(/^\/api\/push\/[^/?#]*/, "/api/push/…");
}

/** A path segment as text; a malformed escape is kept as written (and then matches nothing). */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
