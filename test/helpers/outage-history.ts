/**
 * A constructed history for status, feed and report tests: two checks at 10-minute rounds from
 * 2026-11-01 00:00 UTC to 2026-11-02 23:50, "API" down from 10:00 to 10:30 (three rounds, a
 * message on the second) and from 23:50 to 00:10 across midnight; "Web" always healthy. Up
 * rounds take 10 ms, except 20 of API's that take 500 ms. A last round, at 2026-11-03 00:00, has API
 * down again (an outage going on).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { resultsJson } from "../../lib/result.js";
import { FsStorage } from "../../lib/storage/fs.js";
import { checkFileName, indexJson } from "../../lib/files/index-file.js";
import type { Result } from "../../lib/types.js";

export const DAY1 = Date.parse("2026-11-01T00:00:00Z");
export const ROUND_MS = 600_000;
export const ROUNDS = 288;
export const ERROR = "response status 502 <script>alert(1)</script> & \u0007bell";
export const MESSAGE = "Investigating <b>502s</b>";
const DOWN = new Set([60, 61, 62, 143, 144]);
const SLOW = new Set(Array.from({ length: 20 }, (_, i) => 200 + i));

export const at = (round: number): bigint => BigInt(DAY1 + round * ROUND_MS) * 1_000_000n;

export function apiResult(round: number, down = DOWN.has(round)): Result {
  const base = { title: "API", endpoint: "https://api.example/health", timestamp: at(round) };
  if (down) return { ...base, times: [{ rtt: 1_000_000, error: ERROR }], down: true, ...(round === 61 && { message: MESSAGE }) };
  return { ...base, times: [{ rtt: SLOW.has(round) ? 500_000_000 : 10_000_000 }], healthy: true };
}

export const webResult = (round: number): Result =>
  ({ title: "Web", endpoint: "https://www.example/", timestamp: at(round), times: [{ rtt: 10_000_000 }], healthy: true });

export const roundOf = (i: number): Result[] => [apiResult(i), webResult(i)];

/**
 * The history as a store: check files and index.json as the Go checkup writes them, then
 * summarized by this checkup's writer, then one more round stored live with API down again.
 */
export async function writeOutageStore(dir: string): Promise<FsStorage> {
  await mkdir(dir, { recursive: true });
  const index = new Map<string, bigint>();
  for (let i = 0; i < ROUNDS; i++) {
    await writeFile(path.join(dir, checkFileName(at(i))), `${resultsJson(roundOf(i))}\n`);
    index.set(checkFileName(at(i)), at(i));
  }
  await writeFile(path.join(dir, "index.json"), `${indexJson(index)}\n`);
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  await fs.summarize();
  await fs.store([apiResult(ROUNDS, true), webResult(ROUNDS)], at(ROUNDS));
  return fs;
}
