/**
 * Pure aggregation over summaries: merge rounds into a day, roll a day up per hour, detect events,
 * compute uptime. No I/O here, so the writer, `checkup serve` and the tests share one definition.
 */
import {
  asVerdict, byTimeThenNode, combineRuns, detectEvents, isUp, median, noteView, percentile, quorumOfResult, runOfResult, uptimePercent,
  type Run, type View,
} from "checkup/statuspage/rules";
import { checkKey, type Identified } from "../check-key.js";
import type { Result } from "../types.js";
import {
  emptyRunsDay, SUMMARY_VERSION,
  type CheckHours, type CheckRuns, type HoursDay, type NodeFigures, type QuorumRule, type RunsDay, type StatusCode,
} from "./format.js";
import type { UnixNanos } from "../nanos.js";

// The rules the page applies too live in statuspage/js/rules.js; these modules use them from there.
export { detectEvents, isUp, uptimePercent, type Run };
export { MAX_ERROR_CHARS } from "checkup/statuspage/rules";
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Per check key, each node's newest run before a day starts (ms from that day's start): where the day's verdicts begin. */
export type Carry = ReadonlyMap<string, ReadonlyMap<string, View>>;

/** A result as a run of its check, timed in ms from the day's `start` (its round's store time if it has no timestamp). */
export function runOf(r: Result, start: UnixNanos, fallbackNs: UnixNanos): Run {
  const ns = (r.timestamp || fallbackNs) - start;
  // Rounded down, also before the day's start (BigInt division would round -0.4 ms up to 0).
  const ms = ns / 1_000_000n - (ns % 1_000_000n < 0n ? 1n : 0n);
  return runOfResult(r, Number(ms));
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
    if (c.nodes) run.node = c.nodes[c.ni?.[i] ?? 0];
    // A format 3 day says every run's verdict (c, where it differs from s): readers do not recompute it.
    if (c.nodes || c.c) run.c = (c.c?.[i] ?? run.s) as StatusCode;
    runs.push(run);
  }
  return runs;
}

/** Runs as the check's combined status saw them (`s` = the verdict): what uptime, events and edges count. */
export const asCombined = (runs: readonly Run[]): Run[] => runs.map((r) => (r.c ? asVerdict(r, r.c) : r));

/** What a check is called, where the page shows it and how its nodes combine: from its newest run. */
export interface CheckNames extends Identified {
  /** The checker's `group` and `description`; absent when it has none. */
  group?: string;
  description?: string;
  /** The checker's quorum rule (window in µs); absent: a strict majority of the nodes reporting. */
  quorum?: QuorumRule;
}

/** What decides a day's combined statuses beside the checks' own rules: each node's state before it. */
export interface Verdicts {
  carry?: Carry;
}

/** `runs` sorted by byTimeThenNode; `combined`: each run's verdict, written where it differs from its own status. */
export function packRuns(names: CheckNames, runs: readonly Run[], combined?: readonly StatusCode[]): CheckRuns {
  const c: CheckRuns = { endpoint: names.endpoint ?? "", title: names.title ?? "", t: [], s: "", rtt: [], thr: [], notice: {}, message: {}, error: {} };
  if (names.group) c.group = names.group;
  if (names.description) c.description = names.description;
  // Results that name no node (Go-written, older) add nothing: the file stays format 2's size.
  // Beside named ones they are the unnamed location "".
  const nodes = runs.some((r) => r.node) ? [...new Set(runs.map((r) => r.node ?? ""))].sort() : [];
  if (nodes.length > 0) c.nodes = nodes;
  if (nodes.length > 1) c.ni = runs.map((r) => nodes.indexOf(r.node ?? ""));
  if (combined?.some((code, i) => code !== runs[i]!.s)) c.c = combined.join("");
  if (names.quorum) c.quorum = names.quorum;
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
  names: CheckNames;
  /** `t` of the run the names come from: a check's newest run names it (a renamed URL shows its current one). */
  namedAt: number;
  runs: Run[];
  packed?: CheckRuns;
}

/** Groups runs by checkKey, in first-seen order. */
export class CheckGroups {
  private readonly groups = new Map<string, Group>();

  /** `runs` becomes the group's own array; `packed`, the day's columns they came from (kept while nothing is added). */
  add(names: CheckNames, runs: Run[], packed?: CheckRuns): void {
    if (runs.length === 0) return;
    const newest = runs.reduce((t, r) => Math.max(t, r.t), -Infinity);
    const key = checkKey(names);
    const g = this.groups.get(key);
    if (!g) {
      this.groups.set(key, { names: namesOf(names), namedAt: newest, runs, packed });
      return;
    }
    if (newest >= g.namedAt) {
      // The newest run's group holds, also when it has none: a check taken out of its group leaves it.
      g.names = { ...namesOf(names), title: names.title || g.names.title, endpoint: names.endpoint || g.names.endpoint };
      g.namedAt = newest;
    }
    for (const run of runs) g.runs.push(run);
    g.packed = undefined;
  }

