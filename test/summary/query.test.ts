import assert from "node:assert/strict";
import { cp, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { FsStorage, fsSummaryBlobs } from "../../lib/storage/fs.js";
import type { CheckRuns, HoursDay, RunsDay } from "../../lib/summary/format.js";
import { backfillSummaries, history } from "../../lib/summary/query.js";
import { COMPAT } from "../helpers/paths.js";
import { tmpDir } from "../helpers/tmp.js";

const GO_STORE = path.join(COMPAT, "stores", "tobru__fwu-pos-statuspage");
const goReader = () => new FsStorage({ dir: GO_STORE, url: "", checkExpiry: 0, summaries: false });
const ALL = [0n, 9_999_999_999_999_999_999n] as const;

test("history: builds day summaries from a Go-written store (299 rounds, 6 checks)", async () => {
  const h = await history(goReader(), ...ALL);
  const days = h.days as RunsDay[];
  assert.deepEqual(days.map((d) => d.day), ["2018-08-05", "2018-08-06", "2018-08-07"]);
  assert.equal(days.reduce((n, d) => n + d.files.length, 0), 299);
  const printer1 = days.flatMap((d) => d.checks).filter((c) => c.endpoint === "192.168.233.3:80");
  const runs = printer1.reduce((n, c) => n + c.t.length, 0);
  const down = printer1.reduce((n, c) => n + [...c.s].filter((s) => s === "x").length, 0);
  assert.equal(runs, 299);
  assert.ok(down >= 1);
  const first = days[0]!.checks.find((c) => c.endpoint === "192.168.233.3:80") as CheckRuns;
  assert.equal(first.title, "Printer 1");
  assert.match(first.error[0]!, /no route to host/);
  const all = days.flatMap((d) => d.checks);
  assert.equal(all.reduce((n, c) => n + [...c.s].filter((s) => s === "x").length, 0), 3, "the store holds 3 down results");
});

test("history: only rounds stored in [from, to]; hours resolution rolls them up", async () => {
  const from = 1533485911571151571n; // the 2nd file
  const to = 1533487109945521820n; // the 4th file
  const runs = await history(goReader(), from, to);
  assert.deepEqual((runs.days as RunsDay[]).flatMap((d) => d.files).length, 3);
  const hours = await history(goReader(), ...ALL, "hours");
  const days = hours.days as HoursDay[];
  assert.equal(days.flatMap((d) => d.checks).reduce((n, c) => n + c.n.reduce((a, b) => a + b, 0), 0), 299 * 6);
  assert.equal(hours.res, "hours");
});

test("backfillSummaries: writes the same days a writer would, and twice is once", async () => {
  const dir = await tmpDir();
  await cp(GO_STORE, dir, { recursive: true });
  const store = new FsStorage({ dir, url: "", checkExpiry: 0, summaries: false });
  assert.equal(await backfillSummaries(store, fsSummaryBlobs(dir), 100), 299);
  const once = await readFile(path.join(dir, "summaries", "2018-08-06.json"), "utf8");
  await backfillSummaries(store, fsSummaryBlobs(dir), 100);
  assert.equal(await readFile(path.join(dir, "summaries", "2018-08-06.json"), "utf8"), once);
  const fromHistory = (await history(store, ...ALL)).days as RunsDay[];
  assert.deepEqual(JSON.parse(once), fromHistory[1]);
});
