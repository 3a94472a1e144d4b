import assert from "node:assert/strict";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { FsStorage, fsSummaryBlobs } from "../../lib/storage/fs.js";
import { addRounds, rollupHours } from "../../lib/summary/day.js";
import { dayStart, emptyRunsDay, parseIndexFile, parseMonth, summaryJson } from "../../lib/summary/format.js";
import { daysInMonth, rollupMonth } from "../../lib/summary/month.js";
import { pruneSummaries } from "../../lib/summary/writer.js";
import type { Result } from "../../lib/types.js";
import { tmpDir } from "../helpers/tmp.js";

const START = dayStart("2024-06-01");
const MIN = 60_000_000_000n;
const DAY = 1440n * MIN;

const result = (at: bigint, rttMs: number, over: Partial<Result> = {}): Result =>
  ({ title: "API", endpoint: "https://api.example/health", timestamp: at, times: [{ rtt: rttMs * 1_000_000 }], healthy: true, ...over });
const down = (at: bigint): Result => result(at, 5000, { healthy: false, down: true, times: [{ rtt: 5_000_000_000, error: "connection refused" }] });
const round = (at: bigint, results: Result[]) => ({ name: `${at}-check.json`, storedAt: at, results });
const hoursOf = (day: string, rounds: ReturnType<typeof round>[]) => rollupHours(addRounds(emptyRunsDay(day), rounds));

test("daysInMonth: calendar months, leap years included", () => {
  assert.deepEqual(["2024-01", "2024-02", "2023-02", "2024-04", "2024-12"].map(daysInMonth), [31, 29, 28, 30, 31]);
});

test("rollupMonth: per day runs, downs and the day's true p50/p95; changes across days kept with their text", () => {
  // June 1st: 20 runs at 10..200 ms (p50 105 ms, p95 190 ms: of runs, not of hours). June 3rd: down at 05:00, healthy at 06:00.
  const first = hoursOf("2024-06-01", Array.from({ length: 20 }, (_, i) => round(START + BigInt(i) * 10n * MIN, [result(START + BigInt(i) * 10n * MIN, 10 * (i + 1))])));
  const third = START + 2n * DAY;
  const wed = hoursOf("2024-06-03", [round(third + 300n * MIN, [down(third + 300n * MIN)]), round(third + 360n * MIN, [result(third + 360n * MIN, 40, { message: "fixed" })])]);
  const month = rollupMonth("2024-06", [wed, first]);
  assert.equal(month.month, "2024-06");
  assert.equal(month.start, START.toString());
  const c = month.checks[0]!;
  assert.deepEqual(c.n, [20, 0, 2]);
  assert.deepEqual(c.down, { 2: 1 });
  assert.deepEqual(c.p50Ms, [105, 0, 2520]);
  assert.deepEqual(c.p95Ms, [190, 0, 5000]);
  const h = 3_600_000;
  assert.deepEqual(c.first, [0, "h"]);
  assert.deepEqual(c.last, [48 * h + 6 * h, "h"]);
  assert.deepEqual(c.events, [[48 * h + 5 * h, "x", "connection refused"], [54 * h, "h", ""], [54 * h, "m", "fixed"]]);
  assert.throws(() => rollupMonth("2024-07", [first]), /2024-06-01 is not in the month of 2024-07-01/);
  // Hours days written before month files have no day figures: the day's hour medians stand in.
  const { dayRtt: _, ...old } = first.checks[0]!;
  const fromOld = rollupMonth("2024-06", [{ ...first, checks: [old] }]).checks[0]!;
  assert.deepEqual([fromOld.p50Ms[0], fromOld.p95Ms[0]], [125, 195], "of the hours' medians 35, 95, 155 and 195 ms");
});

async function readSummary(dir: string, name: string): Promise<string> {
  return readFile(path.join(dir, "summaries", name), "utf8");
}

