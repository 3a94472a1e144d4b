import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { FsStorage, fsSummaryBlobs } from "../../lib/storage/fs.js";
import { expandRuns } from "../../lib/summary/day.js";
import { dayStart, parseIndexFile, parseRunsDay, RECENT_ROUNDS } from "../../lib/summary/format.js";
import { pruneSummaries } from "../../lib/summary/writer.js";
import type { Result } from "../../lib/types.js";
import { tmpDir } from "../helpers/tmp.js";

const START = dayStart("2024-06-10");
const MIN = 60_000_000_000n;
const round = (title: string, at: bigint, over: Partial<Result> = {}): Result[] =>
  [{ title, endpoint: `https://${title}.example`, timestamp: at, times: [{ rtt: 2_000_000 }], healthy: true, ...over }];

async function readSummary(dir: string, name: string) {
  return readFile(path.join(dir, "summaries", name), "utf8");
}

test("fs store also writes the day's summary, hour rollup, week, complete days' month, index, status.json and feed.xml", async () => {
  const dir = await tmpDir();
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  const a = await fs.store(round("a", START + MIN), START + MIN);
  await fs.store(round("a", START + 11n * MIN, { healthy: false, down: true }), START + 11n * MIN);
  await fs.store(round("a", START - MIN), START - MIN); // the day before
  assert.deepEqual((await readdir(path.join(dir, "summaries"))).sort(),
    ["2024-06-03.week.json", "2024-06-09.hours.json", "2024-06-09.json", "2024-06-10.hours.json", "2024-06-10.json",
      "2024-06-10.week.json", "2024-06.month.json", "feed.xml", "index.json", "status.json"]);
  const day = parseRunsDay(await readSummary(dir, "2024-06-10.json"), "day");
  assert.equal(day.files[0], a);
  assert.equal(day.checks[0]!.s, "hx");
  assert.deepEqual(day.checks[0]!.t, [60_000, 660_000]);
  const index = parseIndexFile(await readSummary(dir, "index.json"), "index");
  assert.deepEqual(index.days, {
    "2024-06-09": { runs: 1, last: (START - MIN).toString() },
    "2024-06-10": { runs: 2, last: (START + 11n * MIN).toString() },
  });
  // The month holds its complete days: 06-09, not the newest day (06-10), which rounds still join.
  assert.deepEqual(index.months, { "2024-06": { runs: 1, last: (START - MIN).toString(), through: "2024-06-09" } });
  assert.deepEqual(index.recent.map(([, at]) => at), [START - MIN, START + MIN, START + 11n * MIN].map(String), "oldest first by store time");
});

test("summaries: concurrent stores from several writers lose no run", async () => {
  const dir = await tmpDir();
  const writers = Array.from({ length: 4 }, () => new FsStorage({ dir, url: "", checkExpiry: 0 }));
  await Promise.all(Array.from({ length: 24 }, (_, i) =>
    writers[i % 4]!.store(round("a", START + BigInt(i) * MIN), START + BigInt(i) * MIN)));
  const day = parseRunsDay(await readSummary(dir, "2024-06-10.json"), "day");
  assert.equal(day.files.length, 24);
  assert.equal(day.checks[0]!.t.length, 24);
  assert.deepEqual(expandRuns(day.checks[0]!).map((r) => r.t), Array.from({ length: 24 }, (_, i) => i * 60_000));
  const index = parseIndexFile(await readSummary(dir, "index.json"), "index");
  assert.equal(index.days["2024-06-10"]!.runs, 24);
  assert.equal(index.recent.length, RECENT_ROUNDS);
});

test("summaries: `summaries: false` writes none", async () => {
  const dir = await tmpDir();
  await new FsStorage({ dir, url: "", checkExpiry: 0, summaries: false }).store(round("a", START), START);
  assert.deepEqual((await readdir(dir)).filter((n) => !n.endsWith("-check.json")), ["index.json"]);
});

test("pruneSummaries drops whole days before the cutoff's day, and maintain calls it", async () => {
  const dir = await tmpDir();
  const day = 24n * 60n * MIN;
  const fs = new FsStorage({ dir, url: "", checkExpiry: Number(2n * day) });
  for (const d of [0n, 1n, 2n, 3n]) await fs.store(round("a", START + d * day), START + d * day);
  assert.deepEqual(await pruneSummaries(fsSummaryBlobs(dir), START + day + MIN), ["2024-06-10"]);
  await fs.maintain(START + 3n * day + 2n * day / 3n + day / 3n);
  const index = parseIndexFile(await readSummary(dir, "index.json"), "index");
  assert.deepEqual(Object.keys(index.days), ["2024-06-12", "2024-06-13"]);
  assert.ok(!(await readdir(path.join(dir, "summaries"))).includes("2024-06-11.json"));
});
