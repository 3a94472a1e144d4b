/*
 * Where the page's data comes from, cheapest first:
 *   api        → checkup serve's /api/history: one request for any window (docs/summaries.md)
 *   summaries  → <store>/summaries/: a day view fetches its day files straight away; longer
 *                views read the index, then one file per month (30 and 90 days) or week (7 days),
 *                or per day in older stores
 *   files      → checkup's own way: the index (or bucket listing) plus one request per check file
 * Whether a store has summaries is asked without a 404 (which the browser logs as an error):
 * config.js says so (`storage.summaries`, as `checkup page` writes it), or the store's own index
 * does (keepsSummaries: index.json's "summaries/index.json" entry, a bucket listing of that key).
 * A refresh fetches only what is new: new check files named in the summaries index (or the
 * storage index), or the api's rounds after the newest one seen.
 *
 * Reading a store over HTTP (a folder served by `checkup serve`, GitHub Pages, S3 website hosting
 * or any web server): every source offers the same two things,
 *   getText(path, {fresh})  → the file's text, or undefined when it does not exist (404)
 *   listChecks(afterMs)     → [{name, at}] check files stored after afterMs, at = ms epoch
 * fsSource is checkup's `fs` layout; storage-s3.js (loaded only for s3) is the bucket's.
 */
import { Pieces } from "./model.js";
import { checkFileDigits, dayOfMs, SUMMARIES_ENTRY, weekOf } from "./rules.js";

/** A load failure the page shows to the reader instead of spinning forever (checkup#68). */
export class LoadError extends Error {
  constructor(url, detail) {
    super(`Could not load ${url}: ${detail}`);
    this.url = url;
  }
}

/** "/" → "/", "https://x/y" → "https://x/y/": joining never doubles or drops a slash. */
export function folderUrl(url) {
  const u = (url || "/").trim();
  return u.endsWith("/") ? u : `${u}/`;
}

/** The ms in a `<ns>-check.json` name, or undefined for other names. */
export function checkFileMs(name) {
  const digits = checkFileDigits(name);
  return digits === undefined ? undefined : Number(digits.slice(0, -6) || 0);
}

export async function getText(url, { fresh = false } = {}) {
  const target = fresh ? `${url}${url.includes("?") ? "&" : "?"}t=${Date.now()}` : url;
  let res;
  try {
    res = await fetch(target, { cache: fresh ? "no-store" : "default" });
  } catch (e) {
    throw new LoadError(url, `${e.message || e} (is the folder served by a web server, and is storage.url in config.js right?)`);
  }
  if (res.status === 404) return undefined;
  if (!res.ok) throw new LoadError(url, `HTTP ${res.status} ${res.statusText}`);
  return res.text();
}

export function parseJson(text, url) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LoadError(url, `not JSON (${e.message})`);
  }
}

