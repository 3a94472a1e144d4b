/**
 * Every kind of bad config gets a clear message naming the file, the field and the fix, and exit
 * code 2, never a stack trace. One row per file in testdata/config/bad/.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { checkerTypes } from "../../lib/check/index.js";
import { storageTypes } from "../../lib/storage/index.js";
import { runCli } from "../helpers/cli.js";
import { REPO } from "../helpers/paths.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

const DIR = path.join(REPO, "testdata", "config", "bad");
const checkers = Object.keys(checkerTypes).join(", ");
const storages = Object.keys(storageTypes).join(", ");
const DURATION = `expected a duration: integer nanoseconds (200ms = 200000000) or a string like "200ms", "10s", "14d"`;
const ATTEMPTS = "expected a whole number from 0 to 100 (0 means 1)";
const AT_MOST_2_53 = "must be at most 104 days (2^53 ns, the most a JSON number holds exactly)";
const UNIQUE = "titles identify a check in stored results, alerts and the page: make them unique";
const TOKEN_SHAPE = `expected 16 to 256 letters, digits, "-", "_", "." or "~" (value not shown)`;
const PING_STORAGES = ["fs", "postgres", "mysql", "sqlite3", "sql"];
const SHARED_STORAGES = ["fs", "s3", "github", "postgres", "mysql", "sqlite3", "sql"];
const NODE_REGISTRIES = ["postgres", "mysql", "sqlite3", "sql"];
const REPLICAS = "expected a whole number from 1 to 100 (how many live nodes run each check)";
const NOT_A_FOLDER = `"/dev/null" is a file, not a folder: point it at a folder (created if missing), or move the file away`;

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
  "attempts-string.json": [`checkers[0].attempts: ${ATTEMPTS}, got "three"`],
  "attempts-huge.json": [`checkers[0].attempts: ${ATTEMPTS}, got 1000000000`],
  "attempts-negative.json": [`checkers[0].attempts: ${ATTEMPTS}, got -3`],
  "allowed-failures-all.json": ["checkers[0].allowed_failures: expected a whole number from 0 to 2 (fewer than attempts), got 3"],
  "threshold-past-2-53.json": [`checkers[0].threshold_rtt: ${AT_MOST_2_53}, got 20000000000000000`],
  "out-of-bounds.json": [
    `checkers[0].attempt_spacing: must be at most 1h, got "1d"`,
    `checkers[0].timeout: must be at most 1h, got "2h"`,
    "checkers[1].timeout: must be 0 or at least 1ms, got 10",
    `checkers[1].ttl: ${AT_MOST_2_53}, got "200d"`,
    "concurrent_checks: expected a whole number from 0 to 1000 (0 means 5), got 100000",
    "storage.check_expiry: must be 0 or at least 1m, got 604800",
    "notifiers[0].failure_threshold: expected a whole number from 1 to 1000, got 5000",
    `notifiers[0].renotify: must be 0 or at least 1m, got "10s"`,
    `notifiers[0].timeout: must be at most 1h, got "1d"`,
    `digest.every: must be 0 or at least 1m, got "1s"`,
    "statuspage.refresh_interval: must be 0 or at least 5s, got 1",
  ],
  "duplicate-titles.json": [
    `checkers[3].name: "web" is also the title of checkers[0]; ${UNIQUE}`,
    `checkers[4].endpoint_name: "API" is also the title of checkers[1]; ${UNIQUE}`,
  ],
  "folder-is-a-file.json": [`storage.dir: ${NOT_A_FOLDER}`, `spool_dir: ${NOT_A_FOLDER}`],
  "folder-under-a-file.json": [`storage.dir: "/dev/null/checks" is under a file, not a folder: point it at a folder (created if missing), or move the file away`],
  "byte-order-mark.json": [/^invalid JSON at line 3, column 1: .+ \(checkup\.json is strict JSON: no comments or trailing commas\)$/],
  "bad-duration.json": [`checkers[0].threshold_rtt: ${DURATION}, got "fast"`],
  "negative-concurrency.json": ["concurrent_checks: expected a whole number from 0 to 1000 (0 means 5), got -1"],
  "unknown-storage.json": [`storage.type: unknown storage type "s4"; known: ${storages}`],
  "fs-without-dir.json": [`storage.dir: missing: set it to the folder to write check files to, e.g. "checks"`],
  "missing-env-and-more.json": [
    `checkers[0].endpoint_url: \${CHECKUP_TEST_UNSET_HOST} is not set (export CHECKUP_TEST_UNSET_HOST=..., or write \${CHECKUP_TEST_UNSET_HOST:-default} for a default)`,
    `checkers[1].endpoint_url: \${CHECKUP_TEST_UNSET_HOST} is not set (export CHECKUP_TEST_UNSET_HOST=..., or write \${CHECKUP_TEST_UNSET_HOST:-default} for a default)`,
    `checkers[0].attempts: ${ATTEMPTS}, got -1`,
    `storage.type: unknown storage type "s4"; known: ${storages}`,
  ],
  "no-checkers.json": [`checkers: no checks configured: add at least one, e.g. {"type": "http", "endpoint_url": "https://example.com/"}`],
  "missing-env.json": [`checkers[0].endpoint_url: \${CHECKUP_TEST_UNSET_HOST} is not set (export CHECKUP_TEST_UNSET_HOST=..., or write \${CHECKUP_TEST_UNSET_HOST:-default} for a default)`],
  "bad-timestamp.json": [`timestamp: expected an RFC 3339 time like "2024-06-10T12:00:00Z", got "yesterday"`],
  "bad-up-status.json": [`checkers[0].up_status: expected a status code (200), a pattern ("2xx"), a range ("200-399"), a regular expression ("/^2\\d\\d$/") or a list of them, got "ok"`],
  "http-features.json": [
    `checkers[0].json: expected a list of conditions like [{"path": "$.status", "equals": "ok"}], got {"path":"$.status"}`,
    `checkers[0].follow_redirects: expected true or false, got "yes"`,
    "checkers[0].trace_query: expected true or false, got 1",
    `checkers[1].json[0].path: expected a JSONPath starting with "$", like "$.status", got "status"`,
    `checkers[1].json[1].below: expected a number, got "100"`,
    `checkers[1].json[2]: expected exactly one test of equals, below, above, matches, exists, got "equals" and "above"`,
    "checkers[1].client_key: missing: set it to the PEM file of client_cert's private key",
    `checkers[1].proxy: expected an http:// or https:// proxy URL like "http://proxy.example.com:3128", got "socks5://[scrubbed]@proxy.example.com:1080"`,
  ],
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
  "ntfy-bad-topic.json": [`notifiers[0].topic: expected a topic name of up to 64 letters, digits, "-" and "_" (value not shown)`],
  "gotify-without-token.json": ["notifiers[0].token: missing: set it to the token of a Gotify application (Apps → Create Application)"],
  "matrix-room-alias.json": [`notifiers[0].room_id: expected a room ID starting with "!", like "!AbCdEf:example.org" (room settings → Advanced), got "#ops:example.org"`],
  "mattermost-channel-list.json": [`notifiers[0].channel: expected a string, got ["ops","dev"]`],
  "opsgenie-bad-region.json": [`notifiers[0].region: expected one of "us", "eu", got "asia"`],
  "googlechat-without-webhook.json": ["notifiers[0].webhook: missing: set it to the space's webhook URL (Apps & integrations → Webhooks)"],
  "sns-bad-arn.json": [`notifiers[0].topic_arn: expected an SNS topic ARN like "arn:aws:sns:us-east-1:123456789012:checkup", got "ops-alerts"`],
  "statuspage-timeframe.json": [
    `statuspage.timeframe: ${DURATION}, got "forever"`,
    `statuspage.status_text.healthy: expected a string, got 1`,
  ],
  "network-checker-fields.json": [
    `checkers[0].endpoint_url: expected a host name or IP address like "example.com" (no scheme, port or path), got "10.0.0.1:80"`,
    "checkers[0].count: expected a whole number from 1 to 100, got 0",
    `checkers[0].max_loss: expected a whole number from 0 to 100, got "5%"`,
    `checkers[1].endpoint_url: expected host:port like "grpc.example.com:443", got "api.example.com"`,
    "checkers[1].service: expected a string, got 1",
    `checkers[2].endpoint_url: expected an absolute URL like "wss://example.com/socket", got "https://example.com/socket"`,
    "checkers[2].send: expected a string, got {}",
    `checkers[3].starttls: expected true or false, got "yes"`,
    `checkers[3].cert_expiry_threshold: ${DURATION}, got "soon"`,
    `checkers[4].endpoint_url: expected host:port like "example.com:22", got "bastion.example.com"`,
    "checkers[4].must_contain: expected a string, got 2",
    `checkers[5].endpoint_url: expected a domain name like "example.com" (no scheme, port or path), got "example.com/"`,
    `checkers[5].rdap_url: expected an absolute URL like "https://rdap.verisign.com/com/v1/", got "rdap.example"`,
    `checkers[5].expiry_threshold: ${DURATION}, got -1`,
  ],
  "heartbeat-fields.json": [
    `checkers[0].token: missing: set it to a secret of 16 or more letters and digits, e.g. "\${BACKUP_TOKEN}" (openssl rand -hex 16)`,
    `checkers[1].period: must be at least 1m, got "30s"`,
    `checkers[1].token: ${TOKEN_SHAPE}`,
    `checkers[2].endpoint_name: missing: set it to a name for the job, e.g. "nightly backup"`,
    `checkers[2].period: missing: set it to how often the job runs, e.g. "1h" or "1d"`,
    `checkers[2].token: ${TOKEN_SHAPE}`,
    `checkers[2].grace: ${DURATION}, got "soon"`,
  ],
  "heartbeat-storage.json": [`checkers[0].type: heartbeat reads its pings from the storage, and storage "appinsights" keeps none: use one of ${PING_STORAGES.join(", ")}`],
  "heartbeat-without-storage.json": [
    `checkers[1].type: heartbeat reads its pings from the storage: add a "storage" of type ${PING_STORAGES.slice(0, -1).join(", ")} or ${PING_STORAGES.at(-1)}`,
  ],
  "quorum-down-over-of.json": [
    `quorum.down: 4 nodes cannot agree among 3: set it to at most "of" (a majority of 3 is 2)`,
    `checkers[0].quorum.down: 6 nodes cannot agree among 5: set it to at most "of" (a majority of 5 is 3)`,
  ],
  "quorum-bounds.json": [
    "quorum.of: expected a whole number from 1 to 1000, got 0",
    "quorum.down: expected a whole number from 1 to 1000, got 0",
    `quorum.window: must be at least 1s, got "500ms"`,
  ],
  "quorum-storage.json": [`quorum: quorum keeps the fleet's alert state in the storage, and storage "appinsights" cannot share it: use one of ${SHARED_STORAGES.join(", ")}`],
  "quorum-without-storage.json": [
    `checkers[0].quorum.window: missing: set it to how long a node's latest result counts, e.g. "3m" (two or three intervals)`,
    `checkers[0].quorum: quorum keeps the fleet's alert state in the storage: add a "storage" the nodes share (use one of ${SHARED_STORAGES.join(", ")})`,
  ],
  "shards-fields.json": [
    `shards.mode: expected "auto" (static shards are --shard i/N on each node), got "static"`,
    `shards.replicas: ${REPLICAS}, got 0`,
  ],
  "shards-replicas-huge.json": [`shards.replicas: ${REPLICAS}, got 1000`],
  "shards-storage.json": [`shards: auto shards need a storage the nodes register in, and storage "fs" is not one: use one of ${NODE_REGISTRIES.join(", ")}`],
  "shards-without-storage.json": [
    `shards.mode: missing: set it to "auto" (the nodes share the checks through the storage)`,
    `shards: auto shards need a storage the nodes register in: add a "storage" of type ${NODE_REGISTRIES.slice(0, -1).join(", ")} or ${NODE_REGISTRIES.at(-1)}`,
  ],
  "several-problems.json": [
    `checkers[0].endpoint_url: expected host:port like "example.com:443", got "nope"`,
    `checkers[1].attempts: ${ATTEMPTS}, got 0.5`,
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
  assert.match(run.stderr, /^warning: .*unknown-key\.json: checkers\[0\]\.endpoint_nmae: unknown key, ignored \(did you mean "endpoint_name"\?\)$/m);
});

test("a bad command line is a usage error (exit 2), not a crash", async () => {
  const unknownFlag = await runCli(["--frobnicate"]);
  assert.equal(unknownFlag.code, 2);
  assert.match(unknownFlag.stderr, /unknown option '--frobnicate'/);
  const badInterval = await runCli(["-c", path.join(REPO, "testdata", "config", "unknown-key.json"), "every", "soon"]);
  assert.equal(badInterval.code, 2);
  assert.equal(badInterval.stderr, `checkup: invalid interval "soon": use second, minute, hour, day, week or a duration like 10m, 1h30m\n`);
});

/** Runs `validate` and the default command on `file`; both must refuse it with exactly `message`. */
async function assertRefused(file: string, message: string): Promise<void> {
  for (const command of [["validate"], []]) {
    const run = await runCli(["-c", file, ...command], { timeoutMs: 10_000 });
    assert.equal(run.signal, null, `${file} must not hang`);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr, `${file}: ${message}\n`);
  }
}

