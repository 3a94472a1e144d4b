import assert from "node:assert/strict";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { FsStorage, fsSummaryBlobs } from "../../lib/storage/fs.js";
import { addRounds, rollupHours } from "../../lib/summary/day.js";
import { dayStart, daysOfWeek, emptyRunsDay, parseIndexFile, parseWeek, summaryJson, weekOf } from "../../lib/summary/format.js";
import { rollupWeek, rttMs } from "../../lib/summary/week.js";
import { pruneSummaries } from "../../lib/summary/writer.js";
import type { Result } from "../../lib/types.js";
import { tmpDir } from "../helpers/tmp.js";

const MONDAY = "2024-06-10";
const START = dayStart(MONDAY);
const MIN = 60_000_000_000n;
const DAY = 1440n * MIN;

function result(at: bigint, over: Partial<Result> = {}): Result {
  return { title: "API", endpoint: "https://api.example/health", timestamp: at, times: [{ rtt: 81_234_567 }], healthy: true, ...over };
}
const down = (at: bigint, over: Partial<Result> = {}): Result =>
  result(at, { healthy: false, down: true, times: [{ rtt: 5_000_000_000, error: "connection refused" }], ...over });
const round = (at: bigint, results: Result[]) => ({ name: `${at}-check.json`, storedAt: at, results });
const hoursOf = (day: string, rounds: ReturnType<typeof round>[]) => rollupHours(addRounds(emptyRunsDay(day), rounds));

test("weekOf and daysOfWeek: UTC weeks start on Monday", () => {
  assert.equal(weekOf("2024-06-10"), "2024-06-10");
  assert.equal(weekOf("2024-06-16"), "2024-06-10", "Sunday belongs to the Monday before");
  assert.equal(weekOf("2024-06-17"), "2024-06-17");
  assert.equal(weekOf("2025-01-01"), "2024-12-30", "across a year");
  assert.deepEqual(daysOfWeek("2024-12-30"), ["2024-12-30", "2024-12-31", "2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05"]);
});

test("rttMs: 3 significant digits in ms, stable when applied again", () => {
  assert.equal(rttMs(123_456), 123);
  assert.equal(rttMs(20_345), 20.3);
  assert.equal(rttMs(850), 0.85);
  assert.equal(rttMs(1_234_567), 1230);
  assert.equal(rttMs(0), 0);
  assert.equal(rttMs(rttMs(20_345) * 1000), 20.3);
});

test("rollupWeek: days side by side per hour, changes across days kept with their text", () => {
  // Monday: healthy at 00:10 and 00:20, down at 05:00. Wednesday: down at 01:00 (same status:
  // no change), healthy at 02:00 with a message and a threshold. Thursday: down at 00:30 (a
  // change at the day's first run, with its error), moved to another URL.
  const mon = hoursOf("2024-06-10", [round(START + 10n * MIN, [result(START + 10n * MIN)]), round(START + 20n * MIN, [result(START + 20n * MIN)]),
    round(START + 300n * MIN, [down(START + 300n * MIN)])]);
  const wedStart = START + 2n * DAY;
  const wed = hoursOf("2024-06-12", [round(wedStart + 60n * MIN, [down(wedStart + 60n * MIN)]),
    round(wedStart + 120n * MIN, [result(wedStart + 120n * MIN, { message: "deployed", threshold: 300_000_000 })])]);
  const thuStart = START + 3n * DAY;
  const thu = hoursOf("2024-06-13", [round(thuStart + 30n * MIN, [down(thuStart + 30n * MIN, { endpoint: "https://v2.api.example/health", threshold: 300_000_000 })])]);
  const week = rollupWeek(MONDAY, [thu, mon, wed]);
  assert.equal(week.week, MONDAY);
  assert.equal(week.start, START.toString());
  assert.equal(week.checks.length, 1);
  const c = week.checks[0]!;
  assert.equal(c.endpoint, "https://v2.api.example/health", "a check is its title: the newest day's endpoint is shown");
  assert.equal(c.thr, 300_000);
  // Hours 0 (2 runs), 1-4 none, 5 (1), …, Wed 01 = hour 49, Wed 02 = 50, Thu 00 = 72: the last one.
  assert.deepEqual(c.n, [[1, 2], [4, 0], [1, 1], [43, 0], [2, 1], [21, 0], [1, 1]]);
  assert.deepEqual(c.down, { 5: 1, 49: 1, 72: 1 });
  assert.equal(c.rttMs.length, 73);
  assert.deepEqual([c.rttMs[0], c.rttMs[1], c.rttMs[5], c.rttMs[50]], [81.2, 0, 5000, 81.2]);
  const h = 3_600_000;
  assert.deepEqual(c.first, [10 * 60_000, "h"]);
  assert.deepEqual(c.last, [72 * h + 30 * 60_000, "x"]);
  assert.deepEqual(c.events, [
    [5 * h, "x", "connection refused"],
    [50 * h, "h", ""],
    [50 * h, "m", "deployed"],
    [72 * h + 30 * 60_000, "x", "connection refused"],
  ]);
  // Compact: the week is well under the sum of its hours days.
  assert.ok(summaryJson(week).length < [mon, wed, thu].reduce((n, d) => n + summaryJson(d).length, 0) / 2);
  assert.throws(() => rollupWeek("2024-06-17", [mon]), /2024-06-10 is not in the week of 2024-06-17/);
});

