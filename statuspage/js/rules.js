/*
 * The rules the status page and lib/summary both apply, in one plain ES module: the page imports
 * it as it is (no build step), lib imports it through the package's own name
 * ("checkup/statuspage/rules", types in rules.d.ts beside this file). Pure functions only: no DOM,
 * no I/O. Times are plain numbers in whatever unit the caller uses (ms), durations in µs.
 */

/** Status codes of the summary format (docs/summaries.md), by checkup's status name. */
export const STATUS_CODE = Object.freeze({ healthy: "h", degraded: "d", down: "x", unknown: "u" });

/** checkup's Result.Status(): down > degraded > healthy > unknown, as a status code. */
export function statusCodeOf(r) {
  if (r.down) return STATUS_CODE.down;
  if (r.degraded) return STATUS_CODE.degraded;
  return r.healthy ? STATUS_CODE.healthy : STATUS_CODE.unknown;
}

/** Healthy and degraded runs count as up. */
export const isUp = (code) => code === "h" || code === "d";

/** checkup's median: the middle value, the integer mean of the middle two when even; 0 for none. */
export function median(values) {
  if (values.length === 0) return 0;
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid] : Math.trunc((v[mid - 1] + v[mid]) / 2);
}

/** The nearest-rank percentile (p in 0..100) of `values`, for p95 per chart bucket (p50 is the median); 0 for none. */
export function percentile(values, p) {
  if (values.length === 0) return 0;
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
}

/** Uptime in percent with one decimal, rounded down (99.95 shows as "99.9", never "100.0"); undefined with no runs. */
export function uptimePercent(up, total) {
  if (total === 0) return undefined;
  return (Math.floor((up / total) * 1000) / 10).toFixed(1);
}

/**
 * A check's identity: its title, or its endpoint when a result has none (the Go checkup writes
 * untitled results when endpoint_name is empty). lib/check-key.ts re-exports it.
 */
export const checkKey = (r) => r.title || r.endpoint || "";

/** Errors are kept short: an event line shows them, the check file keeps the rest. Characters. */
export const MAX_ERROR_CHARS = 200;

