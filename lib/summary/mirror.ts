/**
 * Stored history kept in memory, for `checkup serve`'s `/api/history` and uptime badges. Each
 * request reads the storage index only; a round is fetched at most once, and whole days come from
 * the storage's own summary files when they hold exactly the rounds the index lists. Rounds are
 * fetched only for days without such a file, or to answer part of a day (a window's first day, a
 * page's refresh), since a runs day does not say which round each run came from.
 */
import { mapLimit } from "../pool.js";
import { checkFileTime } from "../files/index-file.js";
import type { StorageReader, SummaryBlobs } from "../types.js";
import type { UnixNanos } from "../nanos.js";
import { carryOf, CheckGroups, manyNodes, rollupHours, runsOfRound, type Carry, type NamedRun } from "./day.js";
import {
  DAY_NS, dayOf, dayStart, emptyRunsDay, SUMMARY_VERSION, TITLE_KEYED_SINCE, type History, type HoursDay, type RunsDay,
} from "./format.js";
import { readDay } from "./writer.js";

/** Check files read at once: enough to hide latency, few enough for SQL pools and rate limits. */
export const FETCH_CONCURRENCY = 8;

interface Day {
  name: string;
  /** Rounds the storage index lists in this UTC day: file name → store time. */
  listed: Map<string, UnixNanos>;
  /** Runs per round, filled on demand; holds every listed round once a fill finished. */
  log?: Map<string, NamedRun[]>;
  filling?: Promise<void>;
  /** The whole day, and its hour rollup; dropped when `listed` changes. */
  whole?: RunsDay;
  hours?: HoursDay;
}

export class HistoryMirror {
  /** By day number (store ns / DAY_NS), so a request costs no date formatting per round. */
  private readonly days = new Map<bigint, Day>();
  private syncing: Promise<void> | undefined;

  /** `blobs`: the storage's summaries, if it keeps them. */
  constructor(private readonly reader: StorageReader, private readonly blobs?: SummaryBlobs) {}

  /** Runs days (or hours days) of the rounds stored in [from, to], oldest day first (docs/summaries.md). */
  async history(from: UnixNanos, to: UnixNanos, res: "runs" | "hours" = "runs"): Promise<History> {
    await this.sync();
    const days: (RunsDay | HoursDay)[] = [];
    for (const n of [...this.days.keys()].sort((a, b) => (a < b ? -1 : 1))) {
      if ((n + 1n) * DAY_NS <= from || n * DAY_NS > to) continue;
      const day = this.days.get(n)!;
      const inRange = [...day.listed].filter(([, at]) => at >= from && at <= to).map(([name]) => name);
      if (inRange.length === 0) continue;
      if (inRange.length < day.listed.size) {
        const log = await this.logOf(day);
        let part = packDay(day.name, inRange, log);
        if (manyNodes(part)) part = packDay(day.name, inRange, log, await this.carryBefore(n));
        days.push(res === "hours" ? rollupHours(part) : part);
      } else if (res === "hours") days.push((day.hours ??= rollupHours(await this.whole(day, n))));
      else days.push(await this.whole(day, n));
    }
    return { v: SUMMARY_VERSION, from: from.toString(), to: to.toString(), res, days: days as RunsDay[] | HoursDay[] };
  }

  /** Reads the index (requests at once share one read) and forgets what it no longer lists. */
  private sync(): Promise<void> {
    this.syncing ??= this.readIndex().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async readIndex(): Promise<void> {
    const byDay = new Map<bigint, Map<string, UnixNanos>>();
    for (const [name, indexed] of await this.reader.index()) {
      const at = checkFileTime(name) ?? indexed;
      const n = at / DAY_NS;
      const listed = byDay.get(n) ?? new Map<string, UnixNanos>();
      byDay.set(n, listed.set(name, at));
    }
    for (const n of this.days.keys()) if (!byDay.has(n)) this.days.delete(n);
    for (const [n, listed] of byDay) {
      const day = this.days.get(n);
      if (!day) this.days.set(n, { name: dayOf(n * DAY_NS), listed });
      else if (!sameKeys(day.listed, listed)) {
        day.listed = listed;
        day.whole = day.hours = undefined;
        for (const name of day.log?.keys() ?? []) if (!listed.has(name)) day.log!.delete(name);
      }
    }
  }

  private async whole(day: Day, n: bigint): Promise<RunsDay> {
    if (day.whole) return day.whole;
    const names = [...day.listed.keys()];
    const complete = day.log && names.every((name) => day.log!.has(name));
    const stored = complete ? undefined : await this.storedDay(day);
    let whole = stored ?? packDay(day.name, names, await this.logOf(day));
    // A stored day already holds its verdicts; one packed here needs the day before for them.
    if (!stored && manyNodes(whole)) whole = packDay(day.name, names, await this.logOf(day), await this.carryBefore(n));
    day.whole = whole;
    return day.whole;
  }

  /**
   * Each node's newest run of the day before day number `n`, for the verdicts of checks several
   * nodes run. Taken from that day's own runs (a node's state needs no verdict), so no day
   * depends on more than the one before it.
   */
  private async carryBefore(n: bigint): Promise<Carry> {
    const prev = this.days.get(n - 1n);
    if (!prev) return new Map();
    if (prev.hours) return carryOf(prev.hours);
    const runs = prev.whole ?? (await this.storedDay(prev)) ?? packDay(prev.name, [...prev.listed.keys()], await this.logOf(prev));
    return carryOf(rollupHours(runs));
  }

  /** The storage's summary of the day, when it holds exactly the listed rounds (and groups by checkKey). */
  private async storedDay(day: Day): Promise<RunsDay | undefined> {
    if (!this.blobs) return undefined;
    const stored = await readDay(this.blobs, day.name).catch(() => undefined);
    // Format 2 days hold the same runs, without nodes: a store written before format 3 stays fast.
    const exact = stored !== undefined && stored.v >= TITLE_KEYED_SINCE && stored.files.length === day.listed.size && stored.files.every((f) => day.listed.has(f));
    return exact ? stored : undefined;
  }

  /** Every listed round's runs; fetches only rounds not read before (concurrent callers share). */
  private async logOf(day: Day): Promise<Map<string, NamedRun[]>> {
    const log = (day.log ??= new Map());
    for (;;) {
      const missing = [...day.listed].filter(([name]) => !log.has(name));
      if (missing.length === 0) return log;
      day.filling ??= mapLimit(missing, FETCH_CONCURRENCY, async ([name, storedAt]) => {
        log.set(name, runsOfRound({ storedAt, results: await this.reader.fetch(name) }, dayStart(day.name)));
      }).then(() => undefined).finally(() => (day.filling = undefined));
      await day.filling;
    }
  }
}

/** A runs day of the rounds `names`, from their runs in `log`; `carry` as in addRounds. */
function packDay(day: string, names: readonly string[], log: ReadonlyMap<string, NamedRun[]>, carry?: Carry): RunsDay {
  const groups = new CheckGroups();
  const sorted = [...names].sort();
  for (const name of sorted) for (const { names: ids, run } of log.get(name) ?? []) groups.add(ids, [run]);
  return { ...emptyRunsDay(day), files: sorted, checks: groups.pack({ carry }) };
}

const sameKeys = (a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean =>
  a.size === b.size && [...a.keys()].every((k) => b.has(k));
