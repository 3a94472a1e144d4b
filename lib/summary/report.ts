/**
 * SLA reports (`checkup report`): per check over whole UTC days, uptime, downtime, outages and RTT
 * percentiles, from the runs days of the summaries (a month is 30 files, however many rounds).
 * Outages are timeline.ts's rule, clipped to the window.
 */
import { checkKey } from "../check-key.js";
import { RuntimeError, UsageError } from "../errors.js";
import { isStorageReader, isSummarizer, type Storage, type StorageReader, type SummaryBlobs } from "../types.js";
import { isUp, rollupHours } from "./day.js";
import { DAY_NS, dayStart, type RunsDay } from "./format.js";
import { history } from "./query.js";
import { countRuns, outagesOf, timelinesOf, type Timeline } from "./timeline.js";
import { readDay, readIndex } from "./writer.js";

const DAY_MS = 86_400_000;
/** Days one report may span: ten years, far beyond any check_expiry. */
export const MAX_REPORT_DAYS = 3653;

/** Whole UTC days, both included: "2026-11-01" to "2026-11-30". */
export interface ReportWindow {
  from: string;
  to: string;
}

export interface CheckReport {
  id: string;
  name: string;
  endpoint: string;
  runs: number;
  /** Runs healthy or degraded. */
  up: number;
  /** up / runs in percent, unrounded. */
  uptime: number;
  /** Time in outages within the window, ms. */
  downtime_ms: number;
  /** Outages that overlap the window (one going on when it starts counts). */
  incidents: number;
  /** The longest of them within the window, ms (0 = none). */
  longest_ms: number;
  /** Nearest-rank percentiles of the up runs' median RTTs, ms; null when no run was up. */
  rtt_p50_ms: number | null;
  rtt_p95_ms: number | null;
}

export interface Report {
  from: string;
  to: string;
  checks: CheckReport[];
}

/** Where a report reads runs days: the summaries when the storage keeps them, else its rounds. */
export type RunsDaySource = (days: readonly string[]) => Promise<RunsDay[]>;

export function summarySource(blobs: SummaryBlobs): RunsDaySource {
  return async (days) => {
    const index = await readIndex(blobs);
    return Promise.all(days.filter((d) => index.days[d]).map((d) => readDay(blobs, d)));
  };
}

/** For stores without summaries (Go-written, SQL): reads every round of the days; `checkup summarize` makes it fast. */
export function roundsSource(reader: StorageReader): RunsDaySource {
  return async (days) => {
    if (days.length === 0) return [];
    const from = dayStart(days[0]!);
    const { days: found } = await history(reader, from, dayStart(days.at(-1)!) + DAY_NS - 1n, "runs");
    return found as RunsDay[];
  };
}

/** The summaries if they list any day, else the rounds (a store the Go checkup wrote). */
export function storageSource(storage: Storage): RunsDaySource {
  const blobs = isSummarizer(storage) ? storage.summaries() : undefined;
  const reader = isStorageReader(storage) ? storage : undefined;
  if (!blobs && !reader) throw new RuntimeError(`storage ${storage.type} cannot be read back, so it cannot report`);
  return async (days) => {
    if (blobs && (!reader || Object.keys((await readIndex(blobs)).days).length > 0)) return summarySource(blobs)(days);
    return roundsSource(reader!)(days);
  };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day as YYYY-MM-DD, or a UsageError naming the flag. */
function parseDay(text: string, flag: string): string {
  const m = DATE.exec(text);
  const ms = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new UsageError(`${flag}: expected a UTC date like 2026-11-01, got ${JSON.stringify(text)}`);
  }
  return text;
}

/**
 * The window a report covers: `month` ("2026-11"), or `from` and `to` (days, both included); by
 * default the current UTC month up to `today`.
 */
