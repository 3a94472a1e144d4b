/**
 * Fixture stores for the status page, in checkup's format: rounds every 10 minutes up to `now`,
 * written either as the Go checkup would (check files + index.json only; `<`, `>`, `&` escaped
 * as \u003c…, through result.ts) or by this checkup's fs storage (plus summaries/).
 *
 * The story, 48 rounds, newest at `now` − 1 min:
 *   "API <b>v1</b>" (https://api.example.test/health?a=1&b=<2>): healthy, down in 3 rounds → 93.7 % up;
 *      round 5 carries a message with script, event-handler and javascript: payloads.
 *   "<img src=x onerror=…>" (db.internal:5432, tcp): degraded in the 10 oldest rounds → 100.0 % up.
 *   "Search" (https://search.example.test/): healthy, down in the newest 2 rounds → 95.8 %, now down.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { resultsJson } from "../../lib/result.js";
import { FsStorage } from "../../lib/storage/fs.js";
import { checkFileName, indexJson } from "../../lib/files/index-file.js";
import type { Result } from "../../lib/types.js";

export const ROUNDS = 48;
export const STEP_NS = 600_000_000_000n;
export const API_TITLE = "API <b>v1</b>";
export const DB_TITLE = `<img src=x onerror="window.__xss='title'">`;
export const MESSAGE = `Deploying <b>v2</b>, see <a href="https://example.test/notes">notes</a>. `
  + `<a href="javascript:window.__xss='href'">click</a><img src=x onerror="window.__xss='img'">`
  + `<script>window.__xss='script'</script><code>rollback</code>`;
export const EXPECTED = {
  api: { uptime: "93.7%", status: "Healthy", events: 6 },
  db: { uptime: "100.0%", status: "Healthy" },
  search: { uptime: "95.8%", status: "Down" },
};

/** Round k (0 = newest) of the story. */
export function fixtureRound(k: number, at: bigint): Result[] {
  const ts = at - 400_000_000n;
  const apiDown = k === 20 || k === 21 || k === 30;
  return [
    {
      title: API_TITLE, endpoint: "https://api.example.test/health?a=1&b=<2>", timestamp: ts,
      times: apiDown ? [{ rtt: 5_000_000_000, error: "Get \"https://api.example.test\": context deadline exceeded" }] : [{ rtt: 40_000_000 + k * 1_000_000 }, { rtt: 50_000_000 }],
      threshold: 200_000_000, ...(apiDown ? { down: true } : { healthy: true }),
      ...(k === 5 ? { message: MESSAGE } : {}),
    },
    {
      title: DB_TITLE, endpoint: "db.internal:5432", timestamp: ts + 1_000n, times: [{ rtt: k >= 38 ? 900_000_000 : 3_000_000 }],
      threshold: 500_000_000, healthy: true, ...(k >= 38 ? { degraded: true, notice: "median RTT 900ms exceeds threshold 500ms" } : {}),
    },
    {
      title: "Search", endpoint: "https://search.example.test/", timestamp: ts + 2_000n,
      times: k < 2 ? [{ rtt: 1_000_000, error: "response status 502 Bad Gateway" }] : [{ rtt: 120_000_000 }],
      ...(k < 2 ? { down: true } : { healthy: true }),
    },
  ];
}

export const roundTime = (now: bigint, k: number) => now - 60_000_000_000n - BigInt(k) * STEP_NS;

/** As the Go checkup writes a store: check files with a trailing newline, then index.json. */
export async function writeGoStyleStore(dir: string, now: bigint, rounds = ROUNDS): Promise<void> {
  await mkdir(dir, { recursive: true });
  const index = new Map<string, bigint>();
  for (let k = rounds - 1; k >= 0; k--) {
    const at = roundTime(now, k);
    await writeFile(path.join(dir, checkFileName(at)), `${resultsJson(fixtureRound(k, at))}\n`);
    index.set(checkFileName(at), at + 1_500_000n);
  }
  await writeFile(path.join(dir, "index.json"), `${indexJson(index)}\n`);
}

/** As this checkup writes it: the same files plus summaries/. */
export async function writeSummaryStore(dir: string, now: bigint, rounds = ROUNDS): Promise<FsStorage> {
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  for (let k = rounds - 1; k >= 0; k--) await fs.store(fixtureRound(k, roundTime(now, k)), roundTime(now, k));
  return fs;
}
