/*
 * Turns loaded data into what the page shows: per check its runs or hour columns in the window,
 * uptime, chart points, events. The summary format is docs/summaries.md; the rules (median,
 * status codes, uptime, events) are those of lib/summary/day.ts, repeated here because the page
 * has no build step that could share that code. Times here are ms since the epoch.
 */
const HOUR_MS = 3_600_000;
const CODE = { down: "x", degraded: "d", healthy: "h" };

/** checkup's median: middle value, integer mean of the middle two when even. */
function median(values) {
  if (values.length === 0) return 0;
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : Math.trunc((v[mid - 1] + v[mid]) / 2);
}

export function statusCodeOf(r) {
  if (r.down) return CODE.down;
  if (r.degraded) return CODE.degraded;
  return r.healthy ? CODE.healthy : "u";
}

/**
 * A check's identity: its title, or its endpoint when a result has none (the Go checkup writes
 * untitled results). The page's one copy of lib/check-key.ts, which it cannot import.
 */
export const checkKey = (title, endpoint) => title || endpoint || "";
const isUp = (s) => s === "h" || s === "d";

/** Uptime with one decimal, rounded down so 99.95 % never shows as 100.0 %. */
export function uptimePercent(up, total) {
  return total === 0 ? undefined : (Math.floor((up / total) * 1000) / 10).toFixed(1);
}

/** Holds what was loaded, per check key: runs and hour buckets, from any source. */
export class Pieces {
  constructor() {
    this.checks = new Map();
  }

  entry(endpoint, title, t) {
    const key = checkKey(title, endpoint);
    let e = this.checks.get(key);
    if (!e) this.checks.set(key, (e = { endpoint: endpoint || "", title: title || "", namedAt: -Infinity, runs: [], hours: [] }));
    // A check moved to another URL keeps its history; the card shows the newest endpoint.
    if (t >= e.namedAt) Object.assign(e, { title: title || e.title, endpoint: endpoint || e.endpoint, namedAt: t });
    return e;
  }

  /** A stored round as checkup writes it (array of results), stored at `atMs`. */
  addRound(results, atMs) {
    for (const r of Array.isArray(results) ? results : []) {
      const t = r.timestamp ? Math.floor(Number(r.timestamp) / 1e6) : atMs;
      const rtts = (Array.isArray(r.times) ? r.times : []).map((a) => Number(a.rtt) || 0);
      const error = (r.times || []).find((a) => a.error)?.error;
      this.entry(r.endpoint, r.title, t).runs.push({
        t, s: statusCodeOf(r), rtt: Math.round(median(rtts) / 1000), thr: Math.round((r.threshold || 0) / 1000),
        notice: r.notice, message: r.message, error,
      });
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
      const e = this.entry(c.endpoint, c.title, runs.length ? runs[runs.length - 1].t : start);
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
    this.entry(c.endpoint, c.title, start + c.last[0]).hours.push({
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
    if (c.total > 0) checks.push({ key, endpoint: e.endpoint, title: e.title, ...c });
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
    events: events.filter((ev) => ev.t >= fromMs).sort((a, b) => b.t - a.t),
  };
}
