/**
 * Summaries built on demand from plain check files, for stores that have none (written by the Go
 * checkup, or before summaries existed), and the backfill that writes summaries for them.
 * `checkup serve` keeps a HistoryMirror (mirror.ts) so a Go-written store loads in one request.
 */
import { mapLimit } from "../pool.js";
import { checkFileTime } from "../files/index-file.js";
import type { StorageReader, SummaryBlobs } from "../types.js";
import type { UnixNanos } from "../nanos.js";
import { dayOf, type History } from "./format.js";
import { FETCH_CONCURRENCY, HistoryMirror } from "./mirror.js";
import { outdatedDays, recordRounds } from "./writer.js";

/**
 * The summary shape for [fromNs, toNs]: every run (`res: "runs"`) or hour rollups (`"hours"`),
 * in the same objects as `summaries/<day>.json` and `summaries/<day>.hours.json`. One-off; a
 * server keeps a HistoryMirror instead, which remembers what it read.
 */
export function history(reader: StorageReader, fromNs: UnixNanos, toNs: UnixNanos, res: "runs" | "hours" = "runs"): Promise<History> {
  return new HistoryMirror(reader).history(fromNs, toNs, res);
}

/**
 * Writes summaries for every round a store already holds (`checkup summarize`). Safe to run
 * again or beside a running writer: rounds already summarized are skipped, except in days an
 * older format wrote, which are rebuilt from their rounds.
 */
export async function backfillSummaries(reader: StorageReader, blobs: SummaryBlobs, batch = 500): Promise<number> {
  const index = await reader.index();
  const names = [...index.keys()].sort();
  const rebuild = await outdatedDays(blobs, new Set(names));
  for (let i = 0; i < names.length; i += batch) {
    const slice = names.slice(i, i + batch);
    const rounds = await mapLimit(slice, FETCH_CONCURRENCY, async (name) => ({
      name, storedAt: checkFileTime(name) ?? index.get(name)!, results: await reader.fetch(name),
    }));
    await recordRounds(blobs, rounds, new Set(rounds.map((r) => dayOf(r.storedAt)).filter((d) => rebuild.has(d))));
    // A day spanning two batches starts over once only.
    for (const r of rounds) rebuild.delete(dayOf(r.storedAt));
  }
  return names.length;
}
