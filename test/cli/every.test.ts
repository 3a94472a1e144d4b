/** `checkup every`: rounds on an interval, one log line each, clean stop on SIGTERM. */
import assert from "node:assert/strict";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { startCli } from "../helpers/cli.js";
import { startHttpServer } from "../helpers/http-server.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

test("every: runs now and on the interval, one JSON log line per round, stops on SIGTERM", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: ok.url }], storage: { type: "fs", dir } });
  const run = startCli(["--node", "eu-1", "-c", config, "every", "1s", "--log-format", "json"]);
  await run.waitForLines(3);
  run.child.kill("SIGTERM");
  const exit = await run.exited;
  assert.equal(exit.code, 0, run.stderr());
  const rounds = run.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const r of rounds) {
    assert.equal(r.node, "eu-1");
    assert.equal(r.healthy, 1);
    assert.equal(r.down, 0);
    assert.match(String(r.stored), /^\d{19}-check\.json$/);
    assert.match(String(r.time), /^\d{4}-\d\d-\d\dT/);
    assert.equal(typeof r.duration_ms, "number");
    assert.ok(typeof r.store_ms === "number" && r.store_ms <= (r.duration_ms as number), `store_ms within the round: ${JSON.stringify(r)}`);
    assert.equal(r.missed, 0, "a quick round keeps to the schedule");
    assert.equal(typeof r.late_ms, "number");
  }
  const stored = (await readdir(dir)).filter((f) => f.endsWith("-check.json")).sort();
  assert.deepEqual(stored, rounds.map((r) => r.stored).sort());
  assert.equal(ok.requests.length, rounds.length);
});

test("every: a round that runs past the interval makes the next line say how many rounds were skipped", async () => {
  let first = true;
  // The first answer takes 1.5 intervals, so the grid point at 1 s passes without a round.
  const slowOnce = await startHttpServer((_req, res) => {
    const delay = first ? 1500 : 0;
    first = false;
    setTimeout(() => res.end("ok"), delay);
  });
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_url: slowOnce.url, timeout: "10s" }], storage: { type: "fs", dir: path.join(await tmpDir(), "checks") } });
  const json = startCli(["-c", config, "every", "1s", "--log-format", "json"]);
  await json.waitForLines(2);
  json.child.kill("SIGTERM");
  assert.equal((await json.exited).code, 0, json.stderr());
  const [slow, next] = json.lines.map((l) => JSON.parse(l) as { missed: number; duration_ms: number });
  assert.equal(slow!.missed, 0);
  assert.ok(slow!.duration_ms >= 1500, json.lines[0]);
  assert.ok(next!.missed >= 1, json.lines[1]);

  first = true;
  const text = startCli(["-c", config, "every", "1s"]);
  await text.waitForLines(2);
  text.child.kill("SIGTERM");
  assert.equal((await text.exited).code, 0, text.stderr());
  assert.match(text.lines[1]!, /; \d+ rounds? skipped: the previous round ran past the interval$/);
  assert.doesNotMatch(text.lines[0]!, /skipped/);
});

test("every: under auto shards each JSON line gives the node's share of the checks", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const config = await writeConfig({
    checkers: [{ type: "http", endpoint_name: "A", endpoint_url: ok.url }, { type: "http", endpoint_name: "B", endpoint_url: ok.url }],
    shards: { mode: "auto" },
    storage: { type: "sqlite3", dsn: path.join(await tmpDir(), "checkup.db"), create: true },
  });
  const run = startCli(["--node", "solo", "-c", config, "every", "1h", "--log-format", "json"]);
  await run.waitForLines(1);
  run.child.kill("SIGTERM");
  assert.equal((await run.exited).code, 0, run.stderr());
  const line = JSON.parse(run.lines[0]!) as { node: string; healthy: number; shards: unknown };
  assert.deepEqual([line.node, line.healthy, line.shards], ["solo", 2, { owned: 2, of: 2, live_nodes: 1 }]);
});

test("every: text log lines by default", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_url: ok.url }], storage: { type: "fs", dir } });
  const run = startCli(["-c", config, "every", "second"]);
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
  const run = startCli(["-c", config, "every", "1h", "--log-format", "json"]);
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
  // index.json is a folder, so it can be neither read nor replaced: every store fails (EISDIR).
  await mkdir(path.join(base, "checks", "index.json"), { recursive: true });
  const config = await writeConfig({
    checkers: [{ type: "http", endpoint_url: ok.url }],
    storage: { type: "fs", dir: path.join(base, "checks") },
    spool_dir: path.join(base, "spool"),
  });
  const run = startCli(["-c", config, "every", "1s", "--log-format", "json"]);
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
  // A round stored two minutes ago, past the one-minute expiry.
  const old = `${BigInt(Date.now() - 120_000) * 1_000_000n}-check.json`;
  await mkdir(dir);
  await writeFile(path.join(dir, old), "[]\n");
  await writeFile(path.join(dir, "index.json"), `{"${old}":${old.slice(0, 19)}}\n`);
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_url: ok.url }], storage: { type: "fs", dir, check_expiry: "1m" } });
  const run = startCli(["-c", config, "every", "1h", "--log-format", "json"]);
  await run.waitForLines(1);
  run.child.kill("SIGTERM");
  assert.equal((await run.exited).code, 0);
  const [round] = run.lines.map((l) => JSON.parse(l) as { removed: number; stored: string });
  assert.equal(round!.removed, 1, run.lines[0]);
  const left = (await readdir(dir)).filter((f) => f.endsWith("-check.json"));
  assert.deepEqual(left, [round!.stored], "the expired round is gone, the new one kept");
});