/** checkup's `fs` layout: index.json maps each check file to the ns it was stored at. */
export function fsSource(storage) {
  const base = folderUrl(storage.url);
  const url = `${base}index.json`;
  /** index.json as keepsSummaries read it, for the listing right after (one request, not two). */
  let probed;
  const readIndex = async () => {
    const text = await getText(url, { fresh: true });
    return text === undefined ? undefined : parseJson(text, url);
  };
  return {
    label: base,
    base,
    getText: (path, opts) => getText(base + path, opts),
    /** true or false by index.json's summaries entry; undefined without an index.json. */
    async keepsSummaries() {
      probed = await readIndex();
      return probed && SUMMARIES_ENTRY in probed;
    },
    async listChecks(afterMs) {
      const index = probed ?? (await readIndex());
      probed = undefined;
      if (index === undefined) throw new LoadError(url, "HTTP 404 (no index.json: has `checkup --store` run, and is storage.url in config.js the folder it writes?)");
      return Object.keys(index)
        .map((name) => ({ name, at: checkFileMs(name) }))
        .filter((f) => f.at !== undefined && f.at > afterMs)
        .sort((a, b) => a.at - b.at);
    },
  };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Windows longer than this load hour rollups instead of every run. */
export const RUNS_UP_TO_MS = 2 * DAY_MS;
/** Windows longer than this load day columns (month files) instead of hours. */
export const HOURS_UP_TO_MS = 7 * DAY_MS;
/** Check files fetched at once in the old way (checkup fetched all at once). */
const PARALLEL = 16;

export async function sourceFor(storage) {
  const type = String(storage.type || "fs").toLowerCase();
  if (type === "s3") return (await import("./storage-s3.js")).s3Source(storage);
  return fsSource(storage);
}

/**
 * Where status.json and feed.xml are (docs/status-feed.md): beside the summaries in a store, or
 * at the root of the server whose api the page reads (`/api/` → `/feed.xml`).
 */
export function statusLinks(storage, source) {
  const base = String(storage.type || "").toLowerCase() === "api"
    ? new URL("../", new URL(folderUrl(storage.url || "/api/"), location.href)).href
    : `${source.base}summaries/`;
  return { feed: `${base}feed.xml`, status: `${base}status.json` };
}

const nsToMs = (ns) => Number(String(ns).slice(0, -6) || 0);

function daysBetween(fromMs, toMs) {
  const days = [];
  for (let t = Math.floor(fromMs / DAY_MS) * DAY_MS; t <= toMs; t += DAY_MS) days.push(dayOfMs(t));
  return days;
}

/** The ns in a `<ns>-check.json` name, as a BigInt. */
const fileNs = (name) => BigInt(String(name).split("-")[0] || 0);

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
    /** config.js's word that the store has summaries: no need to ask the store. */
    this.vouched = storage.summaries === true;
  }

  /** Loads [now − windowMs, now]; returns the Pieces and the window start actually used. */
  async load(windowMs, nowMs) {
    this.res = windowMs > HOURS_UP_TO_MS ? "days" : windowMs > RUNS_UP_TO_MS ? "hours" : "runs";
    // Rollups cannot split an hour (or a day): the window starts on one.
    const unit = { runs: 1, hours: HOUR_MS, days: DAY_MS }[this.res];
    this.fromMs = Math.floor((nowMs - windowMs) / unit) * unit;
    this.segments = new Map();
    this.seen = new Set();
    this.lastNs = 0n;
    // The api has no day columns: hours serve those views.
    if (this.api) await this.loadApi(this.fromMs, this.res === "days" ? "hours" : this.res);
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
      else if (seg.kind === "week") p.addWeek(seg.day);
      else if (seg.kind === "month") p.addMonth(seg.day);
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
    const kept = this.vouched || (await this.source.keepsSummaries());
    if (kept === false) return false;
    // Straight to a day view's day files when config.js vouches for them, or nothing could tell.
    if (this.res === "runs" && (this.vouched || kept === undefined) && (await this.loadRunsDays(daysBetween(this.fromMs, nowMs)))) return true;
    const text = await this.source.getText("summaries/index.json", { fresh: true });
    if (text === undefined) return false;
    this.mode = "summaries";
    this.index = parseJson(text, `${this.source.base}summaries/index.json`);
    await this.loadSpan(this.fromMs, nowMs);
    return true;
  }

  /**
   * A day view asks for its two or three day files at once, without the index first: fewer
   * requests and one round trip less. false when none exists (maybe no summaries at all). A
   * bucket answers 403 for a missing object unless listing is public, so any failure counts as
   * missing here; the index path below, or the next refresh, reports real errors.
   */
  async loadRunsDays(days) {
    const texts = await Promise.all(days.map((d) => this.source.getText(`summaries/${d}.json`, { fresh: true }).catch(() => undefined)));
    if (texts.every((t) => t === undefined)) return false;
    this.mode = "summaries";
    texts.forEach((text, i) => {
      if (text === undefined) return;
      const day = parseJson(text, `${this.source.base}summaries/${days[i]}.json`);
      this.segments.set(`day:${days[i]}`, { kind: "runs", day });
      if (day.files?.length) this.noteLast(fileNs(day.files[day.files.length - 1]));
    });
    return true;
  }

  /**
   * The summary file the index lists for day `d`: its runs file for a runs view; for a days view
   * in a store with month files, its month's when the month holds it (complete days), else its
   * hours file; otherwise its week file, or its hours file in stores from before week files.
   */
  fileOf(d) {
    const { days, weeks = {}, months } = this.index;
    const dayFile = (kind, path) => days[d] && { key: `day:${d}`, kind, path, info: days[d], from: d, ms: DAY_MS };
    if (this.res === "runs") return dayFile("runs", `${d}.json`);
    if (this.res === "days" && months) {
      const month = d.slice(0, 7);
      const m = months[month];
      if (!m || d > m.through) return dayFile("hours", `${d}.hours.json`);
      const from = `${month}-01`;
      const ms = Date.parse(`${m.through}T00:00:00Z`) + DAY_MS - Date.parse(`${from}T00:00:00Z`);
      return { key: `month:${month}`, kind: "month", path: `${month}.month.json`, info: m, from, ms };
    }
    const w = weekOf(d);
    return weeks[w] ? { key: `week:${w}`, kind: "week", path: `${w}.week.json`, info: weeks[w], from: w, ms: 7 * DAY_MS } : dayFile("hours", `${d}.hours.json`);
  }

  /** The summary files the index lists for [fromMs, toMs] (fileOf each day), fetched at once. */
  async loadSpan(fromMs, toMs) {
    const files = new Map();
    for (const d of daysBetween(fromMs, toMs)) {
      const f = this.fileOf(d);
      if (f) files.set(f.key, f);
    }
    await Promise.all([...files].map(async ([key, f]) => {
      // The query names the file's content, so unchanged past days and weeks come from the browser cache.
      const day = await this.json(`summaries/${f.path}?runs=${f.info.runs}&last=${f.info.last}`);
      this.segments.set(key, { kind: f.kind, day });
      this.noteLast(BigInt(f.info.last));
    }));
    // Rounds fetched one by one earlier are inside these files now.
    const covered = [...files.values()].map((f) => [Date.parse(`${f.from}T00:00:00Z`), f.ms]);
    for (const [key, seg] of this.segments) {
      if (seg.kind === "round" && covered.some(([start, ms]) => seg.at >= start && seg.at < start + ms)) this.segments.delete(key);
    }
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
    // Too much is new (the page slept): reload the files since the newest round seen.
    await this.loadSpan(this.lastNs > 0n ? nsToMs(this.lastNs) : this.fromMs, Date.now());
  }

  /** checkup's way: list the check files, then fetch each one. */
  async loadFiles(afterMs) {
    const files = (await this.source.listChecks(afterMs)).filter((f) => !this.seen.has(f.name));
    await this.fetchRounds(files.map((f) => ({ ...f, ns: fileNs(f.name) })));
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
