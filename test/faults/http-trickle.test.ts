/**
 * An HTTP target that answers at once and then trickles its body (1 byte every 100 ms) forever:
 * every attempt still ends within its bound, its socket is closed, and the process exits.
 */
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { createChecker } from "../../lib/checking/create.js";
import { runCli, startCli } from "../helpers/cli.js";
import { startTricklingServer, within } from "../helpers/hostile.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

const BODY_DEADLINE = "reading response body: context deadline exceeded (Client.Timeout or context cancellation while reading body)";

test("http: a trickling body under must_contain is down at the timeout, and the socket is closed", async () => {
  const server = await startTricklingServer();
  const checker = await createChecker({ type: "http", endpoint_url: server.url, timeout: "500ms", must_contain: "ready" });
  const r = await within(checker.check(), 5_000, "check");
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, BODY_DEADLINE);
  await within(server.drained(), 2_000, "server sees the socket closed");
});

test("http: a status-only check is healthy at the headers, and the unread body's socket is closed", async () => {
  const server = await startTricklingServer();
  const checker = await createChecker({ type: "http", endpoint_url: server.url, timeout: "500ms" });
  const r = await within(checker.check(), 5_000, "check");
  assert.equal(r.healthy, true);
  assert.equal(server.connections, 1);
  await within(server.drained(), 3_000, "server sees the socket closed");
});

test("checkup --json: exits with the verdict against a trickling target", async () => {
  const server = await startTricklingServer();
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_name: "Drip", endpoint_url: server.url }] });
  const run = await runCli(["-c", config, "--json"], { timeoutMs: 10_000 });
  assert.equal(run.signal, null, "exited by itself, not killed");
  assert.equal(run.code, 0, run.stderr);
  assert.equal((JSON.parse(run.stdout) as { healthy?: boolean }[])[0]!.healthy, true);
  await within(server.drained(), 2_000, "server sees the socket closed");
});

test("checkup --store: stores the round and exits against a trickling target", async () => {
  const server = await startTricklingServer();
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({
    checkers: [{ type: "http", endpoint_name: "Drip", endpoint_url: server.url }],
    storage: { type: "fs", dir },
  });
  const run = await runCli(["-c", config, "--store"], { timeoutMs: 10_000 });
  assert.equal(run.signal, null, "exited by itself, not killed");
  assert.equal(run.code, 0, run.stderr);
  assert.equal((await readdir(dir)).filter((f) => f.endsWith("-check.json")).length, 1);
  await within(server.drained(), 2_000, "server sees the socket closed");
});

test("every: no socket is kept per round, and SIGTERM exits within 5 s", async () => {
  const server = await startTricklingServer();
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_url: server.url }], storage: { type: "fs", dir } });
  const run = startCli(["-c", config, "every", "1s", "--log-format", "json"]);
  await run.waitForLines(3);
  // Each round's connection closes: the server's count of open sockets returns to none.
  await within(server.drained(), 3_000, "open sockets back to none after three rounds");
  assert.ok(server.connections >= 3, `one connection per round, saw ${server.connections}`);
  const stopAt = Date.now();
  run.child.kill("SIGTERM");
  const exit = await within(run.exited, 5_000, "exit after SIGTERM");
  assert.equal(exit.code, 0, run.stderr());
  assert.ok(Date.now() - stopAt < 5_000);
  await within(server.drained(), 2_000, "server sees every socket closed");
});

test("every: SIGTERM while a body trickles abandons the round within 5 s and closes its socket", async () => {
  const server = await startTricklingServer();
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({
    checkers: [{ type: "http", endpoint_url: server.url, must_contain: "ready", timeout: "60s" }],
    storage: { type: "fs", dir },
  });
  const run = startCli(["-c", config, "every", "1h", "--log-format", "json"]);
  await within(server.accepted(1), 10_000, "the round's request");
  run.child.kill("SIGTERM");
  const exit = await within(run.exited, 5_000, "exit after SIGTERM");
  assert.equal(exit.code, 0, run.stderr());
  assert.equal((JSON.parse(run.lines[0]!) as { abandoned: boolean }).abandoned, true);
  await within(server.drained(), 2_000, "server sees the socket closed");
});