test("fs store writes a month file as its days complete, lists it, and rewrites it for a late round", async () => {
  const dir = await tmpDir();
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  await fs.store([result(START + MIN, 10)], START + MIN);
  await fs.store([result(START + 2n * MIN, 20)], START + 2n * MIN);
  const files = async () => (await readdir(path.join(dir, "summaries"))).filter((n) => n.endsWith(".month.json")).sort();
  assert.deepEqual(await files(), [], "the only day is still open");
  // The first round of July 1st completes June 1st... and of the new month, none yet.
  const july = dayStart("2024-07-01");
  await fs.store([down(july + MIN)], july + MIN);
  assert.deepEqual(await files(), ["2024-06.month.json"]);
  let index = parseIndexFile(await readSummary(dir, "index.json"), "index");
  assert.deepEqual(index.months, { "2024-06": { runs: 2, last: (START + 2n * MIN).toString(), through: "2024-06-01" } });
  // A late round of June 1st (a replayed spool) is in the month at once.
  await fs.store([down(START + 3n * MIN)], START + 3n * MIN);
  let month = parseMonth(await readSummary(dir, "2024-06.month.json"), "month");
  assert.deepEqual([month.checks[0]!.n, month.checks[0]!.down], [[3], { 0: 1 }]);
  index = parseIndexFile(await readSummary(dir, "index.json"), "index");
  assert.equal(index.months!["2024-06"]!.runs, 3);
  // A store summarized before month files: its next round writes every month of complete days.
  await rm(path.join(dir, "summaries", "2024-06.month.json"));
  delete index.months;
  await writeFile(path.join(dir, "summaries", "index.json"), summaryJson(index));
  await fs.store([result(july + DAY + MIN, 10)], july + DAY + MIN);
  assert.deepEqual(await files(), ["2024-06.month.json", "2024-07.month.json"]);
  month = parseMonth(await readSummary(dir, "2024-07.month.json"), "month");
  assert.deepEqual([month.checks[0]!.n, month.checks[0]!.first[1]], [[1], "x"]);
});

test("pruneSummaries rewrites a month without its expired days, and removes months left empty", async () => {
  const dir = await tmpDir();
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  const may31 = START - DAY;
  for (const at of [may31 + MIN, START + MIN, START + DAY + MIN, START + 2n * DAY + MIN]) await fs.store([result(at, 10)], at);
  assert.deepEqual((await readdir(path.join(dir, "summaries"))).filter((n) => n.endsWith(".month.json")).sort(), ["2024-05.month.json", "2024-06.month.json"]);
  assert.deepEqual(await pruneSummaries(fsSummaryBlobs(dir), START + DAY), ["2024-05-31", "2024-06-01"]);
  const month = parseMonth(await readSummary(dir, "2024-06.month.json"), "month");
  assert.deepEqual(month.checks[0]!.n, [0, 1]);
  const index = parseIndexFile(await readSummary(dir, "index.json"), "index");
  assert.deepEqual(index.months, { "2024-06": { runs: 1, last: (START + DAY + MIN).toString(), through: "2024-06-02" } });
  assert.ok(!(await readdir(path.join(dir, "summaries"))).includes("2024-05.month.json"));
});

test("checkup summarize (backfill) writes the month files of a store that has only check files", async () => {
  const dir = await tmpDir();
  const plain = new FsStorage({ dir, url: "", checkExpiry: 0, summaries: false });
  for (let d = 0n; d < 3n; d++) await plain.store([result(START + d * DAY + MIN, 10)], START + d * DAY + MIN);
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  assert.equal(await fs.summarize(), 3);
  const index = parseIndexFile(await readSummary(dir, "index.json"), "index");
  assert.deepEqual(index.months, { "2024-06": { runs: 2, last: (START + DAY + MIN).toString(), through: "2024-06-02" } });
  const month = parseMonth(await readSummary(dir, "2024-06.month.json"), "month");
  assert.deepEqual(month.checks[0]!.n, [1, 1]);
  assert.equal(await fs.summarize(), 3, "again: the same files");
  assert.equal(await readSummary(dir, "2024-06.month.json"), summaryJson(month));
});
