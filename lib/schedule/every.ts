/**
 * `every`: run a round now, then on a fixed grid (start + k × interval) so rounds never drift;
 * a round that overruns skips the ticks it missed. stop() lets the round in flight finish for a
 * grace period, then aborts its checks (the round is then abandoned, never half-stored).
 */
import { DAY, formatBound, formatGoDuration, HOUR, MINUTE, parseDuration, SECOND, type Nanos } from "../duration.js";
import { messageOf, UsageError } from "../errors.js";
import { nowUnixNanos, type UnixNanos } from "../nanos.js";
import { statusOf } from "../result.js";
import type { Checkup } from "../checkup.js";
import type { Status } from "../types.js";

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

/** What one round did, for the log line. */
export interface RoundReport {
  startedAt: UnixNanos;
  durationMs: number;
  counts: Record<Status, number>;
  /** The stored name, when storing worked. */
  stored?: string;
  /** Why storing (or checking) failed; the round is then in the spool. */
  error?: string;
  /** Rounds removed by maintenance. */
  removed: number;
  /** The round was abandoned by stop() before its checks finished. */
  abandoned?: boolean;
}

export interface EveryOptions {
  onRound?: (report: RoundReport) => void;
  /** How long stop() lets a round in flight finish before aborting it. Default 4 s. */
  graceMs?: number;
  /** Before each round after the first: the Checkup to run it (follow.ts swaps in a changed config). */
  next?: (current: Checkup, signal: AbortSignal) => Promise<Checkup>;
}

export interface EveryHandle {
  /** Stops scheduling; resolves when the round in flight has finished or been abandoned. */
  stop(): Promise<void>;
  /** Resolves once stopped. */
  readonly done: Promise<void>;
  /** The Checkup running the rounds now (the last one `next` gave). */
  readonly checkup: Checkup;
}

/**
 * Milliseconds from `elapsed` (since the first round) to the next point of the grid
 * k × interval: rounds never drift, and a round that overran skips the ticks it missed.
 */
export function delayToNextTick(elapsedMs: number, intervalMs: number): number {
  return (Math.floor(elapsedMs / intervalMs) + 1) * intervalMs - elapsedMs;
}

export function every(checkup: Checkup, interval: Nanos, options: EveryOptions = {}): EveryHandle {
  const intervalMs = checkedInterval(interval) / 1e6;
  const graceMs = options.graceMs ?? 4000;
  const origin = Date.now();
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let abort: AbortController | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));

  const schedule = (): void => {
    if (stopping) return;
    timer = setTimeout(tick, delayToNextTick(Date.now() - origin, intervalMs));
  };
  let current = checkup;
  let first = true;
  const tick = (): void => {
    abort = new AbortController();
    const signal = abort.signal;
    const ready = first || !options.next ? Promise.resolve(current) : options.next(current, signal);
    first = false;
    inFlight = ready.then(async (next) => {
      current = next;
      options.onRound?.(await runRound(current, signal));
    }).finally(() => {
      inFlight = undefined;
      schedule();
    });
  };

  tick();
  return {
    done,
    get checkup() {
      return current;
    },
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

/** check → store → notify → maintain, each failure reported rather than thrown. */
export async function runRound(checkup: Checkup, signal?: AbortSignal): Promise<RoundReport> {
  const startedAt = nowUnixNanos();
  const started = performance.now();
  const counts: Record<Status, number> = { healthy: 0, degraded: 0, down: 0, unknown: 0 };
  const report: RoundReport = { startedAt, durationMs: 0, counts, removed: 0 };
  const finish = () => ({ ...report, durationMs: Math.round(performance.now() - started) });
  let round;
  try {
    round = await checkup.round({ signal });
  } catch (e) {
    if (signal?.aborted) return { ...finish(), abandoned: true };
    return { ...finish(), error: messageOf(e) };
  }
  for (const r of round.results) counts[statusOf(r)]++;
  if (round.name === undefined) return { ...finish(), error: messageOf(round.storeError) };
  report.stored = round.name;
  try {
    report.removed = (await checkup.maintain()).length;
  } catch (e) {
    report.error = messageOf(e);
  }
  return finish();
}