/** The first failed attempt's error, cut to MAX_ERROR_CHARS; undefined when every attempt passed. */
export function firstError(times) {
  const error = (Array.isArray(times) ? times : []).find((a) => a && a.error)?.error;
  if (!error) return undefined;
  return error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS - 1)}…` : error;
}

/**
 * One stored result as a run at time `t`: status code, median RTT and threshold in µs (from the
 * result's integer ns), and its texts where it has them.
 */
export function runOfResult(r, t) {
  const run = {
    t,
    s: statusCodeOf(r),
    rtt: Math.round(median((Array.isArray(r.times) ? r.times : []).map((a) => Number(a.rtt) || 0)) / 1000),
    thr: Math.round((Number(r.threshold) || 0) / 1000),
  };
  if (r.notice) run.notice = r.notice;
  if (r.message) run.message = r.message;
  const error = firstError(r.times);
  if (error) run.error = error;
  if (r.node) run.node = r.node;
  return run;
}

/**
 * Status changes (each run whose status differs from the one before; `previous` is the status
 * before the first run) and posted messages, oldest first: [t, code or "m", text].
 */
export function detectEvents(runs, previous) {
  const events = [];
  let before = previous;
  for (const run of runs) {
    if (run.s !== before) events.push([run.t, run.s, run.error ?? run.notice ?? ""]);
    if (run.message) events.push([run.t, "m", run.message]);
    before = run.s;
  }
  return events;
}

/**
 * Outages as the notifiers see them: a run of consecutive non-healthy runs (degraded, down or
 * unknown), from the first such run to the first healthy run after it (`end` undefined while it
 * lasts). `worst` is the worst status seen (down > unknown > degraded), `texts` the distinct
 * errors and notices (plain text), `messages` the messages posted meanwhile (may hold simple
 * HTML), oldest first. Runs must be sorted by `t`.
 */
export function outagesOf(runs) {
  const outages = [];
  let open;
  for (const run of runs) {
    if (run.s === "h") {
      if (open) open.end = run.t;
      open = undefined;
      continue;
    }
    if (!open) outages.push((open = { start: run.t, end: undefined, worst: run.s, runs: 0, texts: [], messages: [] }));
    open.runs++;
    if (SEVERITY[run.s] > SEVERITY[open.worst]) open.worst = run.s;
    const text = run.error ?? run.notice;
    if (text && !open.texts.includes(text)) open.texts.push(text);
    if (run.message && !open.messages.includes(run.message)) open.messages.push(run.message);
  }
  return outages;
}

/** Worse statuses rank higher: a day or an outage shows its worst. */
export const SEVERITY = Object.freeze({ h: 0, d: 1, u: 2, x: 3 });

/** The worse of two status codes (either may be undefined). */
export const worse = (a, b) => (a === undefined ? b : b === undefined || SEVERITY[a] >= SEVERITY[b] ? a : b);

/*
 * Many locations, one verdict (docs/multi-node.md). Each node's newest result of a check is a
 * "view": { t, s, gap, rtt, text }, gap = the interval before it (that node's own, in the caller's
 * time unit, undefined after one result). The check's status is combined from the views that are
 * fresh: by the check's quorum rule when its newest result carries one, else by a strict majority.
 */

/** Without a quorum window, a node counts while its newest result is at most this many of its own intervals old. */
export const FRESH_INTERVALS = 3;

/** `a` before `b`: by time, then node name (code points, the same in every locale), so every reader walks runs alike. */
export function byTimeThenNode(a, b) {
  const na = a.node ?? "";
  const nb = b.node ?? "";
  return a.t - b.t || (na < nb ? -1 : na > nb ? 1 : 0);
}

/** Takes `run` into `views` (node → view) when it is that node's newest. */
export function noteView(views, run) {
  const node = run.node ?? "";
  const before = views.get(node);
  if (before && before.t > run.t) return;
  const gap = before && run.t > before.t ? run.t - before.t : before?.gap;
  views.set(node, { t: run.t, s: run.s, gap, rtt: run.rtt, text: run.error ?? run.notice });
}

/**
 * The nodes of `views` (node → view) that count at time `t` (ms): a view counts while it is at
 * most `rule.window` µs old, else FRESH_INTERVALS of its own intervals (a node seen once: of the
 * longest interval any node has). The others stopped reporting: the page shows them as stale.
 */
export function countedNodes(views, t, rule) {
  const gaps = [...views.values()].map((v) => v.gap).filter((g) => g !== undefined);
  const longest = gaps.length ? Math.max(...gaps) : Infinity;
  return [...views].filter(([, v]) => t - v.t <= (rule ? rule.window / 1000 : FRESH_INTERVALS * (v.gap ?? longest))).map(([node]) => node);
}

/**
 * The combined status at time `t` (ms) over the views that count then (countedNodes). `rule`
 * { down, of, window } makes a status stand when `down` of the counted nodes are at least that
 * bad; fewer than `of` counted decide in proportion (ceil(counted × down / of)) and the verdict
 * is `partial`. Without a rule it takes a strict majority. A down node counts as at least
 * unknown and degraded too (severity h < d < u < x).
 */
export function verdictOf(views, t, rule) {
  const fresh = countedNodes(views, t, rule).map((node) => views.get(node).s);
  if (fresh.length === 0) return { s: STATUS_CODE.unknown, nodes: 0, partial: true };
  const need = !rule ? Math.floor(fresh.length / 2) + 1 : fresh.length < rule.of ? Math.ceil((fresh.length * rule.down) / rule.of) : rule.down;
  fresh.sort((a, b) => SEVERITY[b] - SEVERITY[a]);
  return { s: fresh[Math.max(1, Math.min(need, fresh.length)) - 1], nodes: fresh.length, partial: rule ? fresh.length < rule.of : false };
}

/** A stored result's `quorum` (window in ns, lib/result.ts) as the rule verdictOf takes (window in µs); undefined without one. */
export function quorumOfResult(r) {
  const q = r.quorum;
  return q ? { down: q.down, of: q.of, window: q.window / 1000 } : undefined;
}

/**
 * Each run's combined status, in order: runs sorted by byTimeThenNode, `views` the state
 * before the first (and after the last, on return). A run that already says its combined status
 * (`c`, from a summary) keeps it. One node alone: every run's own status.
 */
export function combineRuns(runs, rule, views = new Map()) {
  return runs.map((run) => {
    noteView(views, run);
    return run.c ?? verdictOf(views, run.t, rule).s;
  });
}

/** A run as the check's verdict `code` saw it: its own error or notice only where its status agrees. */
export function asVerdict(run, code) {
  if (code === run.s) return run;
  const { error: _error, notice: _notice, ...rest } = run;
  return { ...rest, s: code };
}

const DAY_MS = 86_400_000;

/** "YYYY-MM-DD", the UTC day of an instant in ms. */
export const dayOfMs = (ms) => new Date(ms).toISOString().slice(0, 10);

/** The Monday (UTC) of the week `day` ("YYYY-MM-DD") is in, as week files are named. */
export function weekOf(day) {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return dayOfMs(ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY_MS);
}

/**
 * The entry of a store's index.json (fs, github) that says the store keeps summaries, so a reader
 * asks for them without a 404 first. Its value is 1: to the Go checkup a file stored 1 ns after
 * 1970, which no page window reaches and no maintain finds on disk (docs/summaries.md).
 */
export const SUMMARIES_ENTRY = "summaries/index.json";

/** `<ns>-check.json`, the name checkup gives a stored round. */
const CHECK_FILE = /^(\d+)-check\.json$/;

/** The ns digits a check file's name starts with, or undefined when it is not a check file. */
export function checkFileDigits(name) {
  const m = CHECK_FILE.exec(name);
  return m ? m[1] : undefined;
}
