/**
 * `heartbeat`: a job pings a real `checkup serve` (or runs `checkup ping`), the ping lands in the
 * storage, and a cron-run checkup in another process judges it. The token is a secret: it must
 * show up in no stored file, no output and no log.
 */
import assert from "node:assert/strict";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { Checkup } from "../../lib/checkup.js";
import { createChecker } from "../../lib/checking/create.js";
import { pingKey } from "../../lib/ping.js";
import { startServer } from "../../lib/serve/server.js";
import { FsStorage } from "../../lib/storage/fs.js";
import { isPingReader, type Result } from "../../lib/types.js";
import { runCli, startCli, type CliRun } from "../helpers/cli.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

const TOKEN = "hb-secret-7f3k9q2m5x8w1z4v";
const MINUTE_NS = 60_000_000_000n;

const heartbeat = (fields: Record<string, unknown> = {}) => ({
  type: "heartbeat", endpoint_name: "backup", token: "${HB_TOKEN}", period: "1h", grace: "10m", ...fields,
});

/** Every file under `dir`, read whole (binary files too: a SQLite database is searched as bytes). */
async function everyFile(dir: string): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const name of await readdir(dir, { recursive: true })) {
    const file = path.join(dir, name);
    if ((await stat(file)).isFile()) out.push({ file, text: (await readFile(file)).toString("latin1") });
  }
  return out;
}

function assertNoToken(where: string, text: string): void {
  assert.ok(!text.includes(TOKEN), `the token appears in ${where}`);
}

const resultOf = (run: CliRun): Result => {
  assert.equal(run.stderr, "");
  return JSON.parse(run.stdout)[0] as Result;
};

test("a job pinging serve makes the heartbeat healthy; ?status=1 makes it down at once; a cron-run checkup in another process sees both", async () => {
  const dir = await tmpDir();
  const config = await writeConfig({ checkers: [heartbeat()], storage: { type: "fs", dir: path.join(dir, "checks") } });
  const env = { HB_TOKEN: TOKEN };
  const serve = startCli(["-c", config, "serve", "--listen", "127.0.0.1:0"], { env });
  try {
    await serve.waitForLines(1, 10_000);
    const base = /serving on (\S+)/.exec(serve.lines[0]!)![1]!;
    const push = (token: string, init?: RequestInit, query = "") => fetch(new URL(`api/push/${token}${query}`, base), init);

    const before = await fetch(new URL("api/checks/backup", base));
    assert.equal(before.status, 503);
    assert.match(await before.text(), /no ping received yet \(expected every 1h0m0s\)/);

    const ok = await push(TOKEN, { method: "POST", body: "backup of 3 volumes done" });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { ok: true });
    const live = await fetch(new URL("api/checks/backup", base));
    assert.equal(live.status, 200, "the cached down result is not served past the ping");
    assert.equal((await live.json() as { status: string }).status, "healthy");

    const cron = await runCli(["-c", config, "--store", "--json"], { env });
    assert.equal(cron.code, 0, cron.stderr);
    const healthy = resultOf(cron);
    assert.equal(healthy.healthy, true);
    assert.equal(healthy.endpoint, "heartbeat:backup");
    assert.ok(healthy.times[0]!.rtt > 0, "RTT is the age of the latest ping");

    for (const unknown of ["hb-secret-7f3k9q2m5x8w1z4w", "x", "a%2Fb"]) {
      const res = await push(unknown);
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { error: { status: 404, message: "no heartbeat has this token" } });
    }
    assert.equal((await push(TOKEN, { method: "PUT" })).status, 405);
    assert.equal((await push(TOKEN, undefined, "?status=oops")).status, 400);

    const failed = await push(TOKEN, { method: "POST", body: "tar: short read" }, "?status=1");
    assert.equal(failed.status, 200);
    const down = resultOf(await runCli(["-c", config, "--json"], { env }));
    assert.equal(down.down, true);
    assert.match(down.times[0]!.error!, /^job reported exit status 1 at \d{4}-\d\d-\d\dT[\d:.]+Z: tar: short read$/);

    serve.child.kill("SIGTERM");
    assert.equal((await serve.exited).code, 0);
    for (const line of serve.lines) assertNoToken("serve's stdout", line);
    assertNoToken("serve's stderr", serve.stderr());
    for (const run of [cron]) assertNoToken("checkup's output", run.stdout + run.stderr);
    for (const { file, text } of await everyFile(dir)) assertNoToken(file, text);
  } finally {
    serve.child.kill("SIGKILL");
  }
});

test("checkup ping in one process, checkup --store in another: SQLite keeps the ping; an unknown token exits 2", async () => {
  const dir = await tmpDir();
  const config = await writeConfig({ checkers: [heartbeat()], storage: { type: "sqlite3", dsn: path.join(dir, "checkup.db"), create: true } });
  const env = { HB_TOKEN: TOKEN };
  const first = await runCli(["-c", config, "--json"], { env });
  assert.equal(first.code, 1);
  assert.equal(resultOf(first).times[0]!.error, "no ping received yet (expected every 1h0m0s)");

  const pinged = await runCli(["-c", config, "ping", TOKEN, "--message", "nightly ok"], { env });
  assert.deepEqual([pinged.code, pinged.stdout, pinged.stderr], [0, "Ping recorded for backup\n", ""]);
  const cron = await runCli(["-c", config, "--store", "--json"], { env });
  assert.equal(cron.code, 0, cron.stderr);
  assert.equal(resultOf(cron).healthy, true);

  const failed = await runCli(["-c", config, "ping", TOKEN, "--status", "2", "--message", "dump failed"], { env });
  assert.equal(failed.code, 0, failed.stderr);
  const down = resultOf(await runCli(["-c", config, "--json"], { env }));
  assert.match(down.times[0]!.error!, /^job reported exit status 2 at .+Z: dump failed$/);

  const wrong = await runCli(["-c", config, "ping", "not-the-token-at-all"], { env });
  assert.deepEqual([wrong.code, wrong.stdout, wrong.stderr], [2, "", `checkup: no heartbeat checker in ${config} has this token\n`]);
  const badStatus = await runCli(["-c", config, "ping", TOKEN, "--status", "ok"], { env });
  assert.equal(badStatus.code, 2);
  for (const run of [first, pinged, cron, failed, wrong, badStatus]) assertNoToken("checkup's output", run.stdout + run.stderr);
  for (const { file, text } of await everyFile(dir)) assertNoToken(file, text);
});

