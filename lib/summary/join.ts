/**
 * Hours days joined into one longer file (a week, a month): per check its names, edges and
 * status changes across the days, while the caller lays out the columns. Pure, like day.ts.
 */
import { checkKey } from "../check-key.js";
import { dayStart, type CheckHours, type DayEvent, type Edge, type HoursDay, type NodeFigures, type QuorumRule } from "./format.js";

const DAY_MS = 86_400_000;

/** One check of the joined span; `cols` is the caller's. */
export interface Joined<C> {
  endpoint: string;
  title: string;
  group?: string;
  description?: string;
  thr: number;
  first: Edge;
  last: Edge;
  /** Status changes after the span's first run (across its days too), and messages, oldest first. */
  events: DayEvent[];
  /** Each node's newest run, by node (days go oldest first, so the newest day's wins). */
  nodes: Map<string, NodeFigures>;
  quorum?: QuorumRule;
  cols: C;
}

const shift = (edge: Edge, ms: number): Edge => [edge[0] + ms, ...edge.slice(1)] as Edge;

/** The span days are joined into: "the week of 2024-06-10" is 7 days from that Monday. */
export interface Span {
  name: "week" | "month";
  first: string;
  days: number;
}

/**
 * Joins `days` (any order, each inside `span`) per check: the newest
 * names win, and a day's first run is a change only against the run before it, in an earlier day.
 * `place` adds one day of one check to its columns; `day` is the day's index in the span.
 */
export function joinDays<C>(span: Span, days: readonly HoursDay[], columns: () => C,
  place: (cols: C, check: CheckHours, day: number) => void): Joined<C>[] {
  const start = dayStart(span.first);
  const byKey = new Map<string, Joined<C>>();
  for (const day of [...days].sort((a, b) => a.day.localeCompare(b.day))) {
    const offset = Number((BigInt(day.start) - start) / 1_000_000n);
    const index = offset / DAY_MS;
    if (!Number.isInteger(index) || index < 0 || index >= span.days) throw new Error(`rollup: ${day.day} is not in the ${span.name} of ${span.first}`);
    for (const c of day.checks) {
      const key = checkKey(c);
      const dayFirst = shift(c.first, offset);
      const j = byKey.get(key);
      if (!j) {
        byKey.set(key, { endpoint: c.endpoint, title: c.title, thr: c.thr, first: dayFirst, last: dayFirst, events: [], nodes: new Map(), cols: columns() });
      } else if (j.last[1] !== dayFirst[1]) {
        j.events.push([dayFirst[0], dayFirst[1], dayFirst[2] ?? ""]);
      }
      const w = byKey.get(key)!;
      place(w.cols, c, index);
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
  return [...byKey.values()];
}

/** The names of a joined check as a file writes them (group and description only when set). */
export const namesOfJoined = <C>(j: Joined<C>) => ({
  endpoint: j.endpoint, title: j.title, ...(j.group && { group: j.group }), ...(j.description && { description: j.description }),
});

/** The rest of a joined check as a file writes it: threshold, edges, events, and nodes and quorum where there are any. */
export function spanOfJoined<C>(j: Joined<C>) {
  const nodes = [...j.nodes.values()].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  return { thr: j.thr, first: j.first, last: j.last, events: j.events, ...(nodes.length > 0 && { nodes }), ...(j.quorum && { quorum: j.quorum }) };
}
