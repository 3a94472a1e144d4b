/**
 * Keeps summaries up to date as rounds are stored. It works over a tiny blob interface, so fs
 * uses it today and S3, GitHub or SQL storages can reuse it by providing get/put/remove and a way
 * to run one update at a time.
 */
import { mkdir, readdir, readFile, unlink } from "node:fs/promises";
import path from "node:path";
import type { UnixNanos } from "../nanos.js";
import type { Result } from "../types.js";
import { writeFileAtomic } from "../storage/atomic.js";
import { withLock } from "../storage/lock.js";
import { addRounds, rollupHours } from "./day.js";
import {
  dayOf, emptyIndex, emptyRunsDay, hoursFile, INDEX_FILE, parseIndexFile, parseRunsDay, RECENT_ROUNDS,
  runsFile, summaryJson, SUMMARY_DIR, type RunsDay, type SummaryIndex,
} from "./format.js";

/** Where summary files live: names are relative to the `summaries/` folder. */
export interface SummaryBlobs {
  get(name: string): Promise<string | undefined>;
  /** Replaces a blob whole: a reader sees the old or the new text, never a mix. */
  put(name: string, text: string): Promise<void>;
  remove(name: string): Promise<void>;
  list(): Promise<string[]>;
  /** Runs `work` while no other writer (thread, process or node) updates these summaries. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

export interface Round {
  /** The round's stored name, e.g. `<ns>-check.json`. */
  name: string;
  /** When it was stored (the ns in its name). */
  storedAt: UnixNanos;
  results: readonly Result[];
}

/** `<dir>/summaries/…`, written atomically, updated under the same kind of lock as index.json. */
export function fsSummaryBlobs(dir: string): SummaryBlobs {
  const folder = path.join(dir, SUMMARY_DIR);
  const file = (name: string) => path.join(folder, path.basename(name));
  const missing = (e: NodeJS.ErrnoException) => {
    if (e.code !== "ENOENT") throw e;
    return undefined;
  };
  return {
    get: (name) => readFile(file(name), "utf8").catch(missing),
    put: async (name, text) => {
      await mkdir(folder, { recursive: true });
      await writeFileAtomic(file(name), text);
    },
    remove: (name) => unlink(file(name)).catch(missing),
    list: async () => (await readdir(folder).catch(missing)) ?? [],
    exclusive: async (work) => {
      await mkdir(folder, { recursive: true });
      return withLock(path.join(folder, ".lock"), work);
    },
  };
}

async function readDay(blobs: SummaryBlobs, day: string): Promise<RunsDay> {
  const text = await blobs.get(runsFile(day));
  return text === undefined ? emptyRunsDay(day) : parseRunsDay(text, `${SUMMARY_DIR}/${runsFile(day)}`);
}

async function readIndex(blobs: SummaryBlobs): Promise<SummaryIndex> {
  const text = await blobs.get(INDEX_FILE);
  return text === undefined ? emptyIndex() : parseIndexFile(text, `${SUMMARY_DIR}/${INDEX_FILE}`);
}

/**
 * Merges rounds into their days' summaries, rewrites those days' hour rollups and the index.
 * Files are written day first, index last, so a reader that sees a day in the index finds it.
 */
export async function recordRounds(blobs: SummaryBlobs, rounds: readonly Round[]): Promise<void> {
  if (rounds.length === 0) return;
  const byDay = new Map<string, Round[]>();
  for (const r of rounds) byDay.set(dayOf(r.storedAt), [...(byDay.get(dayOf(r.storedAt)) ?? []), r]);
  await blobs.exclusive(async () => {
    const index = await readIndex(blobs);
    for (const [day, dayRounds] of byDay) {
      const merged = addRounds(await readDay(blobs, day), dayRounds);
      await blobs.put(runsFile(day), summaryJson(merged));
      await blobs.put(hoursFile(day), summaryJson(rollupHours(merged)));
      const last = dayRounds.reduce((max, r) => (r.storedAt > max ? r.storedAt : max), BigInt(index.days[day]?.last ?? 0));
      index.days[day] = { runs: merged.files.length, last: last.toString() };
    }
    const recent = new Map(index.recent);
    for (const r of rounds) recent.set(r.name, r.storedAt.toString());
    index.recent = [...recent].sort((a, b) => cmp(BigInt(a[1]), BigInt(b[1]))).slice(-RECENT_ROUNDS);
    index.days = Object.fromEntries(Object.entries(index.days).sort(([a], [b]) => a.localeCompare(b)));
    await blobs.put(INDEX_FILE, summaryJson(index));
  });
}

export const recordRound = (blobs: SummaryBlobs, round: Round): Promise<void> => recordRounds(blobs, [round]);

/** Removes the summaries of days that ended before `cutoff` (the storage's check_expiry). */
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
    if (removed.length > 0) await blobs.put(INDEX_FILE, summaryJson(index));
    return removed;
  });
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
