/**
 * `/api/history` benchmark (print-only): 20,000 stored rounds of 5 checks (14 days, a round every
 * minute), as an fs store with summaries. Times the answer to the page's 24 h and 30 d requests
 * the way `serve` used to build it (every round in the window fetched and merged per request:
 * its round cache held 5,000, so a 20,000-round window was read again each time), against the
 * HistoryMirror `serve` keeps now, cold (first request) and warm, in the same run.
 *
 *   node dist/bench/history.js
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { nowUnixNanos } from "../lib/nanos.js";
import { resultsJson } from "../lib/result.js";
import { FsStorage } from "../lib/storage/fs.js";
import { checkFileName, indexJson } from "../lib/files/index-file.js";
import { DAY_NS, summaryJson } from "../lib/summary/format.js";
import { HistoryMirror } from "../lib/summary/mirror.js";
import { backfillSummaries, history } from "../lib/summary/query.js";
import type { Result, StoreIndex } from "../lib/types.js";

const ROUNDS = 20_000;
const CHECKS = 5;
const STEP_NS = 60_000_000_000n;
const REPEAT = 5;

function round(at: bigint, r: number): Result[] {
  return Array.from({ length: CHECKS }, (_, c): Result => ({
    title: `Service ${c}`, endpoint: `https://service-${c}.example.com/health`, timestamp: at - 300_000_000n,
    times: [{ rtt: 20_000_000 + ((r * 7 + c * 13) % 200) * 1_000_000 }], ...((r + c) % 997 === 0 ? { down: true } : { healthy: true }),
  }));
}

/** Check files and index.json written directly (as the Go checkup leaves them), then summarized. */
async function writeStore(dir: string, now: bigint): Promise<FsStorage> {
  await mkdir(dir, { recursive: true });
  const index: StoreIndex = new Map();
  for (let r = 0; r < ROUNDS; r++) {
    const at = now - BigInt(ROUNDS - r) * STEP_NS;
    const name = checkFileName(at);
    await writeFile(path.join(dir, name), `${resultsJson(round(at, r))}\n`);
    index.set(name, at);
  }
  await writeFile(path.join(dir, "index.json"), indexJson(index));
  const storage = new FsStorage({ dir, url: "", checkExpiry: 0 });
  await backfillSummaries(storage, storage.summaries()!);
  return storage;
}

async function ms(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function median(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) times.push(await ms(work));
  return times.sort((a, b) => a - b)[REPEAT >> 1]!;
}

const tmp = await mkdtemp(path.join(os.tmpdir(), "checkup-bench-history-"));
try {
  const now = nowUnixNanos();
  const storage = await writeStore(path.join(tmp, "checks"), now);
  console.log(`${ROUNDS} rounds × ${CHECKS} checks, one a minute over ${Math.round(ROUNDS / 1440)} days; median of ${REPEAT} requests`);
  for (const [label, from, res] of [["24 h (runs)", now - DAY_NS, "runs"], ["30 d (hours)", now - 30n * DAY_NS, "hours"]] as const) {
    const answer = (h: Promise<unknown>) => h.then((v) => summaryJson(v as never));
    const old = await median(() => answer(history(storage, from, now, res)));
    const mirror = new HistoryMirror(storage, storage.summaries());
    const cold = await ms(() => answer(mirror.history(from, now, res)));
    const warm = await median(() => answer(mirror.history(from + 1n, now, res)));
    console.log(`${label.padEnd(13)} every round per request: ${old.toFixed(0).padStart(6)} ms · mirror cold ${cold.toFixed(0).padStart(5)} ms, `
      + `warm ${warm.toFixed(1).padStart(6)} ms · ${(old / warm).toFixed(0)}× faster warm`);
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}
