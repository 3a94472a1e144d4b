/**
 * Pure aggregation over summaries: merge rounds into a day, roll a day up per hour, detect events,
 * compute uptime. No I/O here, so the writer, `checkup serve` and the tests share one definition.
 */
import { median, statusOf } from "../result.js";
import type { Result } from "../types.js";
import {
  emptyRunsDay, statusCode, SUMMARY_VERSION,
  type CheckHours, type CheckRuns, type DayEvent, type HoursDay, type RunsDay, type StatusCode,
} from "./format.js";
import type { UnixNanos } from "../nanos.js";

/** Errors are kept short: the page shows them in an event line, the check file has the rest. */
export const MAX_ERROR_CHARS = 200;
const HOUR_MS = 3_600_000;

/** One run of one check, expanded from the columns. */
export interface Run {
  t: number;
  s: StatusCode;
  rtt: number;
  thr: number;
  notice?: string;
  message?: string;
  error?: string;
}

/** The key a check is grouped by: its endpoint, or its title when it has none. */
export const checkKey = (r: Pick<Result, "endpoint" | "title">): string => r.endpoint || r.title || "";

const us = (ns: number): number => Math.round(ns / 1000);

export function runOf(r: Result, start: UnixNanos, fallbackNs: UnixNanos): Run {
  const ns = r.timestamp || fallbackNs;
  const run: Run = {
    t: Number((ns - start) / 1_000_000n),
    s: statusCode(statusOf(r)),
    rtt: us(median(r.times.map((a) => a.rtt))),
    thr: us(r.threshold ?? 0),
  };
  if (r.notice) run.notice = r.notice;
  if (r.message) run.message = r.message;
  const error = r.times.find((a) => a.error)?.error;
  if (error) run.error = error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS - 1)}…` : error;
  return run;
}

export function expandRuns(c: CheckRuns): Run[] {
  const runs: Run[] = [];
  let thrAt = 0;
  let thr = 0;
  for (let i = 0; i < c.t.length; i++) {
    while (thrAt < c.thr.length && c.thr[thrAt]![0] <= i) thr = c.thr[thrAt++]![1];
    const run: Run = { t: c.t[i]!, s: (c.s[i] ?? "u") as StatusCode, rtt: c.rtt[i] ?? 0, thr };
    const k = String(i);
    if (c.notice[k]) run.notice = c.notice[k];
    if (c.message[k]) run.message = c.message[k];
    if (c.error[k]) run.error = c.error[k];
    runs.push(run);
  }
  return runs;
}

export function packRuns(endpoint: string, title: string, runs: readonly Run[]): CheckRuns {
  const c: CheckRuns = { endpoint, title, t: [], s: "", rtt: [], thr: [], notice: {}, message: {}, error: {} };
  runs.forEach((run, i) => {
    c.t.push(run.t);
    c.s += run.s;
    c.rtt.push(run.rtt);
    if (run.thr !== (c.thr.at(-1)?.[1] ?? 0)) c.thr.push([i, run.thr]);
    if (run.notice) c.notice[i] = run.notice;
    if (run.message) c.message[i] = run.message;
    if (run.error) c.error[i] = run.error;
  });
  return c;
}

/**
 * Merges rounds into a day (a new object; `day` is not changed). A round already merged (same
 * file name) is skipped, so replaying a round or running a backfill twice changes nothing.
 */
export function addRounds(day: RunsDay, rounds: readonly { name: string; storedAt: UnixNanos; results: readonly Result[] }[]): RunsDay {
  const start = BigInt(day.start);
  const files = new Set(day.files);
  const byKey = new Map<string, { endpoint: string; title: string; runs: Run[] }>();
  for (const c of day.checks) byKey.set(c.endpoint || c.title, { endpoint: c.endpoint, title: c.title, runs: expandRuns(c) });
  const touched = new Set<string>();
  for (const round of rounds) {
    if (files.has(round.name)) continue;
    files.add(round.name);
    for (const r of round.results) {
      const key = checkKey(r);
      const entry = byKey.get(key) ?? { endpoint: r.endpoint ?? "", title: r.title ?? "", runs: [] };
      const run = runOf(r, start, round.storedAt);
      // The title follows the newest run, so a renamed check shows its current name.
      if (entry.runs.length === 0 || run.t >= entry.runs.at(-1)!.t) entry.title = r.title ?? entry.title;
      entry.runs.push(run);
      byKey.set(key, entry);
      touched.add(key);
    }
  }
  const checks = [...byKey.values()].map((e) => {
    const key = e.endpoint || e.title;
    if (!touched.has(key)) return day.checks.find((c) => (c.endpoint || c.title) === key)!;
    return packRuns(e.endpoint, e.title, [...e.runs].sort((a, b) => a.t - b.t));
  });
  return { ...emptyRunsDay(day.day), files: [...files].sort(), checks };
}

/** Status changes (each run whose status differs from the one before) and messages, oldest first. */
export function detectEvents(runs: readonly Run[], previous?: StatusCode): DayEvent[] {
  const events: DayEvent[] = [];
  let before = previous;
  for (const run of runs) {
    if (run.s !== before) events.push([run.t, run.s, run.error ?? run.notice ?? ""]);
    if (run.message) events.push([run.t, "m", run.message]);
    before = run.s;
  }
  return events;
}

/** Healthy and degraded runs count as up, as the issue defines uptime. */
export const isUp = (s: string): boolean => s === "h" || s === "d";

/** Uptime in percent with one decimal (99.95 → "100.0" is avoided: it floors), or undefined with no runs. */
export function uptimePercent(up: number, total: number): string | undefined {
  if (total === 0) return undefined;
  return (Math.floor((up / total) * 1000) / 10).toFixed(1);
}

export function rollupHours(day: RunsDay): HoursDay {
  const checks = day.checks.map((c): CheckHours => {
    const runs = expandRuns(c);
    const n = new Array<number>(24).fill(0);
    const up = new Array<number>(24).fill(0);
    const rtts: number[][] = Array.from({ length: 24 }, () => []);
    for (const run of runs) {
      const h = Math.min(23, Math.max(0, Math.floor(run.t / HOUR_MS)));
      n[h]!++;
      if (isUp(run.s)) up[h]!++;
      rtts[h]!.push(run.rtt);
    }
    const first = runs[0]!;
    const last = runs.at(-1)!;
    // detectEvents always opens with the first run's status; that is a change only relative to
    // the day before, which readers stitch with `first` (which keeps its text) and the previous day's `last`.
    const [opening, ...events] = detectEvents(runs);
    return {
      endpoint: c.endpoint, title: c.title, n, up, rtt: rtts.map((v) => median(v)), thr: last.thr,
      first: opening![2] ? [first.t, first.s, opening![2]] : [first.t, first.s], last: [last.t, last.s], events,
    };
  });
  return { v: SUMMARY_VERSION, day: day.day, start: day.start, checks };
}
