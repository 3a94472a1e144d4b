/**
 * Every kind of bad config gets a clear message naming the file, the field and the fix, and exit
 * code 2, never a stack trace. One row per file in testdata/config/bad/.
 */
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { checkerTypes } from "../../lib/check/index.js";
import { storageTypes } from "../../lib/storage/index.js";
import { runCli } from "../helpers/cli.js";
import { REPO } from "../helpers/paths.js";

const DIR = path.join(REPO, "testdata", "config", "bad");
const checkers = Object.keys(checkerTypes).join(", ");
const storages = Object.keys(storageTypes).join(", ");
const DURATION = `expected a duration: integer nanoseconds (200ms = 200000000) or a string like "200ms", "10s", "14d"`;

/** file → the exact stderr lines after "<file>: " (a RegExp where V8's wording varies by version). */
const CASES: Record<string, (string | RegExp)[]> = {
  "trailing-comma.json": [/^invalid JSON at line 3, column 53: .+ \(checkup\.json is strict JSON: no comments or trailing commas\)$/],
  "empty-file.json": [/^invalid JSON at line 1, column 1: .+ \(checkup\.json is strict JSON: no comments or trailing commas\)$/],
  "top-level-array.json": [`expected a JSON object { "checkers": [...] }, got [{"type":"tcp","endpoint_url":"127.0.0.1:1"}]`],
  "checkers-not-list.json": [`checkers: expected a list [ {...}, ... ], got {"type":"tcp","endpoint_url":"127.0.0.1:1"}`],
  "checker-not-object.json": [`checkers[1]: expected an object with a "type", got "https://example.com"`],
  "missing-type.json": [`checkers[0].type: missing: set it to one of: ${checkers}`],
  "unknown-checker.json": [`checkers[0].type: unknown checker type "htp"; known: ${checkers}`],
  "relative-url.json": [`checkers[3].endpoint_url: expected an absolute URL like "https://example.com/health", got "example.com"`],
  "missing-port.json": [`checkers[0].endpoint_url: expected host:port like "example.com:443", got "db.example.com"`],
  "attempts-string.json": [`checkers[0].attempts: expected a whole number, got "three"`],
  "bad-duration.json": [`checkers[0].threshold_rtt: ${DURATION}, got "fast"`],
  "negative-concurrency.json": [`concurrent_checks: expected a whole number of at least 0, got -1`],
  "unknown-storage.json": [`storage.type: unknown storage type "s4"; known: ${storages}`],
  "fs-without-dir.json": [`storage.dir: missing: set it to the folder to write check files to, e.g. "checks"`],
  "missing-env.json": [`checkers[0].endpoint_url: \${CHECKUP_TEST_UNSET_HOST} is not set (export CHECKUP_TEST_UNSET_HOST=..., or write \${CHECKUP_TEST_UNSET_HOST:-default} for a default)`],
  "bad-timestamp.json": [`timestamp: expected an RFC 3339 time like "2024-06-10T12:00:00Z", got "yesterday"`],
  "bad-up-status.json": [`checkers[0].up_status: expected a status code (200), a pattern ("2xx"), a range ("200-399") or a list of them, got "ok"`],
  "bad-headers.json": [`checkers[0].headers.X-Token: expected a list of strings like ["value"], got a number (value not shown)`],
  "endpoint-userinfo-no-scheme.json": [`checkers[0].endpoint_url: expected an absolute URL like "https://example.com/health", got "[scrubbed]@example.com/health"`],
  "slack-webhook-no-scheme.json": [`notifiers[0].webhook: expected an absolute URL like "https://hooks.slack.com/services/T000/B000/XXXX", ` +
    "but this one does not parse as a URL: does it start with http:// or https://? (value not shown)"],
  "smtp-password-number.json": ["notifiers[0].smtp.password: expected a string, got a number (value not shown)"],
  "pushover-token-number.json": ["notifiers[0].token: expected a string, got a number (value not shown)"],
  "negative-expiry.json": [`storage.check_expiry: ${DURATION}, got -5`],
  "sql-two-backends.json": ["storage: several SQL backends are configured: keep either sqlite_db_file or postgresql"],
  "postgres-without-dsn.json": [`storage.dsn: missing: set it to a PostgreSQL DSN like "postgres://user:password@host:5432/checkup?sslmode=disable"`],
  "appinsights-without-key.json": ["storage.instrumentation_key: missing: set it to the Application Insights instrumentation key (a GUID)"],
  "statuspage-timeframe.json": [
    `statuspage.timeframe: ${DURATION}, got "forever"`,
    `statuspage.status_text.healthy: expected a string, got 1`,
  ],
  "several-problems.json": [
    `checkers[0].endpoint_url: expected host:port like "example.com:443", got "nope"`,
    `checkers[1].attempts: expected a whole number, got 0.5`,
    `storage.dir: missing: set it to the folder to write check files to, e.g. "checks"`,
  ],
};

test("every bad config in testdata/config/bad has a row here", async () => {
  assert.deepEqual((await readdir(DIR)).sort(), Object.keys(CASES).sort());
});

for (const [name, expected] of Object.entries(CASES)) {
  test(`bad config ${name}: exit 2 with the field and the fix`, async () => {
    const file = path.join(DIR, name);
    for (const command of [["validate"], []]) {
      const run = await runCli(["-c", file, ...command], { env: { CHECKUP_TEST_UNSET_HOST: "" } });
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stdout, "");
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
      const lines = run.stderr.trimEnd().split("\n");
      assert.equal(lines.length, expected.length, run.stderr);
      lines.forEach((line, i) => {
        const want = expected[i]!;
        assert.ok(line.startsWith(`${file}: `), line);
        const rest = line.slice(file.length + 2);
        if (typeof want === "string") assert.equal(rest, want);
        else assert.match(rest, want);
      });
    }
  });
}

test("a missing config file says how to point at one", async () => {
  const run = await runCli(["-c", "/nonexistent/checkup.json"]);
  assert.equal(run.code, 2);
  assert.equal(run.stderr, "/nonexistent/checkup.json: cannot read config: no such file (create it, or pass -c PATH to use another file)\n");
});

test("unknown keys warn but do not fail", async () => {
  const run = await runCli(["-c", path.join(REPO, "testdata", "config", "unknown-key.json"), "validate"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /^warning: .*unknown-key\.json: checkers\[0\]\.endpoint_nmae: unknown key, ignored$/m);
});

test("a bad command line is a usage error (exit 2), not a crash", async () => {
  const unknownFlag = await runCli(["--frobnicate"]);
  assert.equal(unknownFlag.code, 2);
  assert.match(unknownFlag.stderr, /unknown option '--frobnicate'/);
  const badInterval = await runCli(["-c", path.join(REPO, "testdata", "config", "unknown-key.json"), "every", "soon"]);
  assert.equal(badInterval.code, 2);
  assert.equal(badInterval.stderr, `checkup: invalid interval "soon": use second, minute, hour, day, week or a duration like 10m, 1h30m\n`);
});
