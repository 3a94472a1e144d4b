/** `checkup every`: rounds on an interval, one log line each, clean stop on SIGTERM. */
import assert from "node:assert/strict";
import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { startCli as start } from "../helpers/cli.js";
import { startHttpServer } from "../helpers/http-server.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

test("every: runs now and on the interval, one JSON log line per round, stops on SIGTERM", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: ok.url }], storage: { type: "fs", dir } });
  const run = start(["-c", config, "every", "300ms", "--log-format", "json"]);
  await run.waitForLines(3);
  run.child.kill("SIGTERM");
  const exit = await run.exited;
  assert.equal(exit.code, 0, run.stderr());
  const rounds = run.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const r of rounds) {
    assert.equal(r.healthy, 1);
    assert.equal(r.down, 0);
    assert.match(String(r.stored), /^\d{19}-check\.json$/);
    assert.match(String(r.time), /^\d{4}-\d\d-\d\dT/);
    assert.equal(typeof r.duration_ms, "number");
  }
  const stored = (await readdir(dir)).filter((f) => f.endsWith("-check.json")).sort();
  assert.deepEqual(stored, rounds.map((r) => r.stored).sort());
  assert.equal(ok.requests.length, rounds.length);
});

test("every: text log lines by default", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_url: ok.url }], storage: { type: "fs", dir } });
  const run = start(["-c", config, "every", "second"]);
  await run.waitForLines(1);
  run.child.kill("SIGINT");
  assert.equal((await run.exited).code, 0);
  assert.match(run.lines[0]!, /^\d{4}-\d\d-\d\dT\S+Z 1 healthy, 0 degraded, 0 down in \d+ ms; stored \d{19}-check\.json$/);
});

test("every: SIGTERM during a hanging round abandons it within 5 s and stores nothing torn", async () => {
  let arrived!: () => void;
  const requestSeen = new Promise<void>((r) => (arrived = r));
  const hang = await startHttpServer(() => arrived()); // never answers
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({
    checkers: [{ type: "http", endpoint_name: "Slow", endpoint_url: hang.url, timeout: "60s" }],
    storage: { type: "fs", dir },
  });
  const run = start(["-c", config, "every", "1h", "--log-format", "json"]);
  await requestSeen;
  const stopAt = Date.now();
  run.child.kill("SIGTERM");
  const exit = await run.exited;
  const took = Date.now() - stopAt;
  assert.equal(exit.code, 0, run.stderr());
  assert.ok(took < 5000, `exited ${took} ms after SIGTERM`);
  assert.equal(run.lines.length, 1);
  assert.equal((JSON.parse(run.lines[0]!) as { abandoned: boolean }).abandoned, true);
  assert.match(run.stderr(), /SIGTERM received, finishing the round in flight/);
  const left = await readdir(dir).catch(() => [] as string[]);
  assert.deepEqual(left, [], "no check file, no temp file");
});

test("every: a store failure is logged, the loop goes on, and the round is kept for replay", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const base = await tmpDir();
  // A storage folder under a plain file cannot be created: every store fails (ENOTDIR).
  await writeFile(path.join(base, "blocker"), "");
  const config = await writeConfig({
    checkers: [{ type: "http", endpoint_url: ok.url }],
    storage: { type: "fs", dir: path.join(base, "blocker", "checks") },
    spool_dir: path.join(base, "spool"),
  });
  const run = start(["-c", config, "every", "300ms", "--log-format", "json"]);
  await run.waitForLines(2);
  run.child.kill("SIGTERM");
  assert.equal((await run.exited).code, 0);
  const rounds = run.lines.map((l) => JSON.parse(l) as { error: string | null; stored: string | null });
  for (const r of rounds) {
    assert.equal(r.stored, null);
    assert.match(String(r.error), /^storing to fs failed: .+; the round is kept in .+spool\/\d{19}-check\.json and will be stored by the next successful run$/);
  }
  assert.equal((await readdir(path.join(base, "spool"))).length, rounds.length);
});

test("every: expiry runs after each store (check_expiry)", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_url: ok.url }], storage: { type: "fs", dir, check_expiry: "1ms" } });
  const run = start(["-c", config, "every", "200ms", "--log-format", "json"]);
  await run.waitForLines(3);
  run.child.kill("SIGTERM");
  assert.equal((await run.exited).code, 0);
  const rounds = run.lines.map((l) => JSON.parse(l) as { removed: number });
  assert.ok(rounds.slice(1).every((r) => r.removed >= 1), JSON.stringify(rounds));
  const left = (await readdir(dir)).filter((f) => f.endsWith("-check.json"));
  assert.ok(left.length <= 1, `expired rounds are gone, left: ${left.join()}`);
});