test("a config nested 10,000 levels deep is refused at level 64, not with a stack overflow", async () => {
  const file = await writeConfig(`{"checkers": ${"[".repeat(10_000)}${"]".repeat(10_000)}}`);
  await assertRefused(file, `checkers${"[0]".repeat(63)}: nested deeper than 64 levels`);
});

test("-c naming a named pipe, a directory or a device is refused at once (exit 2), never read", async () => {
  const dir = await tmpDir();
  const fifo = path.join(dir, "checkup.json");
  await promisify(execFile)("mkfifo", [fifo]);
  await assertRefused(fifo, "cannot read config: is a named pipe, not a file (pass -c PATH to a checkup.json file)");
  await assertRefused(dir, "cannot read config: is a directory, not a file (pass -c PATH to a checkup.json file)");
  await assertRefused("/dev/zero", "cannot read config: is a device, not a file (pass -c PATH to a checkup.json file)");
});

test("a config file over 10 MB is refused before it is read", async () => {
  const file = await writeConfig(`{"checkers": []}${" ".repeat(10 * 1024 * 1024)}`);
  await assertRefused(file, "cannot read config: 10485776 bytes is more than a config may have (10 MB): is -c pointing at the right file?");
});

test("every refuses a quorum window shorter than its interval (exit 2), naming the field of each rule", async () => {
  const dir = await tmpDir();
  const config = await writeConfig({
    quorum: { down: 2, of: 3, window: "3s" },
    checkers: [{ type: "tcp", endpoint_name: "db", endpoint_url: "127.0.0.1:1" },
      { type: "tcp", endpoint_name: "cache", endpoint_url: "127.0.0.1:2", quorum: { window: "1m" } },
      { type: "tcp", endpoint_name: "queue", endpoint_url: "127.0.0.1:3", quorum: { window: "4s" } }],
    storage: { type: "fs", dir: path.join(dir, "checks") },
  });
  const run = await runCli(["-c", config, "every", "5s"], { env: { XDG_STATE_HOME: dir } });
  assert.equal(run.code, 2, run.stderr);
  const fix = `each node's result would expire before its next round; set it to two or three intervals, e.g. "15s"`;
  assert.equal(run.stderr, `${config}: quorum.window: 3s is shorter than the interval of checkup every (5s): ${fix}\n` +
    `${config}: checkers[2].quorum.window: 4s is shorter than the interval of checkup every (5s): ${fix}\n`);
  assert.equal(run.stdout, "");
});

test("every refuses intervals under a second or past what a timer can wait (exit 2)", async () => {
  const config = path.join(REPO, "testdata", "config", "unknown-key.json");
  for (const [interval, bound] of [["1ns", "at least 1s"], ["500ms", "at least 1s"], ["30d", "at most 24d"]]) {
    const run = await runCli(["-c", config, "every", interval!]);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr, `checkup: invalid interval "${interval}": must be ${bound}\n`);
  }
});
