/**
 * `checkup report` benchmark (print-only): a year of summaries for 50 checks at 10-minute rounds
 * (52,560 rounds, 2.6 million runs), written by the summary writer a day at a time into an fs
 * store. Times `checkup report --month` as a user runs it (the built CLI, process start included),
 * the same in-process, a whole year with --from/--to, and one rewrite of status.json + feed.xml.
 *
 *   node dist/bench/report.js
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FsStorage } from "../lib/storage/fs.js";
import { checkFileName } from "../lib/files/index-file.js";
import { publishStatus } from "../lib/summary/publish.js";
import { buildReport, storageSource } from "../lib/summary/report.js";
import { readIndex, recordRounds, type Round } from "../lib/summary/writer.js";
import type { Result } from "../lib/types.js";

const CHECKS = 50;
const DAYS = 365;
const ROUNDS_A_DAY = 144;
const STEP_MS = 600_000;
const START = Date.parse("2025-12-01T00:00:00Z");
const CLI = fileURLToPath(new URL("../cmd/checkup.js", import.meta.url));

function round(r: number): Round {
  const ms = START + r * STEP_MS;
  const at = BigInt(ms) * 1_000_000n;
  const results = Array.from({ length: CHECKS }, (_, c): Result => ({
    title: `Service ${c}`, endpoint: `https://service-${c}.example.com/health`, timestamp: at,
    times: [{ rtt: 20_000_000 + ((r * 7 + c * 13) % 200) * 1_000_000 }],
    // A few outages a month per check, of one to three rounds.
    ...((r + c * 31) % 1500 < 1 + (c % 3) ? { down: true } : { healthy: true }),
  }));
  return { name: checkFileName(at), storedAt: at, results };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await work();
  return [value, performance.now() - t0];
}

const dir = await mkdtemp(path.join(os.tmpdir(), "checkup-bench-report-"));
try {
  const storage = new FsStorage({ dir, url: "", checkExpiry: 0 });
  const blobs = storage.summaries()!;
  const [, writeMs] = await timed(async () => {
    for (let d = 0; d < DAYS; d++) await recordRounds(blobs, Array.from({ length: ROUNDS_A_DAY }, (_, i) => round(d * ROUNDS_A_DAY + i)));
  });
  const index = await readIndex(blobs);
  console.log(`wrote ${Object.keys(index.days).length} days of summaries (${DAYS * ROUNDS_A_DAY} rounds × ${CHECKS} checks) in ${(writeMs / 1000).toFixed(1)} s`);

  const config = path.join(dir, "..", `${path.basename(dir)}.json`);
  await writeFile(config, JSON.stringify({ checkers: [], storage: { type: "fs", dir } }));
  const cliRuns = Array.from({ length: 5 }, () => {
    const t0 = performance.now();
    execFileSync(process.execPath, [CLI, "-c", config, "report", "--month", "2026-06"], { stdio: "ignore" });
    return performance.now() - t0;
  });
  await rm(config);
  console.log(`checkup report --month 2026-06 (CLI, process included): ${cliRuns.map((t) => t.toFixed(0)).join(", ")} ms`);

  const source = storageSource(storage);
  const [month, monthMs] = await timed(() => buildReport(source, { from: "2026-06-01", to: "2026-06-30" }, Date.now()));
  console.log(`report, one month in-process: ${monthMs.toFixed(0)} ms (${month.checks.length} checks, e.g. ${month.checks[0]!.incidents} incidents, ${month.checks[0]!.uptime.toFixed(3)} %)`);
  const [, yearMs] = await timed(() => buildReport(source, { from: "2025-12-01", to: "2026-11-30" }, Date.now()));
  console.log(`report, the whole year in-process: ${yearMs.toFixed(0)} ms`);
  const [, publishMs] = await timed(() => publishStatus(blobs, index));
  console.log(`status.json + feed.xml from 90 days of week files: ${publishMs.toFixed(0)} ms`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
