/**
 * The summary format: compact, pre-aggregated copies of stored rounds that the status page loads
 * instead of one request per check file. This module alone reads and writes it; docs/summaries.md
 * describes it for other readers (the page, `checkup serve`).
 *
 * Beside the checkup-compatible `<ns>-check.json` files a storage keeps a `summaries/` folder:
 *
 *   summaries/index.json            { v, days: { "YYYY-MM-DD": { runs, last } }, recent: [[name, at]] }
 *   summaries/<YYYY-MM-DD>.json     every run of that UTC day, columnar per check ("runs" day)
 *   summaries/<YYYY-MM-DD>.hours.json  the same day rolled up per hour, plus its events ("hours" day)
 *   summaries/<YYYY-MM-DD>.week.json   the UTC week starting that Monday, per hour, compacter ("week")
 *   summaries/<YYYY-MM>.month.json     the UTC month's complete days, per day ("month")
 *
 * A round belongs to the UTC day of its store time (the ns in its file name). Times inside a day
 * are integer milliseconds from the day's start (`start`, a ns digit string: ns exceed 2^53), so
 * they may fall a little before 0 or after 24 h when a result's own timestamp differs from its
 * round's store time. Durations are integer microseconds. Status codes: h healthy, d degraded,
 * x down, u unknown. Checks are keyed by checkKey (lib/check-key.ts: the title, else the endpoint).
 * Format 1 keyed them by endpoint, which merged two checks of one URL; its files are still read
 * (and regrouped by title), and `checkup summarize` rewrites them. Format 3 adds, only where
 * results name their node, which node ran each run, the combined status of checks several nodes
 * run, and each node's newest figures (the page's location rows); a store whose results name no
 * node writes the same bytes as format 2.
 */
import { STATUS_CODE, weekOf, type QuorumRule, type StatusCode } from "checkup/statuspage/rules";
import type { UnixNanos } from "../nanos.js";
import type { Status } from "../types.js";

export const SUMMARY_VERSION = 3;
/** Formats this module reads: 1 differs in grouping checks by endpoint, 2 in knowing no nodes. */
const READABLE_VERSIONS: readonly unknown[] = [1, 2, SUMMARY_VERSION];
/** The first format that keys checks by title: its runs days hold what format 3's do, minus nodes. */
export const TITLE_KEYED_SINCE = 2;
export const SUMMARY_DIR = "summaries";
/** How many of the newest rounds the index names, so a page refresh fetches only those files. */
export const RECENT_ROUNDS = 12;
export const DAY_NS = 86_400_000_000_000n;

export type { QuorumRule, StatusCode };
export const statusCode = (s: Status): StatusCode => STATUS_CODE[s];
const STATUS = Object.fromEntries(Object.entries(STATUS_CODE).map(([s, c]) => [c, s])) as Record<StatusCode, Status>;
export const statusOfCode = (c: StatusCode): Status => STATUS[c];

/** One check's runs in one day; arrays are parallel, sorted by `t`. */
export interface CheckRuns {
  endpoint: string;
  /** Title of the newest run. */
  title: string;
  /** The newest run's `group` (the page's section for the check); absent when it has none. */
  group?: string;
  /** The newest run's `description` (shown under the check's title); absent when it has none. */
  description?: string;
  /** Result time, ms from the day's start. */
  t: number[];
  /** One status code per run. */
  s: string;
  /** Median RTT per run, µs (checkup's median over attempts). */
  rtt: number[];
  /** Threshold changes: [run index, µs]; the value holds until the next entry. 0 = none. */
  thr: [number, number][];
  /** Sparse, by run index: notice, message, first attempt error (shortened). */
  notice: Record<string, string>;
  message: Record<string, string>;
  error: Record<string, string>;
  /** Format 3, where results name their node: the nodes, sorted; with two or more, `ni` is each run's index into them. */
  nodes?: string[];
  ni?: number[];
  /** Format 3: the check's combined status at each run (rules.js combineRuns), where it differs from `s` anywhere. */
  c?: string;
  /** The quorum rule of the check's newest result (`window` in µs), where it has one (else the combined status is a strict majority). */
  quorum?: QuorumRule;
}