export function reportWindow(o: { month?: string; from?: string; to?: string }, today: Date = new Date()): ReportWindow {
  if (o.month !== undefined && (o.from !== undefined || o.to !== undefined)) throw new UsageError("--month: give either --month or --from and --to, not both");
  if (o.month !== undefined) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(o.month)) throw new UsageError(`--month: expected a UTC month like 2026-11, got ${JSON.stringify(o.month)}`);
    const [y, m] = o.month.split("-").map(Number);
    return { from: `${o.month}-01`, to: new Date(Date.UTC(y!, m!, 0)).toISOString().slice(0, 10) };
  }
  if ((o.from === undefined) !== (o.to === undefined)) throw new UsageError(`${o.from === undefined ? "--to" : "--from"}: give --from and --to together (days, both included)`);
  if (o.from === undefined || o.to === undefined) {
    const day = today.toISOString().slice(0, 10);
    return { from: `${day.slice(0, 7)}-01`, to: day };
  }
  const window = { from: parseDay(o.from, "--from"), to: parseDay(o.to, "--to") };
  if (window.from > window.to) throw new UsageError(`--from: ${window.from} is after --to ${window.to}`);
  if (daysOf(window).length > MAX_REPORT_DAYS) throw new UsageError(`--from: at most ${MAX_REPORT_DAYS} days (10 years) at once, got ${window.from} to ${window.to}`);
  return window;
}

/** "2026-11-01" → "2026-10-31". */
const dayBefore = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

export function daysOf(window: ReportWindow): string[] {
  const days: string[] = [];
  for (let ms = Date.parse(`${window.from}T00:00:00Z`); ms <= Date.parse(`${window.to}T00:00:00Z`); ms += DAY_MS) {
    days.push(new Date(ms).toISOString().slice(0, 10));
  }
  return days;
}

/**
 * The report for `window` as of `nowMs` (an outage still going on counts up to then). The day
 * before the window is read too, so an outage under way at midnight is known as one.
 */
export async function buildReport(source: RunsDaySource, window: ReportWindow, nowMs: number): Promise<Report> {
  const days = daysOf(window);
  const loaded = await source([dayBefore(window.from), ...days]);
  const inWindow = loaded.filter((d) => d.day >= window.from && d.day <= window.to);
  const start = Date.parse(`${window.from}T00:00:00Z`);
  const end = Date.parse(`${window.to}T00:00:00Z`) + DAY_MS;
  const rtts = upRtts(inWindow);
  const checks = timelinesOf(loaded.map(rollupHours))
    .map((t) => checkReport(t, rtts.get(t.key) ?? [], start, Math.min(end, Math.max(start, nowMs)), end))
    .filter((c): c is CheckReport => c !== undefined);
  return { from: window.from, to: window.to, checks };
}

function checkReport(t: Timeline, rtt: number[], start: number, openUntil: number, end: number): CheckReport | undefined {
  const { runs, up } = countRuns(t, start, end);
  if (runs === 0) return undefined;
  let downtime = 0;
  let incidents = 0;
  let longest = 0;
  for (const o of outagesOf(t.changes)) {
    const length = Math.min(o.end ?? openUntil, end) - Math.max(o.start, start);
    if (length <= 0) continue;
    incidents++;
    downtime += length;
    longest = Math.max(longest, length);
  }
  const sorted = rtt.sort((a, b) => a - b);
  return {
    id: t.key, name: t.title || t.endpoint, endpoint: t.endpoint, runs, up, uptime: (up / runs) * 100,
    downtime_ms: downtime, incidents, longest_ms: longest, rtt_p50_ms: percentileMs(sorted, 0.5), rtt_p95_ms: percentileMs(sorted, 0.95),
  };
}

/** Nearest rank: the smallest value with at least q of the values at or below it. µs in, ms out. */
function percentileMs(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]! / 1000;
}

/** Median RTTs (µs) of the runs that were up, by check key. */
function upRtts(days: readonly RunsDay[]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const day of days) {
    for (const c of day.checks) {
      const list = byKey.get(checkKey(c)) ?? [];
      byKey.set(checkKey(c), list);
      for (let i = 0; i < c.s.length; i++) if (isUp(c.s[i]!)) list.push(c.rtt[i] ?? 0);
    }
  }
  return byKey;
}
