/**
 * Auto shards without `quorum`, across processes on one real PostgreSQL: the nodes share the alert
 * state, so when the node that owns a failing check is SIGKILLed mid-outage and the check moves,
 * its new owner sends no second alert, and the one recovery still comes.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { startCli, type RunningCli } from "../helpers/cli.js";
import { startHttpServer } from "../helpers/http-server.js";
import { receiver } from "../helpers/notify.js";
import { startPostgres } from "../helpers/postgres.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";
import { until } from "../helpers/wait.js";

interface HookEvent { kind: string; check: string }

test("auto shards, replicas 1: one alert for an outage whose owner is SIGKILLed, no second one from the new owner, one recovery", { timeout: 180_000 }, async () => {
  const pg = await startPostgres();
  let failing = false;
  const hits: { node: string; at: number }[] = [];
  const target = await startHttpServer((req, res) => {
    hits.push({ node: /\(node (\S+)\)/.exec(req.headers["user-agent"] ?? "")?.[1] ?? "?", at: Date.now() });
    res.writeHead(failing ? 503 : 200);
    res.end();
  });
  const hook = await receiver();
  const dir = await tmpDir();
  const config = await writeConfig({
    checkers: [{ type: "http", endpoint_name: "web", endpoint_url: `${target.url}/health` }],
    storage: { type: "postgres", dsn: await pg.newDatabase(), create: true },
    shards: { mode: "auto", replicas: 1 },
    notifiers: [{ type: "webhook", url: `${hook.url}/hook` }],
    spool_dir: path.join(dir, "spool"),
  });
  // Each node its own state folder, as on separate machines: only the storage is shared.
  const nodes = new Map<string, RunningCli>(["a", "b", "c"].map((name) => [name, startCli(["-c", config, "--node", name, "every", "1s"],
    { killAfterMs: 170_000, env: { XDG_STATE_HOME: path.join(dir, name) } })]));
  const events = (kind: string): HookEvent[] => hook.requests.flatMap((r) => (JSON.parse(r.body) as { events?: HookEvent[] }).events ?? [])
    .filter((e) => e.kind === kind);
  /** Waits until every node still running has finished `n` more rounds. */
  const rounds = (n: number) => Promise.all([...nodes.values()].map((run) => run.waitForLines(run.lines.length + n, 30_000)));
  /** The one node that ran the check in the last second. */
  const owner = () => {
    const recent = new Set(hits.filter((h) => h.at > Date.now() - 1000).map((h) => h.node));
    return recent.size === 1 ? [...recent][0] : undefined;
  };
  const stderr = () => [...nodes].map(([name, n]) => `${name}: ${n.stderr()}`).join("\n");
  try {
    await until(() => [...nodes.values()].every((n) => /\(3 live nodes\)/.test(n.stderr())), 30_000, "every node sees 3 live nodes");
    await rounds(2);
    failing = true;
    await until(() => events("alert").length > 0, 30_000, `an alert: ${stderr()}`);
    await rounds(2);
    assert.equal(events("alert").length, 1, "exactly one alert");

    const dead = owner();
    assert.ok(dead !== undefined, `one node owns the check: ${JSON.stringify(hits.slice(-6))}`);
    const killedAt = Date.now();
    nodes.get(dead)!.child.kill("SIGKILL");
    await nodes.get(dead)!.exited;
    nodes.delete(dead);
    await until(() => hits.some((h) => h.at > killedAt && h.node !== dead), 20_000, `the check moved off ${dead}`);
    // Well past the takeover: the new owner has judged the outage for several rounds.
    await rounds(6);
    assert.equal(events("alert").length, 1, `no second alert from the new owner: ${JSON.stringify(events("alert"))}`);
    assert.deepEqual(events("recovered"), []);

    failing = false;
    await until(() => events("recovered").length > 0, 30_000, `a recovery: ${stderr()}`);
    await rounds(3);
    assert.equal(events("recovered").length, 1, "exactly one recovery");
    assert.equal(events("alert").length, 1);
  } finally {
    for (const n of nodes.values()) n.child.kill("SIGTERM");
    for (const [name, n] of nodes) assert.equal((await n.exited).code, 0, `${name}: ${n.stderr()}`);
  }
});
