/**
 * Week rollups: seven hours days joined into one compact file per UTC week, so a 30 day view
 * loads 5 or 6 files instead of 31, at about a third of the bytes. Pure, like day.ts: the writer
 * feeds it the week's hours days.
 */
import { checkKey } from "../check-key.js";
import {
  dayStart, SUMMARY_VERSION, type CheckWeek, type DayEvent, type Edge, type HoursDay, type NodeFigures, type QuorumRule, type WeekRollup,
} from "./format.js";

const HOUR_MS = 3_600_000;
export const WEEK_HOURS = 7 * 24;

/**
 * A chart point needs no µs precision: 3 significant digits in ms (0.5 % at worst) write
 * "123" for 123,456 µs, half the characters, and rounding again changes nothing.
 */
export const rttMs = (us: number): number => (us === 0 ? 0 : Number((us / 1000).toPrecision(3)));

interface Building {
  endpoint: string;
  title: string;
  group?: string;
  description?: string;
  n: number[];
  down: number[];
  rtt: number[];
  thr: number;
  first?: Edge;
  last?: Edge;
  events: DayEvent[];
  /** Each node's newest run, by node (days go oldest first, so the newest day's wins). */
  nodes: Map<string, NodeFigures>;
  quorum?: QuorumRule;
}

const shift = (edge: Edge, ms: number): Edge => [edge[0] + ms, ...edge.slice(1)] as Edge;

/** The week starting on `monday`, from any of its hours days (missing days had no runs). */
export function rollupWeek(monday: string, days: readonly HoursDay[]): WeekRollup {
  const start = dayStart(monday);
  const byKey = new Map<string, Building>();
  for (const day of [...days].sort((a, b) => a.day.localeCompare(b.day))) {
    const offset = Number((BigInt(day.start) - start) / 1_000_000n);
    const firstHour = offset / HOUR_MS;
    if (!Number.isInteger(firstHour) || firstHour < 0 || firstHour >= WEEK_HOURS) throw new Error(`rollupWeek: ${day.day} is not in the week of ${monday}`);
    for (const c of day.checks) {
      const key = checkKey(c);
      const w: Building = byKey.get(key) ?? { endpoint: c.endpoint, title: c.title, n: [], down: [], rtt: [], thr: 0, events: [], nodes: new Map<string, NodeFigures>() };
      byKey.set(key, w);
      c.n.forEach((n, i) => {
        w.n[firstHour + i] = n;
        w.down[firstHour + i] = n - (c.up[i] ?? 0);
        w.rtt[firstHour + i] = rttMs(c.rtt[i] ?? 0);
      });
      const first = shift(c.first, offset);
      // A day's first run is a change only against the run before it, which is in an earlier day.
      if (w.last && w.last[1] !== first[1]) w.events.push([first[0], first[1], first[2] ?? ""]);
      w.first ??= first;
      w.events.push(...c.events.map(([t, code, text]): DayEvent => [t + offset, code, text]));
      w.last = shift(c.last, offset);
      // Days go oldest first: the newest names win (a check moved to another URL shows the new one).
      w.title = c.title || w.title;
      w.endpoint = c.endpoint || w.endpoint;
      w.group = c.group;
      w.description = c.description;
      w.thr = c.thr;
      w.quorum = c.quorum;
      for (const f of c.nodes ?? []) w.nodes.set(f.node, { ...f, last: [f.last[0] + offset, f.last[1]] });
    }
  }
  return { v: SUMMARY_VERSION, week: monday, start: start.toString(), checks: [...byKey.values()].map(pack) };
}

function pack(w: Building): CheckWeek {
  let hours = w.n.length;
  while (hours > 0 && !w.n[hours - 1]) hours--;
  const n: [number, number][] = [];
  const down: Record<string, number> = {};
  for (let h = 0; h < hours; h++) {
    const runs = w.n[h] ?? 0;
    const last = n.at(-1);
    if (last && last[1] === runs) last[0]++;
    else n.push([1, runs]);
    if (w.down[h]) down[h] = w.down[h]!;
  }
  const rtt = Array.from({ length: hours }, (_, h) => w.rtt[h] ?? 0);
  const nodes = [...w.nodes.values()].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  return {
    endpoint: w.endpoint, title: w.title, ...(w.group && { group: w.group }), ...(w.description && { description: w.description }),
    n, down, rttMs: rtt, thr: w.thr, first: w.first!, last: w.last!, events: w.events,
    ...(nodes.length > 0 && { nodes }), ...(w.quorum && { quorum: w.quorum }),
  };
}
