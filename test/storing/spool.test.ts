/** The spool: a round that could not be stored is replayed later, and stored once however it failed. */
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { FsStorage } from "../../lib/storage/fs.js";
import { SpoolingStorage } from "../../lib/storing/spool.js";
import { parseRunsDay } from "../../lib/summary/format.js";
import type { Result } from "../../lib/types.js";
import { tmpDir } from "../helpers/tmp.js";

const MINUTE = 60_000_000_000n;
const START = 1718000000000000000n;
const round = (i: number): Result[] => [{ title: `r${i}`, timestamp: START + BigInt(i) * MINUTE, times: [{ rtt: 1000 + i }], healthy: true }];

test("spool: rounds whose summaries step fails are each stored once, however often they are replayed", async () => {
  const dir = await tmpDir();
  const store = path.join(dir, "store");
  const fs = new FsStorage({ dir: store, url: "", checkExpiry: 0 });
  const spool = new SpoolingStorage(fs, path.join(dir, "spool"));
  // A file where the summaries folder belongs: every store fails after its round was indexed.
  await mkdir(store);
  await writeFile(path.join(store, "summaries"), "not a folder");
  for (let i = 0; i < 5; i++) {
    await assert.rejects(spool.store(round(i), START + BigInt(i) * MINUTE), /^RuntimeError: storing to fs failed: .*summaries/);
  }
  assert.equal((await spool.pending()).length, 5, "all five wait in the spool");
  // Each later store replays the first round first, which fails at the same step.
  assert.equal((await fs.index()).size, 1, "the first round is indexed once");

  await rm(path.join(store, "summaries"));
  const last = await spool.store(round(5), START + 5n * MINUTE);
  assert.deepEqual(await spool.pending(), []);
  const names = [...(await fs.index()).keys()].sort();
  assert.equal(names.length, 6, "six rounds, six entries");
  assert.equal(names.at(-1), last);
  const titles = await Promise.all(names.map(async (n) => (await fs.fetch(n))[0]!.title));
  assert.deepEqual(titles, ["r0", "r1", "r2", "r3", "r4", "r5"]);
  const checkFiles = (await readdir(store)).filter((f) => f.endsWith("-check.json")).sort();
  assert.deepEqual(checkFiles, names, "no check file beside the indexed ones");
  const summaryDays = (await readdir(path.join(store, "summaries"))).filter((f) => /^\d{4}-\d\d-\d\d\.json$/.test(f));
  const summarized = await Promise.all(summaryDays.map(async (f) => parseRunsDay(await readFile(path.join(store, "summaries", f), "utf8"), f).files));
  assert.deepEqual(summarized.flat().sort(), names, "each round is in the summaries once");
});
