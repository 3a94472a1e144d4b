/*
 * Where the page's data comes from, cheapest first:
 *   api        → checkup serve's /api/history: one request for any window (docs/summaries.md)
 *   summaries  → <store>/summaries/: an index plus one file per day in the window
 *   files      → checkup's own way: the index (or bucket listing) plus one request per check file
 * A refresh fetches only what is new: new check files named in the summaries index (or the
 * storage index), or the api's rounds after the newest one seen.
 */
import { fsSource, LoadError, parseJson } from "./storage-fs.js";
import { Pieces } from "./model.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Windows longer than this load hour rollups instead of every run. */
export const RUNS_UP_TO_MS = 2 * DAY_MS;
/** Check files fetched at once in the old way (checkup fetched all at once). */
const PARALLEL = 16;

export async function sourceFor(storage) {
  const type = String(storage.type || "fs").toLowerCase();
  if (type === "s3") return (await import("./storage-s3.js")).s3Source(storage);
  return fsSource(storage);
}

const dayOf = (ms) => new Date(ms).toISOString().slice(0, 10);
const nsToMs = (ns) => Number(String(ns).slice(0, -6) || 0);

function daysBetween(fromMs, toMs) {
  const days = [];
  for (let t = Math.floor(fromMs / DAY_MS) * DAY_MS; t <= toMs; t += DAY_MS) days.push(dayOf(t));
  return days;
}

async function mapLimit(items, limit, work) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export class Loader {
  constructor(source, storage) {
    this.source = source;
    this.api = String(storage.type || "").toLowerCase() === "api";
  }

  /** Loads [now − windowMs, now]; returns the Pieces and the window start actually used. */
  async load(windowMs, nowMs) {
    this.res = windowMs > RUNS_UP_TO_MS ? "hours" : "runs";
    // Hour rollups cannot split an hour: the window starts on one.
    this.fromMs = this.res === "hours" ? Math.floor((nowMs - windowMs) / HOUR_MS) * HOUR_MS : nowMs - windowMs;
    this.segments = new Map();
    this.seen = new Set();
    this.lastNs = 0n;
    if (this.api) await this.loadApi(this.fromMs, this.res);
    else if (!(await this.loadSummaries(nowMs))) {
      this.mode = "files";
      await this.loadFiles(this.fromMs - 1);
    }
    return this.pieces();
  }

  async refresh() {
    if (this.api) await this.loadApi(nsToMs(this.lastNs), "runs", this.lastNs + 1n);
    else if (this.mode === "summaries") await this.refreshSummaries();
    else await this.loadFiles(nsToMs(this.lastNs) - 1);
    return this.pieces();
  }

  pieces() {
    const p = new Pieces();
    for (const seg of this.segments.values()) {
      if (seg.kind === "runs") p.addRunsDay(seg.day);
      else if (seg.kind === "hours") p.addHoursDay(seg.day);
      else p.addRound(seg.results, seg.at);
    }
    return p;
  }

  async json(path, opts) {
    const text = await this.source.getText(path, opts);
    if (text === undefined) throw new LoadError(this.source.base + path, "HTTP 404");
    return parseJson(text, this.source.base + path);
  }

  /** The api answers every round stored in [from, to]; the next refresh asks from to + 1. */
  async loadApi(fromMs, res, fromNs = BigInt(Math.max(0, fromMs)) * 1_000_000n) {
    const h = await this.json(`history?from=${fromNs}&res=${res}`, { fresh: true });
    for (const day of h.days || []) this.segments.set(`${res}:${day.day}:${fromNs}`, { kind: res, day });
    this.noteLast(BigInt(h.to));
  }

  /** false when the store has no summaries (Go-written, or written with summaries off). */
  async loadSummaries(nowMs) {
    const text = await this.source.getText("summaries/index.json", { fresh: true });
    if (text === undefined) return false;
    this.mode = "summaries";
    this.index = parseJson(text, `${this.source.base}summaries/index.json`);
    await this.loadDays(daysBetween(this.fromMs, nowMs));
    return true;
  }

  async loadDays(days) {
    const present = days.filter((d) => this.index.days[d]);
    const suffix = this.res === "hours" ? ".hours.json" : ".json";
    await Promise.all(present.map(async (d) => {
      const info = this.index.days[d];
      // The query names the day's content, so unchanged past days come from the browser cache.
      const day = await this.json(`summaries/${d}${suffix}?runs=${info.runs}&last=${info.last}`);
      this.segments.set(`day:${d}`, { kind: this.res, day });
      this.noteLast(BigInt(info.last));
    }));
    // Rounds fetched one by one earlier are inside the day files now.
    for (const [key, seg] of this.segments) if (seg.kind === "round" && days.includes(dayOf(seg.at))) this.segments.delete(key);
  }

  async refreshSummaries() {
    const text = await this.source.getText("summaries/index.json", { fresh: true });
    if (text === undefined) throw new LoadError(`${this.source.base}summaries/index.json`, "HTTP 404 (the summaries disappeared)");
    this.index = parseJson(text, `${this.source.base}summaries/index.json`);
    const recent = this.index.recent || [];
    const fresh = recent.filter(([, at]) => BigInt(at) > this.lastNs);
    if (fresh.length === 0) return;
    // `recent` reaches back to what we have: fetch just the new check files.
    if (fresh.length < recent.length && this.lastNs > 0n) {
      await this.fetchRounds(fresh.map(([name, at]) => ({ name, at: nsToMs(at), ns: BigInt(at) })));
      return;
    }
    // Too much is new (the page slept): reload the days since the newest round seen.
    await this.loadDays(daysBetween(this.lastNs > 0n ? nsToMs(this.lastNs) : this.fromMs, Date.now()));
  }

  /** checkup's way: list the check files, then fetch each one. */
  async loadFiles(afterMs) {
    const files = (await this.source.listChecks(afterMs)).filter((f) => !this.seen.has(f.name));
    await this.fetchRounds(files.map((f) => ({ ...f, ns: BigInt(f.name.split("-")[0]) })));
  }

  async fetchRounds(files) {
    await mapLimit(files, PARALLEL, async (f) => {
      const results = await this.json(f.name);
      this.segments.set(`round:${f.name}`, { kind: "round", results, at: f.at });
      this.noteSeen(f.name, f.ns);
    });
  }

  noteSeen(name, ns) {
    this.seen.add(name);
    this.noteLast(ns);
  }

  noteLast(ns) {
    if (ns > this.lastNs) this.lastNs = ns;
  }
}
