/**
 * A result cache for live checks: a value is reused until its TTL runs out, and callers that ask
 * while a run is in flight share that run. A load balancer, Pingdom and a Prometheus scrape hitting
 * the same check at once therefore cost one check, and a thousand requests cost at most one per TTL.
 * Used by `serve` (live checks, metrics, badges) and by the library's health handler.
 */

/** bottle-healthcheck's defaults: how long a passing / failing result is reused, in ms. */
export const DEFAULT_SUCCESS_TTL_MS = 27_000;
export const DEFAULT_FAILURE_TTL_MS = 9_000;

/** A value and when it was produced / stops being fresh (ms since the epoch, from `now`). */
export interface Cached<T> {
  value: T;
  /** When the run that produced it finished. */
  at: number;
  /** Fresh until then; equal to `at` when the value is not kept. */
  expires: number;
  /** True when the value came from the cache or from a run another caller started. */
  shared: boolean;
}

export interface TtlCacheOptions<T> {
  /** How long to keep a value, in ms; 0 or less = don't keep (callers in flight still share). */
  ttlOf(key: string, value: T): number;
  /** The clock, in ms (tests pass a fake one). Default Date.now. */
  now?: () => number;
}

export class TtlCache<T> {
  private readonly fresh = new Map<string, Cached<T>>();
  private readonly inFlight = new Map<string, Promise<Cached<T>>>();
  private readonly now: () => number;

  constructor(private readonly options: TtlCacheOptions<T>) {
    this.now = options.now ?? Date.now;
  }

  /** Drops the kept value for `key`: the next get() runs anew. */
  delete(key: string): void {
    this.fresh.delete(key);
  }

  /** The cached value for `key` if still fresh, else the run in flight, else a new run. */
  get(key: string, run: () => Promise<T>): Promise<Cached<T>> {
    const hit = this.fresh.get(key);
    if (hit && hit.expires > this.now()) return Promise.resolve({ ...hit, shared: true });
    const pending = this.inFlight.get(key);
    if (pending) return pending.then((c) => ({ ...c, shared: true }));
    const started = run().then((value) => {
      const at = this.now();
      const ttl = Math.max(0, this.options.ttlOf(key, value));
      const entry: Cached<T> = { value, at, expires: at + ttl, shared: false };
      if (ttl > 0) this.fresh.set(key, entry);
      else this.fresh.delete(key);
      return entry;
    }).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
