/**
 * Summary format 3 (docs/summaries.md): which node ran each run, the combined verdict of checks
 * several nodes run and each node's newest figures, written by the real fs writer; formats 1 and
 * 2 still read; a store whose results name no node writes what format 2 wrote.
 */
import assert from "node:assert/strict";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { FsStorage } from "../../lib/storage/fs.js";
import { addRounds, expandRuns, rollupHours } from "../../lib/summary/day.js";
import {
  dayStart, emptyRunsDay, parseHoursDay, parseIndexFile, parseRunsDay, parseWeek, summaryJson, type QuorumRule,
} from "../../lib/summary/format.js";
import type { Result } from "../../lib/types.js";
import { tmpDir } from "../helpers/tmp.js";

const MIN = 60_000_000_000n;
const SEC = 1_000_000_000n;
/** Sunday 2024-06-09 22:00 UTC: rounds every 10 minutes cross midnight into Monday. */
const FIRST = dayStart("2024-06-09") + 22n * 60n * MIN;
const NODES = ["eu-1", "eu-2", "us-1"] as const;

/** Node i's result of round k, stored 2 s after the node before it; eu-1 sees the check down from round 9 (23:30) on. */
function nodeRound(k: number, i: number, named = true, blip = true): { at: bigint; results: Result[] } {
  const at = FIRST + BigInt(k) * 10n * MIN + BigInt(i) * 2n * SEC;
  const down = blip && NODES[i] === "eu-1" && k >= 9;
  return {
    at,
    results: [{
      title: "API", endpoint: "https://api.example.test/", timestamp: at - 300_000_000n,
      times: down ? [{ rtt: 2_000_000_000, error: "connection refused" }] : [{ rtt: 40_000_000 + i * 5_000_000 }],
      ...(down ? { down: true } : { healthy: true }), ...(named && { node: NODES[i] }),
    }],
  };
}

async function writeStore(rounds: number, nodes: number, named = true, blip = true): Promise<string> {
  const dir = await tmpDir();
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  for (let k = 0; k < rounds; k++) for (let i = 0; i < nodes; i++) {
    const { at, results } = nodeRound(k, i, named, blip);
    await fs.store(results, at);
  }
  return dir;
}

const summary = (dir: string, name: string) => readFile(path.join(dir, "summaries", name), "utf8");

test("format 3: a store three nodes write keeps each run's node, the combined verdict and each node's newest run", async () => {
  const dir = await writeStore(24, 3);
  const sunday = parseRunsDay(await summary(dir, "2024-06-09.json"), "sunday");
  const monday = parseRunsDay(await summary(dir, "2024-06-10.json"), "monday");
  assert.equal(monday.v, 3);
  const [api] = monday.checks;
  assert.deepEqual(api!.nodes, ["eu-1", "eu-2", "us-1"]);
  assert.equal(api!.ni!.length, api!.t.length);
  assert.deepEqual(api!.ni!.slice(0, 6), [0, 1, 2, 0, 1, 2]);
  // eu-1 alone sees it down: every run's own status keeps that, the verdict stays healthy.
  assert.equal(api!.s.slice(0, 3), "xhh");
  assert.equal(api!.c, "h".repeat(api!.t.length));
  // Monday's first run is eu-1's (down): healthy because Sunday's last runs of eu-2 and us-1 still count.
  assert.deepEqual(expandRuns(api!)[0], { t: -300, s: "x", rtt: 2_000_000, thr: 0, error: "connection refused", node: "eu-1", c: "h" });
  assert.equal(sunday.checks[0]!.c, "h".repeat(sunday.checks[0]!.t.length));
  for (const text of [await summary(dir, "2024-06-10.json"), await summary(dir, "2024-06-10.hours.json"), await summary(dir, "2024-06-10.week.json")]) {
    assert.equal(summaryJson(JSON.parse(text)), text, "round-trips byte for byte");
  }
  const hours = parseHoursDay(await summary(dir, "2024-06-10.hours.json"), "hours").checks[0]!;
  assert.deepEqual(hours.up.slice(0, 3), hours.n.slice(0, 3), "uptime counts the verdict: every run up");
  assert.deepEqual(hours.events, []);
  assert.deepEqual(hours.first, [-300, "h"]);
  const lastAt = (i: number) => Number((nodeRound(23, i).at - 300_000_000n - dayStart("2024-06-10")) / 1_000_000n);
  assert.deepEqual(hours.nodes, [
    { node: "eu-1", last: [lastAt(0), "x"], rtt: 2_000_000, gap: 600_000, text: "connection refused" },
    { node: "eu-2", last: [lastAt(1), "h"], rtt: 45_000, gap: 600_000 },
    { node: "us-1", last: [lastAt(2), "h"], rtt: 50_000, gap: 600_000 },
  ]);
  // The week starts on Monday: the same figures, from its start.
  const week = parseWeek(await summary(dir, "2024-06-10.week.json"), "week").checks[0]!;
  assert.deepEqual(week.nodes, hours.nodes);
  assert.deepEqual(week.down, {});
  const status = JSON.parse(await summary(dir, "status.json")) as { checks: { status: string; uptime: Record<string, number> }[] };
  assert.equal(status.checks[0]!.status, "operational");
  assert.equal(status.checks[0]!.uptime["1d"], 100);
});

