/*
 * Turns loaded data into what the page shows: per check its runs or hour columns in the window,
 * uptime, chart points, events. The summary format is docs/summaries.md; the rules (median,
 * status codes, uptime, events) are rules.js, which lib/summary uses too. Times here are ms since
 * the epoch.
 */
import {
  asVerdict, byTimeThenNode, checkKey, combineRuns, countedNodes, dayOfMs, detectEvents, isUp, median, noteView, outagesOf, percentile,
  quorumOfResult, runOfResult, uptimePercent, worse,
} from "./rules.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Holds what was loaded, per check key: runs and hour buckets, from any source. */
export class Pieces {
  constructor() {
    this.checks = new Map();
  }

  /** `named`: the title, endpoint, group, description and quorum rule (window in µs) of a result or a summary's check, as of time `t`. */
  entry(named, t) {
    const key = checkKey(named);
    let e = this.checks.get(key);
    if (!e) this.checks.set(key, (e = { endpoint: "", title: "", namedAt: -Infinity, runs: [], hours: [] }));
    // A check moved to another URL keeps its history; the card shows the newest endpoint and group.
    if (t >= e.namedAt) {
      // The newest result's quorum rule decides every run's verdict, from check files and summaries alike.
      Object.assign(e, {
        title: named.title || e.title, endpoint: named.endpoint || e.endpoint, group: named.group || undefined, description: named.description || undefined,
        quorum: named.quorum || undefined, namedAt: t,
      });
    }
    return e;
  }

  /** A stored round as checkup writes it (array of results), stored at `atMs`. */
  addRound(results, atMs) {
    for (const r of Array.isArray(results) ? results : []) {
      const t = r.timestamp ? Math.floor(Number(r.timestamp) / 1e6) : atMs;
      this.entry({ ...r, quorum: quorumOfResult(r) }, t).runs.push(runOfResult(r, t));
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
        const run = {
          t: start + t, s: c.s[i] || "u", rtt: c.rtt[i] || 0, thr: current,
          notice: c.notice?.[i], message: c.message?.[i], error: c.error?.[i],
        };
        // Format 3: the node, and the verdict the writer worked out (with the day before in view).
        if (c.nodes) run.node = c.nodes[c.ni?.[i] ?? 0];
        if (c.nodes || c.c) run.c = c.c?.[i] || run.s;
        return run;
      });
      const e = this.entry(c, runs.length ? runs[runs.length - 1].t : start);
      e.runs.push(...runs);
    }
  }

  /** A `summaries/<day>.hours.json` object (or one from /api/history?res=hours). */
  addHoursDay(day) {
    const start = startMs(day);
    for (const c of day.checks) this.addHours(start, c, { n: c.n, up: c.up, rtt: c.rtt, p95: c.p95 });
  }

  /** A `summaries/<monday>.week.json` object: run-length runs, sparse downs, RTT in ms. */
  addWeek(week) {
    const start = startMs(week);
    for (const c of week.checks) {
      const n = [];
      for (const [hours, runs] of c.n) for (let i = 0; i < hours; i++) n.push(runs);
      const up = n.map((runs, h) => runs - (c.down[h] || 0));
      const us = (ms) => n.map((_, h) => Math.round((ms?.[h] || 0) * 1000));
      this.addHours(start, c, { n, up, rtt: us(c.rttMs), p95: c.p95Ms ? us(c.p95Ms) : undefined });
    }
  }

  /** A `summaries/<YYYY-MM>.month.json` object: a column per day, p50 and p95 of the day's runs in ms. */
  addMonth(month) {
    const start = startMs(month);
    for (const c of month.checks) {
      const us = (ms) => c.n.map((_, d) => Math.round((ms[d] || 0) * 1000));
      this.addHours(start, c, { n: c.n, up: c.n.map((runs, d) => runs - (c.down[d] || 0)), rtt: us(c.p50Ms), p95: us(c.p95Ms), step: DAY_MS });
    }
  }

  /** One check's columns of `step` ms (an hour, or a day) from `start` (n, up, rtt and p95 in µs), with its edges and events. */
  addHours(start, c, { n, up, rtt, p95 = rtt, step = HOUR_MS }) {
    this.entry(c, start + c.last[0]).hours.push({
      start, step, n, up, rtt, p95, thr: c.thr,
      first: [start + c.first[0], c.first[1], c.first[2] || ""], last: [start + c.last[0], c.last[1]],
      events: c.events.map(([t, code, text]) => [start + t, code, text]),
      nodes: (c.nodes || []).map((f) => ({ node: f.node, t: start + f.last[0], s: f.last[1], gap: f.gap, rtt: f.rtt, text: f.text })),
    });
  }
}

/** ns digit string → ms, without passing the ns through a double. */
function startMs(day) {
  return Number(String(day.start).slice(0, -6) || 0);
}