/** A Checkup over an fs store in `dir`, with one heartbeat; the ping (if any) is written first. */
async function judged(fields: Record<string, unknown>, agoNs?: bigint): Promise<Result> {
  const dir = await tmpDir();
  if (agoNs !== undefined) {
    const now = BigInt(Date.now()) * 1_000_000n;
    await new FsStorage({ dir, url: "", checkExpiry: 0 }).recordPing(pingKey(TOKEN), { at: now - agoNs, status: 0 });
  }
  const checkup = await Checkup.fromConfig({ checkers: [heartbeat(fields)], storage: { type: "fs", dir } }, { env: { HB_TOKEN: TOKEN } });
  const [result] = await checkup.check();
  return result!;
}

test("no ping within period + grace is down, saying since when; within it healthy; past threshold_rtt degraded", async () => {
  const late = await judged({ period: "1m", grace: "1m" }, 3n * MINUTE_NS);
  assert.equal(late.down, true);
  assert.match(late.times[0]!.error!, /^no ping since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(expected every 1m0s, grace 1m0s\)$/);
  const since = Date.parse(/since (\S+)/.exec(late.times[0]!.error!)![1]!);
  assert.ok(Math.abs(Date.now() - 3 * 60_000 - since) < 60_000, "the ping's own time");

  const onTime = await judged({ period: "1m", grace: "1m" }, 90_000_000_000n);
  assert.equal(onTime.healthy, true);
  assert.ok(onTime.times[0]!.rtt >= 90_000_000_000, `RTT is the ping's age, got ${onTime.times[0]!.rtt}`);

  const slow = await judged({ period: "1m", grace: "5m", threshold_rtt: "2m" }, 3n * MINUTE_NS);
  assert.equal(slow.degraded, true);
  assert.equal(slow.notice, "last ping is older than threshold_rtt (2m0s)");

  // grace defaults to the period, at most an hour
  assert.equal((await judged({ period: "1m", grace: undefined }, 110_000_000_000n)).healthy, true);
  assert.equal((await judged({ period: "1m", grace: undefined }, 130_000_000_000n)).down, true);
});

test("a storage that never answers fails the attempt at its timeout; the checker never holds the token", async () => {
  const checker = await createChecker({ ...heartbeat({ token: TOKEN }), timeout: "50ms", attempts: 2 });
  assert.ok(isPingReader(checker));
  assert.equal(checker.pingKey, pingKey(TOKEN));
  assertNoToken("the checker", JSON.stringify(checker));
  const unbound = await checker.check();
  assert.equal(unbound.down, true);
  const hung = checker.withPings({ recordPing: async () => undefined, lastPing: () => new Promise(() => undefined) });
  const result = await hung.check();
  assert.equal(result.down, true);
  assert.deepEqual(result.times.map((t) => t.error), ["timed out after 50ms", "timed out after 50ms"]);
});

test("serve keeps the first 10 KB of a POST body, refuses one past 1 MiB, and never logs the token", async () => {
  const dir = await tmpDir();
  const store = new FsStorage({ dir, url: "", checkExpiry: 0 });
  const checker = await createChecker(heartbeat({ token: TOKEN }));
  assert.ok(isPingReader(checker));
  const warnings: string[] = [];
  const server = await startServer({ checkers: [checker.withPings(store)], pings: store, listen: "127.0.0.1:0", warn: (m) => warnings.push(m) });
  try {
    const url = new URL(`api/push/${TOKEN}`, server.url);
    const long = "é".repeat(8000); // 16,000 bytes: the cut falls inside a character
    assert.equal((await fetch(url, { method: "POST", body: long })).status, 200);
    const kept = (await store.lastPing(pingKey(TOKEN)))!.message!;
    assert.equal(kept, "é".repeat(5120));
    const huge = await fetch(url, { method: "POST", body: "x".repeat(2 * 1024 * 1024) });
    assert.equal(huge.status, 413);
    assert.equal((await store.lastPing(pingKey(TOKEN)))!.message, kept, "a refused ping records nothing");
  } finally {
    await server.close();
  }
  const broken = { recordPing: () => Promise.reject(new Error("disk full")), lastPing: async () => undefined };
  const failing = await startServer({ checkers: [checker.withPings(broken)], pings: broken, listen: "127.0.0.1:0", warn: (m) => warnings.push(m) });
  try {
    const res = await fetch(new URL(`api/push/${TOKEN}`, failing.url));
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { error: { status: 503, message: "storage unavailable: disk full" } });
  } finally {
    await failing.close();
  }
  assert.deepEqual(warnings, ["recording a heartbeat ping: disk full"]);
});
