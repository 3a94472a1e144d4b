import assert from "node:assert/strict";
import { test } from "node:test";
import { addRounds, detectEvents, expandRuns, rollupHours, runOf, uptimePercent, type Run } from "../../lib/summary/day.js";
import { dayOf, dayStart, emptyRunsDay, parseRunsDay } from "../../lib/summary/format.js";
import type { Result } from "../../lib/types.js";

const DAY = "2024-06-10";
const START = dayStart(DAY);
const MIN = 60_000_000_000n;
const at = (minutes: number) => START + BigInt(minutes) * MIN;

function result(minutes: number, over: Partial<Result> = {}): Result {
  return { title: "API", endpoint: "https://api.example/health", timestamp: at(minutes), times: [{ rtt: 3_000_000 }, { rtt: 1_000_000 }, { rtt: 2_000_000 }], healthy: true, ...over };
}
const round = (minutes: number, results: Result[]) => ({ name: `${at(minutes)}-check.json`, storedAt: at(minutes) + 5n, results });

test("dayOf and dayStart agree on UTC days, with ns beyond 2^53", () => {
  assert.equal(START, 1717977600000000000n);
  assert.equal(dayOf(START), DAY);
  assert.equal(dayOf(START - 1n), "2024-06-09");
  assert.equal(dayOf(START + 86_399_999_999_999n), DAY);
});

test("runOf: median RTT in µs, status code, first error shortened", () => {
  const run = runOf(result(10, { times: [{ rtt: 1500 }, { rtt: 2500, error: "x".repeat(500) }], healthy: false, down: true, threshold: 300_000_000 }), START, 0n);
  assert.equal(run.t, 600_000);
  assert.equal(run.s, "x");
  assert.equal(run.rtt, 2); // median of 1.5 µs and 2.5 µs = 2000 ns
  assert.equal(run.thr, 300_000);
  assert.equal(run.error!.length, 200);
  assert.ok(run.error!.endsWith("…"));
  assert.equal(runOf(result(0, { timestamp: 0n }), START, at(7)).t, 420_000, "no timestamp: the round's store time");
});

test("addRounds: columnar per check, sorted by time, idempotent per file", () => {
  const other = (m: number): Result => ({ title: "DB", endpoint: "db:5432", timestamp: at(m), times: [{ rtt: 5_000 }], degraded: true, notice: "slow", threshold: 1_000 });
  let day = addRounds(emptyRunsDay(DAY), [round(20, [result(20), other(20)]), round(10, [result(10, { message: "<b>deploy</b>" })])]);
  day = addRounds(day, [round(10, [result(10)])]);
  assert.deepEqual(day.files, [`${at(10)}-check.json`, `${at(20)}-check.json`]);
  const api = day.checks.find((c) => c.endpoint === "https://api.example/health")!;
  assert.deepEqual(api.t, [600_000, 1_200_000]);
  assert.equal(api.s, "hh");
  assert.deepEqual(api.rtt, [2000, 2000]);
  assert.deepEqual(api.message, { 0: "<b>deploy</b>" });
  const db = day.checks.find((c) => c.endpoint === "db:5432")!;
  assert.equal(db.s, "d");
  assert.deepEqual(db.thr, [[0, 1]]);
  assert.deepEqual(db.notice, { 0: "slow" });
  assert.deepEqual(expandRuns(db), [{ t: 1_200_000, s: "d", rtt: 5, thr: 1, notice: "slow" }]);
});

test("addRounds: a check is its title: two on one URL stay apart, a moved URL keeps its runs, untitled ones group by endpoint", () => {
  const body = (m: number, over: Partial<Result> = {}) =>
    result(m, { title: "API body", healthy: false, down: true, times: [{ rtt: 1, error: "response does not contain 'ok'" }], ...over });
  const cron = (m: number): Result => ({ endpoint: "/usr/bin/backup", timestamp: at(m), times: [{ rtt: 1 }], healthy: true });
  const day = addRounds(emptyRunsDay(DAY), [
    round(30, [result(30), body(30), cron(30)]),
    round(10, [result(10, { endpoint: "https://old.api.example/health" }), body(10), cron(10)]),
  ]);
  assert.deepEqual(day.checks.map((c) => [c.title, c.endpoint, c.s]), [
    ["API", "https://api.example/health", "hh"],
    ["API body", "https://api.example/health", "xx"],
    ["", "/usr/bin/backup", "hh"],
  ]);
});

test("addRounds: a format 1 day (grouped by endpoint) is regrouped by title as rounds are added", () => {
  // Format 1 merged "API" and "API body" (one URL) into one check named after the newest run.
  const v1 = parseRunsDay(JSON.stringify({ ...addRounds(emptyRunsDay(DAY), [round(10, [result(10)])]), v: 1 }), "v1");
  const day = addRounds(v1, [round(20, [result(20), result(20, { title: "API body", healthy: false, down: true })])]);
  assert.equal(day.v, 3);
  assert.deepEqual(day.checks.map((c) => [c.title, c.s]), [["API", "hh"], ["API body", "x"]]);
  assert.throws(() => parseRunsDay(JSON.stringify({ ...v1, v: 4 }), "v4"), /unsupported version 4 \(this checkup reads 1, 2 and 3\)/);
});

test("detectEvents: a change on each differing run, messages apart, oldest first", () => {
  const runs: Run[] = [
    { t: 1, s: "h", rtt: 1, thr: 0 },
    { t: 2, s: "h", rtt: 1, thr: 0, message: "maintenance" },
    { t: 3, s: "x", rtt: 1, thr: 0, error: "refused" },
    { t: 4, s: "x", rtt: 1, thr: 0 },
    { t: 5, s: "d", rtt: 1, thr: 0, notice: "slow" },
    { t: 6, s: "h", rtt: 1, thr: 0 },
  ];
  assert.deepEqual(detectEvents(runs), [[1, "h", ""], [2, "m", "maintenance"], [3, "x", "refused"], [5, "d", "slow"], [6, "h", ""]]);
  assert.deepEqual(detectEvents(runs.slice(0, 2), "h"), [[2, "m", "maintenance"]], "no change against the day before");
});

test("uptimePercent: healthy+degraded over all runs, one decimal, never rounds up to 100", () => {
  assert.equal(uptimePercent(3, 4), "75.0");
  assert.equal(uptimePercent(1999, 2000), "99.9");
  assert.equal(uptimePercent(9999, 10000), "99.9");
  assert.equal(uptimePercent(2, 3), "66.6");
  assert.equal(uptimePercent(5, 5), "100.0");
  assert.equal(uptimePercent(0, 0), undefined);
});

test("rollupHours: counts, up, median of run medians per hour; events after the first run", () => {
  const rounds = [0, 10, 20, 70, 80].map((m) => round(m, [result(m, m === 70 ? { healthy: false, down: true, times: [{ rtt: 9_000_000, error: "timeout" }] } : m === 10 ? { message: "hi" } : {})]));
  const hours = rollupHours(addRounds(emptyRunsDay(DAY), rounds));
  const c = hours.checks[0]!;
  assert.deepEqual(c.n.slice(0, 3), [3, 2, 0]);
  assert.deepEqual(c.up.slice(0, 2), [3, 1]);
  assert.deepEqual(c.rtt.slice(0, 2), [2000, 5500]);
  assert.deepEqual(c.first, [0, "h"]);
  assert.deepEqual(c.last, [4_800_000, "h"]);
  assert.deepEqual(c.events, [[600_000, "m", "hi"], [4_200_000, "x", "timeout"], [4_800_000, "h", ""]]);
});