/** Chart buckets across the plotted span: about one per 4 px of its 600 px width. */
const BUCKETS = 150;

/** Everything the page shows, for the window [fromMs, nowMs]. */
export function buildModel(pieces, fromMs, nowMs = Date.now()) {
  const checks = [];
  for (const [key, e] of pieces.checks) {
    const c = buildCheck(e, fromMs, nowMs);
    if (c.total > 0) checks.push({ key, endpoint: e.endpoint, title: e.title, group: e.group, description: e.description, ...c });
  }
  const lastCheck = Math.max(-Infinity, ...checks.map((c) => c.latest.t));
  return {
    checks, overall: overallOf(checks), lastCheck: Number.isFinite(lastCheck) ? lastCheck : undefined,
    // A round runs every check once: the most runs any check has is how often checkup ran.
    rounds: Math.max(0, ...checks.map((c) => c.total)),
  };
}

/** checkup's header rule: any check down → down; else any degraded → degraded; else healthy. */
export function overallOf(checks) {
  if (checks.some((c) => c.latest.s === "x")) return "down";
  if (checks.some((c) => c.latest.s === "d")) return "degraded";
  return "healthy";
}

/**
 * One check in the window. `timeline` holds every run (or, from hour rollups, every status change
 * and message) in time order, so events, outages and the days' worst status and downtime come
 * from one sequence whatever was loaded. `samples` are the chart's inputs: per run, or per hour.
 */
function buildCheck(e, fromMs, nowMs) {
  // A round may arrive twice (reload): dedupe runs by time and node.
  const seen = new Set();
  const own = [...e.runs].sort(byTimeThenNode).filter((r) => !seen.has(`${r.t} ${r.node ?? ""}`) && seen.add(`${r.t} ${r.node ?? ""}`));
  // Several nodes: each run counts as the check's combined status then (one node: its own).
  const verdicts = combineRuns(own, e.quorum);
  const runs = own.map((r, i) => asVerdict(r, verdicts[i])).filter((r) => r.t >= fromMs);
  const hours = e.hours.filter((h) => h.last[0] >= fromMs);
  const timeline = [...runs];
  const samples = runs.map((r) => ({ t: r.t, n: 1, up: isUp(r.s) ? 1 : 0, p50: r.rtt, p95: r.rtt, s: r.s, step: 0 }));
  let latest;
  let thr = 0;
  for (const r of runs) if (!latest || r.t >= latest.t) [latest, thr] = [{ t: r.t, s: r.s }, r.thr];
  for (const h of hours) {
    timeline.push({ t: h.first[0], s: h.first[1], error: h.first[2] || undefined });
    let s = h.first[1];
    for (const [t, code, text] of h.events) {
      if (code === "m") timeline.push({ t, s, message: text });
      else timeline.push({ t, s: (s = code), error: text || undefined });
    }
    h.n.forEach((n, i) => {
      const t = h.start + i * h.step;
      // At the column's middle, but never after now: the current one is plotted where it ends so far.
      if (n > 0 && t + h.step > fromMs) samples.push({ t: Math.min(t + h.step / 2, nowMs), n, up: h.up[i], p50: h.rtt[i], p95: h.p95[i], s: h.up[i] < n ? "x" : "h", step: h.step });
    });
    if (!latest || h.last[0] >= latest.t) [latest, thr] = [{ t: h.last[0], s: h.last[1] }, h.thr];
  }
  timeline.sort((a, b) => a.t - b.t);
  samples.sort((a, b) => a.t - b.t);
  const total = samples.reduce((n, x) => n + x.n, 0);
  const up = samples.reduce((n, x) => n + x.up, 0);
  const outages = outagesOf(timeline).filter((o) => (o.end ?? Infinity) >= fromMs);
  // Bars per UTC day, or per hour for windows up to 48 h (a day or two of daily bars says little).
  const bars = barsOf(samples, timeline, outages, fromMs, nowMs, nowMs - fromMs > 2 * DAY_MS ? DAY_MS : HOUR_MS);
  return {
    total, up, uptime: uptimePercent(up, total), latest, thr, ...locationsOf(own, hours, fromMs, latest, e.quorum),
    points: samples.map((x) => ({ t: x.t, v: x.p50, s: x.s })),
    buckets: bucketsOf(samples, fromMs, nowMs),
    events: newestFirst(detectEvents(timeline).filter(([t]) => t >= fromMs).map(([t, kind, text]) => ({ t, kind, text }))),
    outages: outages.map((o) => ({ ...o, key: e.title || e.endpoint })),
    bars,
    // Uptime per calendar month for windows longer than a month (the 90 day view).
    months: nowMs - fromMs > 31 * DAY_MS ? monthsOf(bars) : [],
  };
}

