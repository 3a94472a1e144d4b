/** `checkup report`: the formats a user reads or imports, and the exit code and message for each bad flag. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli } from "../helpers/cli.js";
import { writeOutageStore } from "../helpers/outage-history.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

const store = await writeOutageStore(await tmpDir());
const config = await writeConfig({ checkers: [], storage: { type: "fs", dir: store.options.dir } });
const report = (...args: string[]) => runCli(["-c", config, "report", "--from", "2026-11-01", "--to", "2026-11-02", ...args]);

test("report: an aligned text table by default", async () => {
  const run = await report();
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, [
    "Report 2026-11-01 to 2026-11-02 (UTC)",
    "",
    "check     uptime  downtime  incidents  longest  p50 RTT  p95 RTT",
    "API     98.263 %       50m          2      30m    10 ms   500 ms",
    "Web    100.000 %        0s          0       0s    10 ms    10 ms",
    "",
  ].join("\n"));
});

test("report --format csv: RFC 4180 with exact figures", async () => {
  const run = await report("--format", "csv");
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, [
    "from,to,id,name,endpoint,runs,up,uptime,downtime_ms,incidents,longest_ms,rtt_p50_ms,rtt_p95_ms",
    `2026-11-01,2026-11-02,API,API,https://api.example/health,288,283,${(283 / 288) * 100},3000000,2,1800000,10,500`,
    "2026-11-01,2026-11-02,Web,Web,https://www.example/,288,288,100,0,0,0,10,10",
    "",
  ].join("\r\n"));
});

test("report --format md: a Markdown table", async () => {
  const run = await report("--format", "md");
  assert.equal(run.stdout, [
    "## Report 2026-11-01 to 2026-11-02 (UTC)",
    "",
    "| check | uptime | downtime | incidents | longest | p50 RTT | p95 RTT |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    "| API | 98.263 % | 50m | 2 | 30m | 10 ms | 500 ms |",
    "| Web | 100.000 % | 0s | 0 | 0s | 10 ms | 10 ms |",
    "",
  ].join("\n"));
});

test("report --month --format json: exact numbers", async () => {
  const run = await runCli(["-c", config, "report", "--month", "2026-11", "--format", "json"]);
  assert.equal(run.code, 0, run.stderr);
  const parsed = JSON.parse(run.stdout);
  assert.deepEqual([parsed.from, parsed.to, parsed.checks.map((c: { id: string; runs: number }) => [c.id, c.runs])],
    ["2026-11-01", "2026-11-30", [["API", 289], ["Web", 289]]]);
});

const bad: [string[], string][] = [
  [["--month", "2026-13"], `checkup: --month: expected a UTC month like 2026-11, got "2026-13"\n`],
  [["--from", "2026-02-30", "--to", "2026-03-01"], `checkup: --from: expected a UTC date like 2026-11-01, got "2026-02-30"\n`],
  [["--from", "2026-11-01"], "checkup: --from: give --from and --to together (days, both included)\n"],
  [["--from", "2026-11-02", "--to", "2026-11-01"], "checkup: --from: 2026-11-02 is after --to 2026-11-01\n"],
];
for (const [args, stderr] of bad) {
  test(`report ${args.join(" ")}: exit 2 and what to write instead`, async () => {
    const run = await runCli(["-c", config, "report", ...args]);
    assert.deepEqual([run.code, run.stderr, run.stdout], [2, stderr, ""]);
  });
}

test("report --format xml: exit 2, the formats listed", async () => {
  const run = await runCli(["-c", config, "report", "--format", "xml"]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--format <format>' argument 'xml' is invalid\. Allowed choices are text, json, csv, md\./);
});

test("report: a storage that cannot be read back is a runtime error naming it", async () => {
  const sink = await writeConfig({ checkers: [], storage: { type: "appinsights", instrumentation_key: "k" } });
  const run = await runCli(["-c", sink, "report", "--month", "2026-11"]);
  assert.deepEqual([run.code, run.stderr], [3, "checkup: storage appinsights cannot be read back, so it cannot report\n"]);
});