/** A node's newest run of a check in a day or week (format 3, checks run by two or more nodes). */
export interface NodeFigures {
  node: string;
  /** [ms, the node's own status code]. */
  last: [number, StatusCode];
  /** That run's median RTT, µs. */
  rtt: number;
  /** ms since the node's run before it; absent after one run. */
  gap?: number;
  /** The run's error or notice. */
  text?: string;
}

export interface RunsDay {
  v: number;
  day: string;
  /** ns at 00:00 UTC of `day`, as a digit string. */
  start: string;
  /** Rounds merged in, sorted: merging one again changes nothing. */
  files: string[];
  checks: CheckRuns[];
}

/** [ms from day start, status code, text]: a status change (text = error or notice) or a message ("m"). */
export type DayEvent = [number, StatusCode | "m", string];

/** A first or last run: [ms, status code], and for a first run its error or notice when it has one. */
export type Edge = [number, StatusCode] | [number, StatusCode, string];

export interface CheckHours {
  endpoint: string;
  title: string;
  group?: string;
  description?: string;
  /** Per hour of the day (24 entries): runs, runs healthy or degraded, median of run medians (µs, 0 = no runs). */
  n: number[];
  up: number[];
  rtt: number[];
  /** Newest threshold (µs, 0 = none). */
  thr: number;
  /** First and last run, so a reader can find changes across days (first carries the run's text). */
  first: Edge;
  last: Edge;
  /** Status changes after the day's first run, and messages, oldest first. */
  events: DayEvent[];
  /** p50 and p95 (nearest rank) of the day's run medians, µs; absent in files written before month files. */
  dayRtt?: [number, number];
  /** Format 3, two or more nodes: each one's newest run. Counts, up, events, first and last are then the combined status's. */
  nodes?: NodeFigures[];
  quorum?: QuorumRule;
}

export interface HoursDay {
  v: number;
  day: string;
  start: string;
  checks: CheckHours[];
}

/**
 * One check's UTC week (Monday 00:00 on) per hour: what a 7, 30 or 90 day view needs, about a
 * third the size of seven hours days. Hour h is [start + h hours, start + h + 1 hours).
 */
export interface CheckWeek {
  endpoint: string;
  title: string;
  /** The newest day's group and description. */
  group?: string;
  description?: string;
  /** Runs per hour, run-length encoded as [hours, runs], from hour 0 up to the last hour with a run. */
  n: [number, number][];
  /** Runs that were not up (down or unknown), by hour index; absent = 0. Up = n − down. */
  down: Record<string, number>;
  /** Median of the runs' medians per hour, in ms to 3 significant digits (0 = no run); ends with the last run's hour. */
  rttMs: number[];
  /** Newest threshold, µs (0 = none). */
  thr: number;
  /** ms from the week's start, as in hours days. */
  first: Edge;
  last: Edge;
  /** Status changes after the week's first run (across its days too), and messages, oldest first. */
  events: DayEvent[];
  /** As in hours days, ms from the week's start. */
  nodes?: NodeFigures[];
  quorum?: QuorumRule;
}

export interface WeekRollup {
  v: number;
  /** The Monday the week starts on (UTC). */
  week: string;
  start: string;
  checks: CheckWeek[];
}

/**
 * One check's UTC calendar month per day: what a 30 or 90 day view needs (a bar and a chart point
 * a day), a fraction of the bytes of its weeks. Day d is [start + d days, start + d + 1 days).
 * Names, edges, events and nodes as in a week, their times in ms from the month's start.
 */
export interface CheckMonth extends Pick<CheckWeek, "endpoint" | "title" | "group" | "description" | "thr" | "first" | "last" | "events" | "nodes" | "quorum"> {
  /** Runs per day, from day 0 up to the last day with a run. */
  n: number[];
  /** Runs that were not up (down or unknown), by day index; absent = 0. */
  down: Record<string, number>;
  /** p50 and p95 of the day's run medians, ms to 3 significant digits (0 = no run), as long as `n`. */
  p50Ms: number[];
  p95Ms: number[];
}

export interface MonthRollup {
  v: number;
  /** "YYYY-MM". */
  month: string;
  start: string;
  checks: CheckMonth[];
}

export interface DayInfo {
  /** Rounds in the day. */
  runs: number;
  /** Store time of the day's newest round (ns digit string). */
  last: string;
}

export interface MonthInfo extends DayInfo {
  /** The newest day in the file. */
  through: string;
}

