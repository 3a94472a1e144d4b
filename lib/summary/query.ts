/**
 * Summaries built on demand from plain check files, for stores that have none (written by the Go
 * checkup, or before summaries existed): `checkup serve` answers `/api/history` with this, so the
 * page loads a Go-written store in one request. Also the backfill that writes summaries for them.
 */
import { mapLimit } from "../pool.js";
import { checkFileTime } from "../storage/index-file.js";
import type { StorageReader } from "../types.js";
import type { UnixNanos } from "../nanos.js";
import { addRounds, rollupHours } from "./day.js";
import { dayOf, emptyRunsDay, SUMMARY_VERSION, type History, type RunsDay } from "./format.js";
import { recordRounds, type Round, type SummaryBlobs } from "./writer.js";

/** Check files read at once: enough to hide latency, few enough for SQL pools and rate limits. */
const FETCH_CONCURRENCY = 8;

/** Rounds stored in [fromNs, toNs], oldest first, named by their file's ns (else the index time). */
export async function roundsBetween(reader: StorageReader, fromNs: UnixNanos, toNs: UnixNanos): Promise<Round[]> {
  const index = await reader.index();
  const wanted = [...index]
    .map(([name, indexed]) => ({ name, storedAt: checkFileTime(name) ?? indexed }))
    .filter((r) => r.storedAt >= fromNs && r.storedAt <= toNs)
    .sort((a, b) => (a.storedAt < b.storedAt ? -1 : a.storedAt > b.storedAt ? 1 : 0));
  return mapLimit(wanted, FETCH_CONCURRENCY, async (r) => ({ ...r, results: await reader.fetch(r.name) }));
}

/** Groups rounds into day summaries, oldest day first. */
export function daysOf(rounds: readonly Round[]): RunsDay[] {
  const byDay = new Map<string, Round[]>();
  for (const r of rounds) byDay.set(dayOf(r.storedAt), [...(byDay.get(dayOf(r.storedAt)) ?? []), r]);
  return [...byDay].sort(([a], [b]) => a.localeCompare(b)).map(([day, rs]) => addRounds(emptyRunsDay(day), rs));
}

/**
 * The summary shape for [fromNs, toNs]: every run (`res: "runs"`) or hour rollups (`"hours"`),
 * in the same objects as `summaries/<day>.json` and `summaries/<day>.hours.json`.
 */
export async function history(reader: StorageReader, fromNs: UnixNanos, toNs: UnixNanos, res: "runs" | "hours" = "runs"): Promise<History> {
  const days = daysOf(await roundsBetween(reader, fromNs, toNs));
  return {
    v: SUMMARY_VERSION, from: fromNs.toString(), to: toNs.toString(), res,
    days: res === "hours" ? days.map(rollupHours) : days,
  };
}

/**
 * Writes summaries for every round a store already holds (`checkup summarize`). Safe to run
 * again or beside a running writer: rounds already summarized are skipped.
 */
export async function backfillSummaries(reader: StorageReader, blobs: SummaryBlobs, batch = 500): Promise<number> {
  const index = await reader.index();
  const names = [...index.keys()].sort();
  for (let i = 0; i < names.length; i += batch) {
    const slice = names.slice(i, i + batch);
    const rounds = await mapLimit(slice, FETCH_CONCURRENCY, async (name) => ({
      name, storedAt: checkFileTime(name) ?? index.get(name)!, results: await reader.fetch(name),
    }));
    await recordRounds(blobs, rounds);
  }
  return names.length;
}