test("format 3: a majority of the nodes that report decides; a node that stopped reporting stops counting; a quorum rule decides instead", () => {
  const day = "2024-06-10";
  const start = dayStart(day);
  const at = (k: number, i: number) => start + BigInt(k) * 10n * MIN + BigInt(i) * 2n * SEC;
  // Round k every 10 min: us-1 sees it down in rounds 2-3, then stops; eu-1 from round 3 on; eu-2 from round 9 on.
  const down = (k: number, i: number) => (i === 2 ? k >= 2 : i === 0 ? k >= 3 : k >= 9);
  const rounds = [];
  for (let k = 0; k < 12; k++) for (let i = 0; i < 3; i++) {
    if (i === 2 && k > 3) continue;
    const result: Result = {
      title: "API", endpoint: "https://api.example.test/", timestamp: at(k, i), node: NODES[i],
      times: [{ rtt: 40_000_000, ...(down(k, i) && { error: "refused" }) }], ...(down(k, i) ? { down: true } : { healthy: true }),
    };
    rounds.push({ name: `${at(k, i)}-check.json`, storedAt: at(k, i), results: [result] });
  }
  const runs = addRounds(emptyRunsDay(day), rounds);
  const c = runs.checks[0]!;
  assert.equal(c.s, "hhhhhhhhxxhxxhxhxhxhxhxxxxxx");
  // Round 2: us-1 alone, healthy. Round 3: two of three. Round 7: us-1's last run is 40 min old (over
  // 3 × its 10 min), so eu-1 is one of two: healthy, until eu-2 agrees in round 9.
  assert.equal(c.c, "hhhhhhhhhxxxxxxxxxhhhhhxxxxx");
  assert.deepEqual(rollupHours(runs).checks[0]!.events.map(([, code]) => code), ["x", "h", "x"]);
  // Results carrying the quorum rule (window 30 min, in ns): any one node down is down, also with only two of three reporting.
  const ruled = rounds.map((r) => ({ ...r, results: r.results.map((x) => ({ ...x, quorum: { down: 1, of: 3, window: Number(30n * MIN) } })) }));
  const rule: QuorumRule = { down: 1, of: 3, window: 1_800_000_000 };
  const strict = addRounds(emptyRunsDay(day), ruled).checks[0]!;
  assert.deepEqual(strict.quorum, rule, "kept in µs, as the summary format times durations");
  assert.equal(strict.c, "hhhhhhhhxxxxxxxxxxxxxxxxxxxx");
  assert.deepEqual(rollupHours({ ...runs, checks: [strict] }).checks[0]!.quorum, rule);
  // The newest result's rule decides the whole day: a rule taken out of the config takes the majority back.
  const dropped = addRounds(emptyRunsDay(day), [...ruled.slice(0, -1), rounds.at(-1)!]).checks[0]!;
  assert.equal(dropped.quorum, undefined);
  assert.equal(dropped.c, c.c);
});

test("formats 1 and 2 are still read, and a format 2 day takes format 3 rounds", async () => {
  const dir = await writeStore(3, 1, false, false);
  const names = (await readdir(path.join(dir, "summaries"))).filter((n) => n.endsWith(".json"));
  for (const name of names) {
    const file = path.join(dir, "summaries", name);
    await writeFile(file, (await readFile(file, "utf8")).replace(/^\{"v":3,/, "{\"v\":2,"));
  }
  const v2 = parseRunsDay(await summary(dir, "2024-06-09.json"), "v2");
  assert.equal(v2.v, 2);
  assert.equal(parseHoursDay(await summary(dir, "2024-06-09.hours.json"), "v2").v, 2);
  assert.equal(parseWeek(await summary(dir, "2024-06-03.week.json"), "v2").v, 2);
  assert.equal(parseIndexFile(await summary(dir, "index.json"), "v2").v, 2);
  assert.equal(parseRunsDay(JSON.stringify({ ...v2, v: 1 }), "v1").v, 1);
  // A node joins: its runs are named, the day's older runs (from no node) are the unnamed location.
  const { at, results } = nodeRound(3, 0);
  await new FsStorage({ dir, url: "", checkExpiry: 0 }).store(results, at);
  const merged = parseRunsDay(await summary(dir, "2024-06-09.json"), "merged");
  assert.equal(merged.v, 3);
  assert.deepEqual(merged.checks[0]!.nodes, ["", "eu-1"]);
  assert.deepEqual(merged.checks[0]!.ni, [0, 0, 0, 1]);
  assert.equal(merged.checks[0]!.s, "hhhh");
});

test("format 3: a store whose results name no node writes no format 3 field (sizes printed)", async () => {
  const sizes: Record<string, Record<string, number>> = {};
  for (const [label, nodes, named] of [["no node", 1, false], ["one node", 1, true], ["three nodes", 3, true]] as const) {
    const dir = await writeStore(72, nodes, named, false);
    sizes[label] = {};
    for (const name of ["2024-06-10.json", "2024-06-10.hours.json", "2024-06-10.week.json", "index.json"]) {
      const text = await summary(dir, name);
      sizes[label]![name.replace(/^2024-06-10\./, "")] = (await stat(path.join(dir, "summaries", name))).size;
      if (!named) assert.doesNotMatch(text, /"(nodes|ni|c|quorum)":/, `${label}: ${name}`);
    }
  }
  // One node named: its name once per check and day, no per-run column.
  assert.equal(sizes["one node"]!.json! - sizes["no node"]!.json!, `,"nodes":["eu-1"]`.length);
  assert.equal(sizes["one node"]!["hours.json"], sizes["no node"]!["hours.json"]);
  assert.equal(sizes["one node"]!["week.json"], sizes["no node"]!["week.json"]);
  console.log(`summary bytes per file kind (60 rounds of a day × nodes, one check): ${JSON.stringify(sizes)}`);
});
