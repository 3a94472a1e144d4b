/**
 * healthHandler: bottle-healthcheck for Node. A `(req, res)` handler that runs the app's checks
 * (checkup checkers or plain functions returning `{ ok, output }`), answers 200 when all pass and
 * 503 when any fails, and lists every check. Results are cached per check (success 27 s, failure
 * 9 s by default) and concurrent requests share one run, so load balancers polling every few
 * seconds do not hammer the app's dependencies. Outputs are scrubbed as the environment dump is.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseDuration } from "../duration.js";
import { messageOf } from "../errors.js";
import { scrub } from "../redact.js";
import { statusOf } from "../result.js";
import type { Checker } from "../types.js";
import { DEFAULT_FAILURE_TTL_MS, DEFAULT_SUCCESS_TTL_MS, TtlCache } from "../serve/cache.js";

/** What a plain check function returns. `output` is any JSON value shown with the result. */
export interface HealthOutcome {
  ok: boolean;
  output?: unknown;
}

export type HealthFunction = () => HealthOutcome | Promise<HealthOutcome>;
export type HealthCheck = Checker | HealthFunction;

export interface HealthOptions {
  /** A list (named by the checker's title or the function's name) or an object of name → check. */
  checks: readonly HealthCheck[] | Readonly<Record<string, HealthCheck>>;
  /** How long a passing result is reused: ms, or a duration like "27s"; 0 = never. Default 27 s. */
  successTtl?: number | string;
  /** How long a failing result is reused: ms, or a duration like "9s"; 0 = never. Default 9 s. */
  failedTtl?: number | string;
  /** A check that has not answered by then fails: ms or a duration. Default 10 s. */
  timeout?: number | string;
  /** Clock in ms, for tests. */
  now?: () => number;
}

export interface HealthResult {
  checker: string;
  passed: boolean;
  output: unknown;
  /** When the result was taken, and until when it is reused (ISO 8601). */
  timestamp: string;
  expires: string;
  cached: boolean;
}

export interface HealthReport {
  status: "success" | "failure";
  timestamp: string;
  results: HealthResult[];
}

export interface HealthHandler {
  (req: IncomingMessage, res: ServerResponse, next?: unknown): Promise<void>;
  /** The report without HTTP, e.g. for Fastify's `reply.code(…).send(…)`. */
  run(): Promise<HealthReport>;
}

export function healthHandler(options: HealthOptions): HealthHandler {
  const checks = namedChecks(options.checks);
  const successTtl = ms(options.successTtl, DEFAULT_SUCCESS_TTL_MS, "successTtl");
  const failedTtl = ms(options.failedTtl, DEFAULT_FAILURE_TTL_MS, "failedTtl");
  const timeout = ms(options.timeout, 10_000, "timeout");
  const now = options.now ?? Date.now;
  const cache = new TtlCache<HealthOutcome>({
    now,
    ttlOf: (name, outcome) => {
      const own = checks.get(name);
      if (own && typeof own !== "function" && own.ttl) return own.ttl / 1e6;
      return outcome.ok ? successTtl : failedTtl;
    },
  });

  const run = async (): Promise<HealthReport> => {
    const results = await Promise.all([...checks].map(async ([name, check]) => {
      const c = await cache.get(name, () => runOne(check, timeout));
      return {
        checker: name, passed: c.value.ok, output: scrub(c.value.output ?? null),
        timestamp: new Date(c.at).toISOString(), expires: new Date(c.expires).toISOString(), cached: c.shared,
      };
    }));
    return { status: results.every((r) => r.passed) ? "success" : "failure", timestamp: new Date(now()).toISOString(), results };
  };

  const handler = async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const report = await run();
    const body = `${JSON.stringify(report, null, 2)}\n`;
    res.statusCode = report.status === "success" ? 200 : 503;
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Content-Length", Buffer.byteLength(body));
    res.end(body);
  };
  return Object.assign(handler, { run });
}

function namedChecks(checks: HealthOptions["checks"]): Map<string, HealthCheck> {
  const entries: [string, HealthCheck][] = Array.isArray(checks)
    ? (checks as readonly HealthCheck[]).map((c, i) => [(typeof c === "function" ? c.name : c.title || c.endpoint) || `check ${i + 1}`, c])
    : Object.entries(checks);
  const named = new Map<string, HealthCheck>();
  for (const [name, check] of entries) {
    if (named.has(name)) throw new TypeError(`healthHandler: two checks are named ${JSON.stringify(name)}; pass an object { name: check } to name them`);
    named.set(name, check);
  }
  return named;
}

/** One run; a throw, a rejection or a timeout is a failure carrying its message. */
async function runOne(check: HealthCheck, timeoutMs: number): Promise<HealthOutcome> {
  const aborter = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<HealthOutcome>((resolve) => {
    timer = setTimeout(() => {
      aborter.abort();
      resolve({ ok: false, output: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
  });
  try {
    return await Promise.race([attempt(check, aborter.signal), limit]);
  } catch (e) {
    return { ok: false, output: messageOf(e) };
  } finally {
    clearTimeout(timer);
  }
}

async function attempt(check: HealthCheck, signal: AbortSignal): Promise<HealthOutcome> {
  if (typeof check === "function") {
    const outcome = await check();
    if (outcome === null || typeof outcome !== "object" || typeof outcome.ok !== "boolean") {
      return { ok: false, output: "check function must return { ok: boolean, output?: … }" };
    }
    return outcome;
  }
  const result = await check.check(signal);
  const status = statusOf(result);
  const why = result.notice ?? result.times.find((t) => t.error)?.error;
  return { ok: status === "healthy" || status === "degraded", output: why ? `${status}: ${why}` : status };
}

function ms(value: number | string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  const ns = typeof value === "string" ? parseDuration(value) : undefined;
  if (ns === undefined) throw new TypeError(`healthHandler: ${name}: expected milliseconds or a duration like "30s", got ${JSON.stringify(value)}`);
  return ns / 1e6;
}