export interface SummaryIndex {
  v: number;
  days: Record<string, DayInfo>;
  /** Weeks with a week file (by Monday): rounds in it and the newest store time. Absent in stores from before weeks. */
  weeks?: Record<string, DayInfo>;
  /** Months with a month file, which holds the month's complete days (those before the newest day) up to `through`. */
  months?: Record<string, MonthInfo>;
  /** The newest rounds, oldest first: [file name, store time ns]. */
  recent: [string, string][];
}

/** What `GET /api/history` answers: the same day objects the files hold. */
export interface History {
  v: number;
  from: string;
  to: string;
  res: "runs" | "hours";
  days: RunsDay[] | HoursDay[];
}

export function dayOf(ns: UnixNanos): string {
  return new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 10);
}

export function dayStart(day: string): UnixNanos {
  return BigInt(Date.parse(`${day}T00:00:00Z`)) * 1_000_000n;
}

/** The Monday (UTC) of the week `day` is in (the page's rule too). */
export { weekOf };

/** The seven days of the week starting on `monday`. */
export function daysOfWeek(monday: string): string[] {
  const ms = Date.parse(`${monday}T00:00:00Z`);
  return Array.from({ length: 7 }, (_, i) => new Date(ms + i * 86_400_000).toISOString().slice(0, 10));
}

export const runsFile = (day: string) => `${day}.json`;
export const hoursFile = (day: string) => `${day}.hours.json`;
export const weekFile = (monday: string) => `${monday}.week.json`;
export const monthFile = (month: string) => `${month}.month.json`;
/** "YYYY-MM", the month a day is in. */
export const monthOf = (day: string) => day.slice(0, 7);
export const INDEX_FILE = "index.json";

export function emptyRunsDay(day: string): RunsDay {
  return { v: SUMMARY_VERSION, day, start: dayStart(day).toString(), files: [], checks: [] };
}

export function emptyIndex(): SummaryIndex {
  return { v: SUMMARY_VERSION, days: {}, recent: [] };
}

export class SummaryFormatError extends Error {
  constructor(source: string, detail: string) {
    super(`${source}: not a checkup summary: ${detail}`);
    this.name = "SummaryFormatError";
  }
}

function parseObject(text: string, source: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SummaryFormatError(source, (e as Error).message);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw new SummaryFormatError(source, "expected an object");
  const o = data as Record<string, unknown>;
  if (!READABLE_VERSIONS.includes(o.v)) throw new SummaryFormatError(source, `unsupported version ${JSON.stringify(o.v)} (this checkup reads ${READABLE_VERSIONS.slice(0, -1).join(", ")} and ${READABLE_VERSIONS.at(-1)})`);
  return o;
}

export function parseRunsDay(text: string, source: string): RunsDay {
  const o = parseObject(text, source);
  if (typeof o.day !== "string" || !Array.isArray(o.checks) || !Array.isArray(o.files)) throw new SummaryFormatError(source, "missing day, files or checks");
  return o as unknown as RunsDay;
}

export function parseHoursDay(text: string, source: string): HoursDay {
  const o = parseObject(text, source);
  if (typeof o.day !== "string" || !Array.isArray(o.checks)) throw new SummaryFormatError(source, "missing day or checks");
  return o as unknown as HoursDay;
}

export function parseWeek(text: string, source: string): WeekRollup {
  const o = parseObject(text, source);
  if (typeof o.week !== "string" || !Array.isArray(o.checks)) throw new SummaryFormatError(source, "missing week or checks");
  return o as unknown as WeekRollup;
}

export function parseMonth(text: string, source: string): MonthRollup {
  const o = parseObject(text, source);
  if (typeof o.month !== "string" || !Array.isArray(o.checks)) throw new SummaryFormatError(source, "missing month or checks");
  return o as unknown as MonthRollup;
}

export function parseIndexFile(text: string, source: string): SummaryIndex {
  const o = parseObject(text, source);
  if (o.days === null || typeof o.days !== "object" || !Array.isArray(o.recent)) throw new SummaryFormatError(source, "missing days or recent");
  return o as unknown as SummaryIndex;
}

/** Summaries are plain JSON: no value in them needs more than a double (ns are strings). */
export const summaryJson = (value: RunsDay | HoursDay | WeekRollup | MonthRollup | SummaryIndex | History): string => JSON.stringify(value);
