/**
 * Live checks for external monitors: each configured checker, addressable by its title, run on
 * demand through the TTL cache (success 27 s, failure 9 s as bottle-healthcheck; a checker's own
 * `ttl` overrides both), so concurrent requests for one check share one run.
 */
import { checkKey } from "../check-key.js";
import { checkWithinLimit } from "../checking/limit.js";
import { messageOf } from "../errors.js";
import { nowUnixNanos } from "../nanos.js";
import { mapLimit } from "../pool.js";
import { statusOf } from "../result.js";
import type { Checker, Result } from "../types.js";
import { DEFAULT_FAILURE_TTL_MS, DEFAULT_SUCCESS_TTL_MS, TtlCache, type Cached } from "./cache.js";

export interface LiveOptions {
  /** How long a healthy or degraded result is reused, in ms. */
  successTtl?: number;
  /** How long a down result is reused, in ms. */
  failureTtl?: number;
  /** Checks in flight at once when all are run (a scrape, the list). */
  concurrency?: number;
  /** Clock in ms, for tests. */
  now?: () => number;
}

export interface LiveCheck {
  /** The name in URLs and metric labels: its checkKey (the title, or the endpoint when untitled). */
  name: string;
  checker: Checker;
}

export class LiveChecks {
  readonly checks: LiveCheck[] = [];
  /** Runs started (cache misses) per check name, for the metrics' counters. */
  readonly runs = new Map<string, number>();
  private readonly byName = new Map<string, LiveCheck>();
  private readonly cache: TtlCache<Result>;
  private readonly aborter = new AbortController();
  private readonly listeners: ((check: LiveCheck, result: Result) => void)[] = [];
  private readonly concurrency: number;

  /** `warn` hears about checks that cannot be addressed (a title used twice). */
  constructor(checkers: readonly Checker[], options: LiveOptions = {}, warn: (m: string) => void = () => undefined) {
    const successTtl = options.successTtl ?? DEFAULT_SUCCESS_TTL_MS;
    const failureTtl = options.failureTtl ?? DEFAULT_FAILURE_TTL_MS;
    this.concurrency = options.concurrency ?? 5;
    for (const checker of checkers) {
      const name = checkKey(checker);
      const key = name.toLowerCase();
      if (this.byName.has(key)) {
        warn(`two checks are named ${JSON.stringify(name)}: /api/checks answers for the first only; give each a distinct endpoint_name`);
        continue;
      }
      const check = { name, checker };
      this.checks.push(check);
      this.byName.set(key, check);
    }
    this.cache = new TtlCache<Result>({
      now: options.now,
      ttlOf: (key, result) => {
        const own = this.byName.get(key)?.checker.ttl;
        if (own && own > 0) return own / 1e6;
        return statusOf(result) === "down" || statusOf(result) === "unknown" ? failureTtl : successTtl;
      },
    });
  }

  /** The check called `name` (case-insensitive, as `checkup message --about`). */
  find(name: string): LiveCheck | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** Hears every fresh result (not cache hits). */
  onResult(listener: (check: LiveCheck, result: Result) => void): void {
    this.listeners.push(listener);
  }

  run(check: LiveCheck): Promise<Cached<Result>> {
    return this.cache.get(check.name.toLowerCase(), () => this.runOnce(check));
  }

  runAll(): Promise<{ check: LiveCheck; cached: Cached<Result> }[]> {
    return mapLimit(this.checks, this.concurrency, async (check) => ({ check, cached: await this.run(check) }));
  }

  /** Drops `checker`'s cached result (a heartbeat was just pinged): the next request checks anew. */
  forget(checker: Checker): void {
    const key = checkKey(checker).toLowerCase();
    if (this.byName.get(key)?.checker === checker) this.cache.delete(key);
  }

  /** Abandons the checks in flight (server shutdown). */
  close(): void {
    this.aborter.abort();
  }

  private async runOnce(check: LiveCheck): Promise<Result> {
    this.runs.set(check.name, (this.runs.get(check.name) ?? 0) + 1);
    let result: Result;
    try {
      // Bounded like a round's checks, so a stuck checker cannot hold every request for it.
      result = await checkWithinLimit(check.checker, this.aborter.signal);
    } catch (e) {
      // A checker that throws (a program's own, or an abort) is reported as down, not as a 500.
      result = { timestamp: nowUnixNanos(), times: [{ rtt: 0, error: messageOf(e) }], down: true };
      if (check.checker.title) result.title = check.checker.title;
      if (check.checker.endpoint) result.endpoint = check.checker.endpoint;
    }
    for (const listener of this.listeners) listener(check, result);
    return result;
  }
}
