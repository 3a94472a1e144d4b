/**
 * Keeps summaries up to date as rounds are stored. It works over a tiny blob interface, so fs
 * uses it today and S3, GitHub or SQL storages can reuse it by providing get/put/remove and a way
 * to run one update at a time.
 */
import type { UnixNanos } from "../nanos.js";
import type { Result, SummaryBlobs } from "../types.js";
import { addRounds, carryOf, manyNodes, rollupHours, type Carry } from "./day.js";
import {
  DAY_NS, dayOf, dayStart, daysOfWeek, emptyIndex, emptyRunsDay, hoursFile, INDEX_FILE, parseHoursDay, parseIndexFile, parseRunsDay,
  RECENT_ROUNDS, runsFile, summaryJson, SUMMARY_DIR, SUMMARY_VERSION, weekFile, weekOf, type HoursDay, type RunsDay, type SummaryIndex,
} from "./format.js";
import { publishStatus } from "./publish.js";
import { rollupWeek } from "./week.js";

export interface Round {
  /** The round's stored name, e.g. `<ns>-check.json`. */
  name: string;
  /** When it was stored (the ns in its name). */
  storedAt: UnixNanos;
  results: readonly Result[];
}

export async function readDay(blobs: SummaryBlobs, day: string): Promise<RunsDay> {
  const text = await blobs.get(runsFile(day));
  return text === undefined ? emptyRunsDay(day) : parseRunsDay(text, `${SUMMARY_DIR}/${runsFile(day)}`);
}

export async function readIndex(blobs: SummaryBlobs): Promise<SummaryIndex> {
  const text = await blobs.get(INDEX_FILE);
  return text === undefined ? emptyIndex() : parseIndexFile(text, `${SUMMARY_DIR}/${INDEX_FILE}`);
}

/**
 * Rewrites the week starting `monday` from its hours days: `fresh` ones just computed, the others
 * read back (a week first written after an upgrade thus also holds its earlier days). Updates the
 * index's entry; the caller writes the index.
 */
async function writeWeek(blobs: SummaryBlobs, index: SummaryIndex, monday: string, fresh: ReadonlyMap<string, HoursDay>): Promise<void> {
  const days = daysOfWeek(monday).filter((d) => index.days[d]);
  const weeks = (index.weeks ??= {});
  if (days.length === 0) {
    await blobs.remove(weekFile(monday));
    delete weeks[monday];
    return;
  }
  const hours = await Promise.all(days.map(async (d) => fresh.get(d) ?? parseHoursDay(
    (await blobs.get(hoursFile(d))) ?? "", `${SUMMARY_DIR}/${hoursFile(d)}`)));
  await blobs.put(weekFile(monday), summaryJson(rollupWeek(monday, hours)));
  const infos = days.map((d) => index.days[d]!);
  weeks[monday] = {
    runs: infos.reduce((n, i) => n + i.runs, 0),
    last: infos.reduce((max, i) => (BigInt(i.last) > max ? BigInt(i.last) : max), 0n).toString(),
  };
}

/** Each node's newest run of the day before `day`, from its hours file (none: the day's verdicts start afresh). */
async function carryInto(blobs: SummaryBlobs, index: SummaryIndex, day: string): Promise<Carry> {
  const before = dayOf(dayStart(day) - DAY_NS);
  const text = index.days[before] ? await blobs.get(hoursFile(before)) : undefined;
  return text === undefined ? new Map() : carryOf(parseHoursDay(text, `${SUMMARY_DIR}/${hoursFile(before)}`));
}

/**
 * Merges rounds into their days' summaries, rewrites those days' hour rollups, their weeks and
 * the index. Files are written days, then weeks, index last, so a reader that sees a day or a
 * week in the index finds its file. Days in `rebuild` start over from these rounds instead.
 * Each check's quorum rule is its newest result's (Result.quorum), kept beside its verdicts.
 */
