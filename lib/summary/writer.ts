/**
 * Keeps summaries up to date as rounds are stored. It works over a tiny blob interface, so fs
 * uses it today and S3, GitHub or SQL storages can reuse it by providing get/put/remove and a way
 * to run one update at a time.
 */
import type { UnixNanos } from "../nanos.js";
import type { Result, SummaryBlobs } from "../types.js";
import { addRounds, carryOf, manyNodes, rollupHours, type Carry } from "./day.js";
import {
  DAY_NS, dayOf, dayStart, daysOfWeek, emptyIndex, emptyRunsDay, hoursFile, INDEX_FILE, monthFile, monthOf, parseHoursDay, parseIndexFile,
  parseRunsDay, RECENT_ROUNDS, runsFile, summaryJson, SUMMARY_DIR, SUMMARY_VERSION, weekFile, weekOf,
  type DayInfo, type HoursDay, type RunsDay, type SummaryIndex,
} from "./format.js";
import { rollupMonth } from "./month.js";
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

const readHours = async (blobs: SummaryBlobs, day: string, fresh: ReadonlyMap<string, HoursDay>): Promise<HoursDay> =>
  fresh.get(day) ?? parseHoursDay((await blobs.get(hoursFile(day))) ?? "", `${SUMMARY_DIR}/${hoursFile(day)}`);

/** Rounds in `days` and the newest store time among them. */
function infoOf(index: SummaryIndex, days: readonly string[]): DayInfo {
  const infos = days.map((d) => index.days[d]!);
  return {
    runs: infos.reduce((n, i) => n + i.runs, 0),
    last: infos.reduce((max, i) => (BigInt(i.last) > max ? BigInt(i.last) : max), 0n).toString(),
  };
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
  const hours = await Promise.all(days.map((d) => readHours(blobs, d, fresh)));
  await blobs.put(weekFile(monday), summaryJson(rollupWeek(monday, hours)));
  weeks[monday] = infoOf(index, days);
}

/** A month's complete days: those the index lists before its newest day (which rounds are still joining). */
function completeDays(index: SummaryIndex): Map<string, string[]> {
  const days = Object.keys(index.days).sort();
  const byMonth = new Map<string, string[]>();
  for (const d of days.slice(0, -1)) byMonth.set(monthOf(d), [...(byMonth.get(monthOf(d)) ?? []), d]);
  return byMonth;
}

/** Each node's newest run of the day before `day`, from its hours file (none: the day's verdicts start afresh). */
async function carryInto(blobs: SummaryBlobs, index: SummaryIndex, day: string): Promise<Carry> {
  const before = dayOf(dayStart(day) - DAY_NS);
  const text = index.days[before] ? await blobs.get(hoursFile(before)) : undefined;
  return text === undefined ? new Map() : carryOf(parseHoursDay(text, `${SUMMARY_DIR}/${hoursFile(before)}`));
}

/**
 * Rewrites the month files whose complete days changed since written (by the index's figures:
 * so a store from before month files gets all of them at its next round), and those of `touched`
 * days; removes those left without complete days. Updates the index; the caller writes it.
 */
async function writeMonths(blobs: SummaryBlobs, index: SummaryIndex, touched: Iterable<string>, fresh: ReadonlyMap<string, HoursDay>): Promise<void> {
  const complete = completeDays(index);
  const months = (index.months ??= {});
  const forced = new Set([...touched].map(monthOf));
  for (const month of new Set([...Object.keys(months), ...complete.keys()])) {
    const days = complete.get(month) ?? [];
    if (days.length === 0) {
      await blobs.remove(monthFile(month));
      delete months[month];
      continue;
    }
    const info = { ...infoOf(index, days), through: days.at(-1)! };
    const known = months[month];
    if (!forced.has(month) && known && known.runs === info.runs && known.last === info.last && known.through === info.through) continue;
    const hours = await Promise.all(days.map((d) => readHours(blobs, d, fresh)));
    await blobs.put(monthFile(month), summaryJson(rollupMonth(month, hours)));
    months[month] = info;
  }
}

/**
 * Merges rounds into their days' summaries, rewrites those days' hour rollups, their weeks, the
 * months of complete days and the index. Files are written days, then weeks and months, index
 * last, so a reader that sees a day, week or month in the index finds its file. Days in
 * `rebuild` start over from these rounds instead. Each check's quorum rule
 * is its newest result's (Result.quorum), kept beside its verdicts.
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
    index.days = sortedKeys(index.days);
    await writeMonths(blobs, index, byDay.keys(), fresh);
    const recent = new Map(index.recent);
    for (const r of rounds) recent.set(r.name, r.storedAt.toString());
    index.recent = [...recent].sort((a, b) => cmp(BigInt(a[1]), BigInt(b[1]))).slice(-RECENT_ROUNDS);
    index.weeks = sortedKeys(index.weeks ?? {});
    index.months = sortedKeys(index.months ?? {});
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
 * or month left with fewer days is rewritten from the rest, so it never shows expired runs.
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
    // Only when the index lists months: a store from before month files gets them at its next round.
    if (index.months) await writeMonths(blobs, index, [], new Map());
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
