/**
 * `every`, the schedule alone (the round itself is Checkup.round()): run a round now, then on a fixed grid (start + k × interval) so rounds never drift;
 * a round that overruns skips the ticks it missed. stop() lets the round in flight finish for a
 * grace period, then aborts its checks (the round is then abandoned, never half-stored).
 */
import { DAY, formatBound, formatGoDuration, HOUR, MINUTE, parseDuration, SECOND, type Nanos } from "../duration.js";
import { UsageError } from "../errors.js";

const SHORTCUTS: Readonly<Record<string, Nanos>> = { second: SECOND, minute: MINUTE, hour: HOUR, day: DAY, week: 7 * DAY };

/** Rounds closer than a second apart would run back to back; Node's timers wait at most ~24.8 days. */
const MIN_INTERVAL: Nanos = SECOND;
const MAX_INTERVAL: Nanos = 24 * DAY;

/** checkup's interval words (second … week) or a duration such as "10m", "1h30m". */
export function parseInterval(text: string): Nanos {
  const lower = text.trim().toLowerCase();
  const ns = SHORTCUTS[lower] ?? parseDuration(lower);
  if (ns === undefined || ns <= 0) {
    throw new UsageError(`invalid interval ${JSON.stringify(text)}: use second, minute, hour, day, week or a duration like 10m, 1h30m`);
  }
  return checkedInterval(ns, text);
}

/** The interval itself, or a UsageError stating the bounds. Integer ns. */
export function checkedInterval(ns: Nanos, text: string = formatGoDuration(ns)): Nanos {
  if (ns >= MIN_INTERVAL && ns <= MAX_INTERVAL) return ns;
  const bound = ns < MIN_INTERVAL ? `at least ${formatBound(MIN_INTERVAL)}` : `at most ${formatBound(MAX_INTERVAL)}`;
  throw new UsageError(`invalid interval ${JSON.stringify(text)}: must be ${bound}`);
}

export interface ScheduleOptions {
  /** How long stop() lets a round in flight finish before aborting it. Default 4 s. */
  graceMs?: number;
}

export interface EveryHandle {
  /** Stops scheduling; resolves when the round in flight has finished or been abandoned. */
  stop(): Promise<void>;
  /** Resolves once stopped. */
  readonly done: Promise<void>;
}

/** Where a round sits on the grid, for logs that show when the interval is too short for the checks. */
export interface Tick {
  /** Grid points passed without a round since the previous one, because it was still running. */
  missed: number;
  /** How long after its grid point the round started (timer and event-loop delay). Ms. */
  lateMs: number;
}

/** The grid point k (k × interval after the first round) that comes next after `elapsed` ms. */
export function nextTickIndex(elapsedMs: number, intervalMs: number): number {
  return Math.floor(elapsedMs / intervalMs) + 1;
}

/**
 * Milliseconds from `elapsed` (since the first round) to the next point of the grid
 * k × interval: rounds never drift, and a round that overran skips the ticks it missed.
 */
export function delayToNextTick(elapsedMs: number, intervalMs: number): number {
  return nextTickIndex(elapsedMs, intervalMs) * intervalMs - elapsedMs;
}

/**
 * Calls `round` now and then on the grid; a round is never started while one is in flight. The
 * signal passed to a round aborts once stop()'s grace period is over.
 */
export function every(round: (signal: AbortSignal, tick: Tick) => Promise<void>, interval: Nanos, options: ScheduleOptions = {}): EveryHandle {
  const intervalMs = checkedInterval(interval) / 1e6;
  const graceMs = options.graceMs ?? 4000;
  const origin = Date.now();
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let abort: AbortController | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));

  const schedule = (previous: number): void => {
    if (stopping) return;
    const elapsed = Date.now() - origin;
    const next = nextTickIndex(elapsed, intervalMs);
    timer = setTimeout(() => tick(next, next - previous - 1), delayToNextTick(elapsed, intervalMs));
  };
  const tick = (index: number, missed: number): void => {
    abort = new AbortController();
    const lateMs = Math.max(0, Date.now() - origin - index * intervalMs);
    inFlight = round(abort.signal, { missed, lateMs }).finally(() => {
      inFlight = undefined;
      schedule(index);
    });
  };

  tick(0, 0);
  return {
    done,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      const current = inFlight;
      if (current) {
        const grace = setTimeout(() => abort?.abort(new Error("stopping")), graceMs);
        await current;
        clearTimeout(grace);
      }
      resolveDone();
    },
  };
}