export async function recordRounds(blobs: SummaryBlobs, rounds: readonly Round[], rebuild: ReadonlySet<string> = new Set()): Promise<void> {
  if (rounds.length === 0) return;
  const byDay = new Map<string, Round[]>();
  for (const r of rounds) byDay.set(dayOf(r.storedAt), [...(byDay.get(dayOf(r.storedAt)) ?? []), r]);
  await blobs.exclusive(async () => {
    const index = await readIndex(blobs);
    const fresh = new Map<string, HoursDay>();
    for (const [day, dayRounds] of byDay) {
      const base = rebuild.has(day) ? emptyRunsDay(day) : await readDay(blobs, day);
      let merged = addRounds(base, dayRounds);
      // Checks several nodes run: the day's first verdicts count the nodes' runs just before midnight.
      if (manyNodes(merged)) merged = addRounds(base, dayRounds, { carry: await carryInto(blobs, index, day) });
      const hours = rollupHours(merged);
      await blobs.put(runsFile(day), summaryJson(merged));
      await blobs.put(hoursFile(day), summaryJson(hours));
      fresh.set(day, hours);
      const last = dayRounds.reduce((max, r) => (r.storedAt > max ? r.storedAt : max), BigInt(index.days[day]?.last ?? 0));
      index.days[day] = { runs: merged.files.length, last: last.toString() };
    }
    for (const monday of new Set([...byDay.keys()].map(weekOf))) await writeWeek(blobs, index, monday, fresh);
    const recent = new Map(index.recent);
    for (const r of rounds) recent.set(r.name, r.storedAt.toString());
    index.recent = [...recent].sort((a, b) => cmp(BigInt(a[1]), BigInt(b[1]))).slice(-RECENT_ROUNDS);
    index.days = sortedKeys(index.days);
    index.weeks = sortedKeys(index.weeks ?? {});
    await blobs.put(INDEX_FILE, summaryJson(index));
    await publishStatus(blobs, index);
  });
}

/**
 * Days whose runs file an older format wrote and whose rounds are all still `stored`: a backfill
 * rebuilds them (format 1 merged two checks of one URL). A day that lost rounds to check_expiry
 * keeps its file: its runs would be lost, and it expires soon anyway.
 */
export async function outdatedDays(blobs: SummaryBlobs, stored: ReadonlySet<string>): Promise<Set<string>> {
  const outdated = new Set<string>();
  for (const day of Object.keys((await readIndex(blobs)).days)) {
    const runs = await readDay(blobs, day);
    if (runs.v < SUMMARY_VERSION && runs.files.every((f) => stored.has(f))) outdated.add(day);
  }
  return outdated;
}

export const recordRound = (blobs: SummaryBlobs, round: Round): Promise<void> => recordRounds(blobs, [round]);

/**
 * Removes the summaries of days that ended before `cutoff` (the storage's check_expiry); a week
 * left with fewer days is rewritten from the rest, so it never shows expired runs.
 */
export async function pruneSummaries(blobs: SummaryBlobs, cutoff: UnixNanos): Promise<string[]> {
  const keepFrom = dayOf(cutoff);
  // A store without summaries (a Go-written one, or `summaries: false`) stays untouched.
  if ((await blobs.get(INDEX_FILE)) === undefined) return [];
  return blobs.exclusive(async () => {
    const index = await readIndex(blobs);
    const removed = Object.keys(index.days).filter((day) => day < keepFrom);
    for (const day of removed) {
      await blobs.remove(runsFile(day));
      await blobs.remove(hoursFile(day));
      delete index.days[day];
    }
    // Only weeks the index lists: a store from before week files gets none here.
    for (const monday of new Set(removed.map(weekOf))) if (index.weeks?.[monday]) await writeWeek(blobs, index, monday, new Map());
    if (removed.length > 0) {
      await blobs.put(INDEX_FILE, summaryJson(index));
      await publishStatus(blobs, index);
    }
    return removed;
  });
}

const sortedKeys = <T>(o: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
