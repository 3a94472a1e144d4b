/**
 * A check's history over many days, stitched from hours days or week rollups: hour buckets
 * (runs, up), every status change and every message. status.json, the Atom feed and
 * `checkup report` read checks through this, and find outages with the one rule below.
 * Times are ms since the epoch.
 */
import { checkKey } from "../check-key.js";
import type { CheckHours, CheckWeek, DayEvent, HoursDay, StatusCode, WeekRollup } from "./format.js";

const HOUR_MS = 3_600_000;

/** [ms, status code, text]: the check's first run, then each run whose status differs from the run before. */
export type Change = [number, StatusCode, string];

export interface Timeline {
  key: string;
  title: string;
  endpoint: string;
  /** Hour start (ms) → [runs, runs up]; hours without runs are absent. */
  hours: Map<number, [number, number]>;
  changes: Change[];
  /** [ms, text] of each posted message. */
  messages: [number, string][];
  /** The newest run: [ms, code]. */
  last: [number, StatusCode];
}

/**
 * An outage is a run of non-healthy results, as the notifiers see it (notify/state.ts: degraded
 * and unknown count, as down does). It starts with its first non-healthy run and ends with the
 * first healthy one; `end` is absent while it goes on.
 */
export interface Outage {
  start: number;
  end?: number;
  /** The status it opened with, and that run's error or notice. */
  status: StatusCode;
  reason: string;
}

export function outagesOf(changes: readonly Change[]): Outage[] {
  const outages: Outage[] = [];
  let open: Outage | undefined;
  for (const [t, code, text] of changes) {
    if (code !== "h" && !open) outages.push((open = { start: t, status: code, reason: text }));
    else if (code === "h" && open) {
      open.end = t;
      open = undefined;
    }
  }
  return outages;
}

/** Runs and runs up in the hours that start at or after `fromMs` and before `toMs`. */
export function countRuns(t: Timeline, fromMs: number, toMs = Infinity): { runs: number; up: number } {
  let runs = 0;
  let up = 0;
  for (const [hour, [n, u]] of t.hours) {
    if (hour < fromMs || hour >= toMs) continue;
    runs += n;
    up += u;
  }
  return { runs, up };
}

/** Stitches days or weeks (any order) into one timeline per check, in first-seen order. */
export function timelinesOf(spans: readonly (HoursDay | WeekRollup)[]): Timeline[] {
  const byKey = new Map<string, Timeline>();
  const sorted = [...spans].sort((a, b) => (BigInt(a.start) < BigInt(b.start) ? -1 : 1));
  for (const span of sorted) {
    const start = Number(BigInt(span.start) / 1_000_000n);
    for (const c of span.checks) addSpan(byKey, start, c, "week" in span ? weekHours(c as CheckWeek) : dayHours(c as CheckHours));
  }
  return [...byKey.values()];
}

function addSpan(byKey: Map<string, Timeline>, start: number, c: CheckHours | CheckWeek, hours: [number, number][]): void {
  const key = checkKey(c);
  let t = byKey.get(key);
  const first: Change = [start + c.first[0], c.first[1], c.first[2] ?? ""];
  if (!t) byKey.set(key, (t = { key, title: c.title, endpoint: c.endpoint, hours: new Map(), changes: [], messages: [], last: [first[0], first[1]] }));
  // A span's first run is a change only against the newest run before it.
  if (t.changes.length === 0 || t.last[1] !== first[1]) t.changes.push(first);
  for (const [t0, code, text] of c.events as DayEvent[]) {
    if (code === "m") t.messages.push([start + t0, text]);
    else t.changes.push([start + t0, code, text]);
  }
  hours.forEach(([n, up], h) => {
    if (n > 0) t.hours.set(start + h * HOUR_MS, [n, up]);
  });
  t.last = [start + c.last[0], c.last[1]];
  t.title = c.title || t.title;
  t.endpoint = c.endpoint || t.endpoint;
}

const dayHours = (c: CheckHours): [number, number][] => c.n.map((n, h) => [n, c.up[h] ?? 0]);

function weekHours(c: CheckWeek): [number, number][] {
  const hours: [number, number][] = [];
  for (const [count, runs] of c.n) for (let i = 0; i < count; i++) hours.push([runs, runs - (c.down[hours.length] ?? 0)]);
  return hours;
}