  /** Each check's columns; a changed check's verdicts are worked out again from its runs' own statuses. */
  pack({ carry }: Verdicts = {}): CheckRuns[] {
    return [...this.groups.entries()].map(([key, g]) => {
      if (g.packed) return g.packed;
      const runs = g.runs.map(({ c: _, ...run }) => run).sort(byTimeThenNode);
      return packRuns(g.names, runs, combineRuns(runs, g.names.quorum, new Map(carry?.get(key))));
    });
  }
}

/** Whether a check of the day was run by two or more nodes: only then can the day before change a verdict. */
export const manyNodes = (day: RunsDay): boolean => day.checks.some((c) => c.ni !== undefined);

const namesOf = (n: CheckNames): CheckNames => ({
  title: n.title ?? "", endpoint: n.endpoint ?? "", ...(n.group && { group: n.group }), ...(n.description && { description: n.description }),
  ...(n.quorum && { quorum: n.quorum }),
});

/** One result of a round as a run of its check, timed from the day's `start`. */
export interface NamedRun {
  names: CheckNames;
  run: Run;
}

export function runsOfRound(round: { storedAt: UnixNanos; results: readonly Result[] }, start: UnixNanos): NamedRun[] {
  return round.results.map((r) => ({
    names: { title: r.title, endpoint: r.endpoint, group: r.group, description: r.description, quorum: quorumOfResult(r) },
    run: runOf(r, start, round.storedAt),
  }));
}

/**
 * Merges rounds into a day (a new object; `day` is not changed). A round already merged (same
 * file name) is skipped, so replaying a round or running a backfill twice changes nothing. Checks
 * of a day written by format 1 (grouped by endpoint) are regrouped by checkKey here.
 */
export function addRounds(day: RunsDay, rounds: readonly { name: string; storedAt: UnixNanos; results: readonly Result[] }[], verdicts: Verdicts = {}): RunsDay {
  const start = BigInt(day.start);
  const files = new Set(day.files);
  const groups = new CheckGroups();
  for (const c of day.checks) groups.add(c, expandRuns(c), c);
  for (const round of rounds) {
    if (files.has(round.name)) continue;
    files.add(round.name);
    for (const { names, run } of runsOfRound(round, start)) groups.add(names, [run]);
  }
  return { ...emptyRunsDay(day.day), files: [...files].sort(), checks: groups.pack(verdicts) };
}

/** Each node's newest run, sorted by node; only where two or more nodes ran the check. */
export function nodeFigures(runs: readonly Run[]): NodeFigures[] | undefined {
  const views = new Map<string, View>();
  for (const run of runs) noteView(views, run);
  if (views.size < 2) return undefined;
  return [...views].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([node, v]) => ({
    node, last: [v.t, v.s], rtt: v.rtt, ...(v.gap !== undefined && { gap: v.gap }), ...(v.text && { text: v.text }),
  }));
}

/** What a day hands the next: each node's newest run of each check, timed from the next day's start. */
export function carryOf(day: HoursDay): Carry {
  const carry = new Map<string, Map<string, View>>();
  for (const c of day.checks) {
    if (!c.nodes) continue;
    carry.set(checkKey(c), new Map(c.nodes.map((n) => [n.node, { t: n.last[0] - DAY_MS, s: n.last[1], gap: n.gap, rtt: n.rtt, text: n.text }])));
  }
  return carry;
}

export function rollupHours(day: RunsDay): HoursDay {
  const checks = day.checks.map((c): CheckHours => {
    const own = expandRuns(c);
    const nodes = nodeFigures(own);
    const runs = asCombined(own);
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
    const all = runs.map((r) => r.rtt);
    return {
      endpoint: c.endpoint, title: c.title, ...(c.group && { group: c.group }), ...(c.description && { description: c.description }), n, up, rtt: rtts.map((v) => median(v)), thr: last.thr,
      first: opening![2] ? [first.t, first.s, opening![2]] : [first.t, first.s], last: [last.t, last.s], events,
      dayRtt: [median(all), percentile(all, 95)],
      ...(nodes && { nodes }), ...(c.quorum && { quorum: c.quorum }),
    };
  });
  return { v: SUMMARY_VERSION, day: day.day, start: day.start, checks };
}
