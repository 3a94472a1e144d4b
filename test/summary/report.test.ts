import assert from "node:assert/strict";
import { cp, rm } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { UsageError } from "../../lib/errors.js";
import { FsStorage } from "../../lib/storage/fs.js";
import { buildReport, reportWindow, storageSource, type CheckReport } from "../../lib/summary/report.js";
import { at, writeOutageStore } from "../helpers/outage-history.js";
import { tmpDir } from "../helpers/tmp.js";

const MIN_MS = 60_000;
const shared = tmpDir().then(writeOutageStore);
const nowMs = Date.parse("2026-11-22T12:00:00Z");
const web = (runs: number): CheckReport => ({
  id: "Web", name: "Web", endpoint: "https://www.example/", runs, up: runs, uptime: 100,
  downtime_ms: 0, incidents: 0, longest_ms: 0, rtt_p50_ms: 10, rtt_p95_ms: 10,
});
const api = { id: "API", name: "API", endpoint: "https://api.example/health" };

test("report: two days with a 30-minute outage and a 20-minute one across midnight, exact", async () => {
  const report = await buildReport(storageSource(await shared), { from: "2026-11-01", to: "2026-11-02" }, nowMs);
  assert.deepEqual(report, {
    from: "2026-11-01", to: "2026-11-02",
    checks: [
      // 288 runs, 5 down; 20 of the 283 up ones took 500 ms, so the 95th percentile (rank 269) is one of them.
      { ...api, runs: 288, up: 283, uptime: (283 / 288) * 100, downtime_ms: 50 * MIN_MS, incidents: 2, longest_ms: 30 * MIN_MS, rtt_p50_ms: 10, rtt_p95_ms: 500 },
      web(288),
    ],
  });
});

test("report: an outage under way at a window's edge counts only its part inside", async () => {
  const source = storageSource(await shared);
  const day1 = await buildReport(source, { from: "2026-11-01", to: "2026-11-01" }, nowMs);
  assert.deepEqual(day1.checks[0], { ...api, runs: 144, up: 140, uptime: (140 / 144) * 100, downtime_ms: 40 * MIN_MS, incidents: 2, longest_ms: 30 * MIN_MS, rtt_p50_ms: 10, rtt_p95_ms: 10 });
  const day2 = await buildReport(source, { from: "2026-11-02", to: "2026-11-02" }, nowMs);
  assert.deepEqual(day2.checks[0], { ...api, runs: 144, up: 143, uptime: (143 / 144) * 100, downtime_ms: 10 * MIN_MS, incidents: 1, longest_ms: 10 * MIN_MS, rtt_p50_ms: 10, rtt_p95_ms: 500 });
});

test("report: an outage going on counts up to now", async () => {
  const now = Number(at(288) / 1_000_000n) + 5 * MIN_MS;
  const report = await buildReport(storageSource(await shared), { from: "2026-11-03", to: "2026-11-03" }, now);
  assert.deepEqual(report.checks, [
    { ...api, runs: 1, up: 0, uptime: 0, downtime_ms: 5 * MIN_MS, incidents: 1, longest_ms: 5 * MIN_MS, rtt_p50_ms: null, rtt_p95_ms: null },
    web(1),
  ]);
});

test("report: a store without summaries (as the Go checkup writes it) reports the same from its rounds", async () => {
  const dir = await tmpDir();
  await cp((await shared).options.dir, dir, { recursive: true });
  await rm(path.join(dir, "summaries"), { recursive: true });
  const window = { from: "2026-11-01", to: "2026-11-03" };
  const fromRounds = await buildReport(storageSource(new FsStorage({ dir, url: "", checkExpiry: 0 })), window, nowMs);
  assert.deepEqual(fromRounds, await buildReport(storageSource(await shared), window, nowMs));
});

test("report windows: a month, inclusive days, this month by default", () => {
  assert.deepEqual(reportWindow({ month: "2026-11" }), { from: "2026-11-01", to: "2026-11-30" });
  assert.deepEqual(reportWindow({ month: "2028-02" }), { from: "2028-02-01", to: "2028-02-29" });
  assert.deepEqual(reportWindow({ from: "2026-11-01", to: "2026-11-01" }), { from: "2026-11-01", to: "2026-11-01" });
  assert.deepEqual(reportWindow({}, new Date("2026-11-22T10:00:00Z")), { from: "2026-11-01", to: "2026-11-22" });
});

const bad: [Parameters<typeof reportWindow>[0], string][] = [
  [{ month: "2026-13" }, `--month: expected a UTC month like 2026-11, got "2026-13"`],
  [{ month: "11/2026" }, `--month: expected a UTC month like 2026-11, got "11/2026"`],
  [{ from: "2026-02-30", to: "2026-03-01" }, `--from: expected a UTC date like 2026-11-01, got "2026-02-30"`],
  [{ from: "2026-11-01", to: "2026-11-31" }, `--to: expected a UTC date like 2026-11-01, got "2026-11-31"`],
  [{ from: "2026-11-01" }, "--from: give --from and --to together (days, both included)"],
  [{ to: "2026-11-01" }, "--to: give --from and --to together (days, both included)"],
  [{ from: "2026-11-02", to: "2026-11-01" }, "--from: 2026-11-02 is after --to 2026-11-01"],
  [{ month: "2026-11", from: "2026-11-01" }, "--month: give either --month or --from and --to, not both"],
  [{ from: "1900-01-01", to: "2100-01-01" }, "--from: at most 3653 days (10 years) at once, got 1900-01-01 to 2100-01-01"],
];
for (const [input, message] of bad) {
  test(`report windows: ${JSON.stringify(input)} is refused`, () => {
    assert.throws(() => reportWindow(input), (e: unknown) => e instanceof UsageError && e.message === message);
  });
}
