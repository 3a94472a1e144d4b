/**
 * Pure aggregation over summaries: merge rounds into a day, roll a day up per hour, detect events,
 * compute uptime. No I/O here, so the writer, `checkup serve` and the tests share one definition.
 */
import { checkKey, type Identified } from "../check-key.js";
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

/** One check's runs while a day is put together; `packed` is its columns while nothing was added. */
interface Group {
  names: Required<Identified>;
  /** `t` of the run the names come from: a check's newest run names it (a renamed URL shows its current one). */
  namedAt: number;
  runs: Run[];
  packed?: CheckRuns;
}

/** Groups runs by checkKey, in first-seen order. */
export class CheckGroups {
  private readonly groups = new Map<string, Group>();

  /** `runs` becomes the group's own array. */
  add(names: Identified, runs: Run[], packed?: CheckRuns): void {
    if (runs.length === 0) return;
    const newest = runs.reduce((t, r) => Math.max(t, r.t), -Infinity);
    const key = checkKey(names);
    const g = this.groups.get(key);
    if (!g) {
      this.groups.set(key, { names: { title: names.title ?? "", endpoint: names.endpoint ?? "" }, namedAt: newest, runs, packed });
      return;
    }
    if (newest >= g.namedAt) {
      g.names = { title: names.title || g.names.title, endpoint: names.endpoint || g.names.endpoint };
      g.namedAt = newest;
    }
    for (const run of runs) g.runs.push(run);
    g.packed = undefined;
  }

  pack(): CheckRuns[] {
    return [...this.groups.values()].map((g) => g.packed ?? packRuns(g.names.endpoint, g.names.title, [...g.runs].sort((a, b) => a.t - b.t)));
  }
}

/** One result of a round as a run of its check, timed from the day's `start`. */
export interface NamedRun {
  names: Identified;
  run: Run;
}

export function runsOfRound(round: { storedAt: UnixNanos; results: readonly Result[] }, start: UnixNanos): NamedRun[] {
  return round.results.map((r) => ({ names: { title: r.title, endpoint: r.endpoint }, run: runOf(r, start, round.storedAt) }));
}

/**
 * Merges rounds into a day (a new object; `day` is not changed). A round already merged (same
 * file name) is skipped, so replaying a round or running a backfill twice changes nothing. Checks
 * of a day written by format 1 (grouped by endpoint) are regrouped by checkKey here.
 */
export function addRounds(day: RunsDay, rounds: readonly { name: string; storedAt: UnixNanos; results: readonly Result[] }[]): RunsDay {
  const start = BigInt(day.start);
  const files = new Set(day.files);
  const groups = new CheckGroups();
  for (const c of day.checks) groups.add(c, expandRuns(c), c);
  for (const round of rounds) {
    if (files.has(round.name)) continue;
    files.add(round.name);
    for (const { names, run } of runsOfRound(round, start)) groups.add(names, [run]);
  }
  return { ...emptyRunsDay(day.day), files: [...files].sort(), checks: groups.pack() };
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
