/*
 * Turns loaded data into what the page shows: per check its runs or hour columns in the window,
 * uptime, chart points, events. The summary format is docs/summaries.md; the rules (median,
 * status codes, uptime, events) are rules.js, which lib/summary uses too. Times here are ms since
 * the epoch.
 */
import { checkKey, isUp, runOfResult, uptimePercent } from "./rules.js";

const HOUR_MS = 3_600_000;

/** Holds what was loaded, per check key: runs and hour buckets, from any source. */
export class Pieces {
  constructor() {
    this.checks = new Map();
  }

  /** `named`: the title, endpoint and group of a result or a summary's check, as of time `t`. */
  entry(named, t) {
    const key = checkKey(named);
    let e = this.checks.get(key);
    if (!e) this.checks.set(key, (e = { endpoint: "", title: "", namedAt: -Infinity, runs: [], hours: [] }));
    // A check moved to another URL keeps its history; the card shows the newest endpoint and group.
    if (t >= e.namedAt) {
      Object.assign(e, { title: named.title || e.title, endpoint: named.endpoint || e.endpoint, group: named.group || undefined, namedAt: t });
    }
    return e;
  }

  /** A stored round as checkup writes it (array of results), stored at `atMs`. */
  addRound(results, atMs) {
    for (const r of Array.isArray(results) ? results : []) {
      const t = r.timestamp ? Math.floor(Number(r.timestamp) / 1e6) : atMs;
      this.entry(r, t).runs.push(runOfResult(r, t));
    }
  }

  /** A `summaries/<day>.json` object (or one from /api/history?res=runs). */
  addRunsDay(day) {
    const start = startMs(day);
    for (const c of day.checks) {
      const thr = c.thr || [];
      let k = 0;
      let current = 0;
      const runs = c.t.map((t, i) => {
        while (k < thr.length && thr[k][0] <= i) current = thr[k++][1];
        return {
          t: start + t, s: c.s[i] || "u", rtt: c.rtt[i] || 0, thr: current,
          notice: c.notice?.[i], message: c.message?.[i], error: c.error?.[i],
        };
      });
      const e = this.entry(c, runs.length ? runs[runs.length - 1].t : start);
      e.runs.push(...runs);
    }
  }

  /** A `summaries/<day>.hours.json` object (or one from /api/history?res=hours). */
  addHoursDay(day) {
    const start = startMs(day);
    for (const c of day.checks) this.addHours(start, c, c);
  }

  /** A `summaries/<monday>.week.json` object: run-length runs, sparse downs, RTT in ms. */
  addWeek(week) {
    const start = startMs(week);
    for (const c of week.checks) {
      const n = [];
      for (const [hours, runs] of c.n) for (let i = 0; i < hours; i++) n.push(runs);
      const up = n.map((runs, h) => runs - (c.down[h] || 0));
      this.addHours(start, c, { n, up, rtt: n.map((_, h) => Math.round((c.rttMs[h] || 0) * 1000)) });
    }
  }

  /** One check's hour columns from `start` (n, up, rtt in µs), with its edges and events. */
  addHours(start, c, { n, up, rtt }) {
    this.entry(c, start + c.last[0]).hours.push({
      start, n, up, rtt, thr: c.thr,
      first: [start + c.first[0], c.first[1], c.first[2] || ""], last: [start + c.last[0], c.last[1]],
      events: c.events.map(([t, code, text]) => [start + t, code, text]),
    });
  }
}

/** ns digit string → ms, without passing the ns through a double. */
function startMs(day) {
  return Number(String(day.start).slice(0, -6) || 0);
}

/** Everything the page shows, for the window [fromMs, now]. */
export function buildModel(pieces, fromMs) {
  const checks = [];
  for (const [key, e] of pieces.checks) {
    const c = buildCheck(e, fromMs);
    if (c.total > 0) checks.push({ key, endpoint: e.endpoint, title: e.title, group: e.group, ...c });
  }
  const lastCheck = Math.max(-Infinity, ...checks.map((c) => c.latest.t));
  return { checks, overall: overallOf(checks), lastCheck: Number.isFinite(lastCheck) ? lastCheck : undefined };
}

/** checkup's header rule: any check down → down; else any degraded → degraded; else healthy. */
export function overallOf(checks) {
  if (checks.some((c) => c.latest.s === "x")) return "down";
  if (checks.some((c) => c.latest.s === "d")) return "degraded";
  return "healthy";
}

function buildCheck(e, fromMs) {
  // Runs and hour chunks in time order; a round may arrive twice (reload), so dedupe by time.
  const seen = new Set();
  const runs = e.runs.filter((r) => r.t >= fromMs && !seen.has(r.t) && seen.add(r.t));
  const items = [
    ...runs.map((r) => ({ t: r.t, run: r })),
    ...e.hours.filter((h) => h.last[0] >= fromMs).map((h) => ({ t: h.first[0], hours: h })),
  ].sort((a, b) => a.t - b.t);
  let total = 0;
  let up = 0;
  let before;
  let latest;
  let thr = 0;
  const points = [];
  const events = [];
  for (const item of items) {
    const r = item.run;
    if (r) {
      total++;
      if (isUp(r.s)) up++;
      points.push({ t: r.t, v: r.rtt, s: r.s });
      if (r.s !== before) events.push({ t: r.t, kind: r.s, text: r.error || r.notice || "" });
      if (r.message) events.push({ t: r.t, kind: "m", text: r.message });
      before = r.s;
      latest = { t: r.t, s: r.s };
      thr = r.thr;
      continue;
    }
    const h = item.hours;
    h.n.forEach((n, i) => {
      const t = h.start + i * HOUR_MS;
      if (n === 0 || t + HOUR_MS <= fromMs) return;
      total += n;
      up += h.up[i];
      points.push({ t: t + HOUR_MS / 2, v: h.rtt[i], s: h.up[i] < n ? "x" : "h" });
    });
    if (h.first[1] !== before) events.push({ t: h.first[0], kind: h.first[1], text: h.first[2] });
    events.push(...h.events.map(([t, kind, text]) => ({ t, kind, text })));
    before = h.last[1];
    latest = { t: h.last[0], s: h.last[1] };
    thr = h.thr;
  }
  return {
    total, up, uptime: uptimePercent(up, total), latest, thr, points,
    events: newestFirst(events.filter((ev) => ev.t >= fromMs)),
  };
}

/** Newest first; events of one instant in the reverse of the order they happened. */
function newestFirst(events) {
  return events.map((ev, i) => [ev, i]).sort(([a, i], [b, j]) => b.t - a.t || j - i).map(([ev]) => ev);
}