/**
 * Where two or more nodes ran the check in the window: each one's newest run (its own status,
 * not the verdict), by node name, `stale` where the verdict at the newest run no longer counts
 * it (rules.js countedNodes). `reporting`: under a quorum rule, how many of its `of` nodes
 * counted, where fewer did (a partial verdict). One node, or results that name none: no rows.
 */
function locationsOf(runs, hours, fromMs, latest, rule) {
  const views = new Map();
  for (const r of runs) noteView(views, r);
  for (const h of hours) for (const f of h.nodes) if (!(views.get(f.node)?.t >= f.t)) views.set(f.node, f);
  const counted = new Set(latest ? countedNodes(views, latest.t, rule) : []);
  const list = [...views].filter(([, v]) => v.t >= fromMs)
    .map(([node, v]) => ({ node, s: v.s, t: v.t, rtt: v.rtt, text: v.text, stale: !counted.has(node) }));
  const reporting = rule && counted.size < rule.of ? { counted: counted.size, of: rule.of } : undefined;
  return { locations: list.length < 2 ? [] : list.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)), reporting };
}

/**
 * The chart's buckets: p50 (median of the samples' medians) and p95 per bucket, and the worst
 * status in it. The span starts at the first sample, not the window: a new install fills the chart.
 * `per` says what a p95 is of: "run" (the runs in the bucket), "hour" (the hours' medians in it),
 * or "day" (each day's runs, from month files): the coarsest sample there is.
 */
function bucketsOf(samples, fromMs, nowMs) {
  const per = { 0: "run", [HOUR_MS]: "hour", [DAY_MS]: "day" }[Math.max(0, ...samples.map((x) => x.step))];
  if (samples.length === 0) return { from: fromMs, to: nowMs, list: [], per };
  // A little room before the first sample (5 % of what the data spans, at least a minute).
  const from = Math.max(fromMs, samples[0].t - Math.max(60_000, (nowMs - samples[0].t) / 20));
  const width = Math.max(1, (nowMs - from) / BUCKETS);
  const groups = new Map();
  for (const x of samples) {
    const i = Math.min(BUCKETS - 1, Math.max(0, Math.floor((x.t - from) / width)));
    const g = groups.get(i) ?? { t: from + (i + 0.5) * width, p50s: [], p95s: [], s: "h" };
    g.p50s.push(x.p50);
    g.p95s.push(x.p95);
    g.s = worse(g.s, x.s);
    groups.set(i, g);
  }
  const list = [...groups.values()].map((g) => ({ t: g.t, p50: median(g.p50s), p95: percentile(g.p95s, 95), s: g.s }));
  return { from, to: nowMs, width, list, per };
}

/**
 * One bar per UTC day (or hour, `step` ms) of the window, oldest first: runs, runs up, the worst
 * status (undefined without data), downtime (down or unknown) in minutes, the outages it touched.
 */
function barsOf(samples, timeline, outages, fromMs, nowMs, step) {
  const days = [];
  for (let start = Math.floor(fromMs / step) * step; start <= nowMs; start += step) {
    days.push({ start, end: start + step, total: 0, up: 0, worst: undefined, downMs: 0, outages: [] });
  }
  const at = (t) => days[Math.floor((t - days[0].start) / step)];
  for (const x of samples) {
    const d = at(x.t);
    if (!d) continue;
    d.total += x.n;
    d.up += x.up;
  }
  timeline.forEach((item, i) => {
    // A status holds until the next item; the newest one until now.
    const next = timeline[i + 1]?.t ?? Math.max(item.t, nowMs);
    for (const d of days) {
      if (d.total === 0 || item.t >= d.end || (item.t < d.start && next <= d.start)) continue;
      d.worst = worse(d.worst, item.s);
      if (!isUp(item.s)) d.downMs += Math.max(0, Math.min(next, d.end) - Math.max(item.t, d.start));
    }
  });
  for (const o of outages) for (const d of days) if (o.start < d.end && (o.end ?? nowMs) >= d.start && d.total > 0) d.outages.push(o);
  return { step, list: days.map((d) => ({ ...d, uptime: uptimePercent(d.up, d.total), downMinutes: Math.round(d.downMs / 60_000) })) };
}

/** Per UTC calendar month of the day bars, oldest first: runs, runs up, uptime and downtime minutes. */
function monthsOf(bars) {
  const months = new Map();
  for (const d of bars.list) {
    const month = dayOfMs(d.start).slice(0, 7);
    const m = months.get(month) ?? { month, total: 0, up: 0, downMinutes: 0 };
    m.total += d.total;
    m.up += d.up;
    m.downMinutes += d.downMinutes;
    months.set(month, m);
  }
  return [...months.values()].map((m) => ({ ...m, uptime: uptimePercent(m.up, m.total) }));
}

/** Newest first; events of one instant in the reverse of the order they happened. */
function newestFirst(events) {
  return events.map((ev, i) => [ev, i]).sort(([a, i], [b, j]) => b.t - a.t || j - i).map(([ev]) => ev);
}