async function readSummary(dir: string, name: string): Promise<string> {
  return readFile(path.join(dir, "summaries", name), "utf8");
}

test("fs store writes the week and lists it in the index; a first week file also holds earlier days", async () => {
  const dir = await tmpDir();
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  await fs.store([result(START + MIN)], START + MIN);
  await fs.store([result(START + DAY + MIN)], START + DAY + MIN);
  await fs.store([result(START - MIN)], START - MIN); // Sunday: the week before
  assert.deepEqual((await readdir(path.join(dir, "summaries"))).filter((n) => n.endsWith(".week.json")).sort(),
    ["2024-06-03.week.json", "2024-06-10.week.json"]);
  let index = parseIndexFile(await readSummary(dir, "index.json"), "index");
  assert.deepEqual(index.weeks, {
    "2024-06-03": { runs: 1, last: (START - MIN).toString() },
    "2024-06-10": { runs: 2, last: (START + DAY + MIN).toString() },
  });
  // A store summarized before week files existed: the next round writes its week whole.
  await rm(path.join(dir, "summaries", "2024-06-10.week.json"));
  delete index.weeks;
  await writeFile(path.join(dir, "summaries", "index.json"), summaryJson(index));
  await fs.store([result(START + 2n * DAY + MIN)], START + 2n * DAY + MIN);
  const week = parseWeek(await readSummary(dir, "2024-06-10.week.json"), "week");
  assert.deepEqual(week.checks[0]!.n, [[1, 1], [23, 0], [1, 1], [23, 0], [1, 1]]);
  index = parseIndexFile(await readSummary(dir, "index.json"), "index");
  assert.deepEqual(Object.keys(index.weeks!), ["2024-06-10"], "the older week stays unlisted: readers use its hours days");
  assert.equal(index.weeks!["2024-06-10"]!.runs, 3);
});

test("pruneSummaries rewrites a week without its expired days, and removes weeks left empty", async () => {
  const dir = await tmpDir();
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  for (const at of [START - MIN, START + MIN, START + DAY + MIN, START + 2n * DAY + MIN]) await fs.store([result(at)], at);
  assert.deepEqual(await pruneSummaries(fsSummaryBlobs(dir), START + DAY), ["2024-06-09", "2024-06-10"]);
  const week = parseWeek(await readSummary(dir, "2024-06-10.week.json"), "week");
  assert.deepEqual(week.checks[0]!.n, [[24, 0], [1, 1], [23, 0], [1, 1]]);
  const index = parseIndexFile(await readSummary(dir, "index.json"), "index");
  assert.deepEqual(index.weeks, { "2024-06-10": { runs: 2, last: (START + 2n * DAY + MIN).toString() } });
  assert.ok(!(await readdir(path.join(dir, "summaries"))).includes("2024-06-03.week.json"));
});
