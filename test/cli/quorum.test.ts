/**
 * Three `checkup every 1s` node processes sharing one real store under `quorum` (2 of 3): one
 * node's failure alerts no one; two nodes' failure alerts exactly once across all three processes,
 * and the recovery comes exactly once, also when a node is killed mid-outage. The target fails
 * only for the nodes named in the User-Agent each node sends.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, test } from "node:test";
import { startCli, startServe, type RunningCli } from "../helpers/cli.js";
import { startHttpServer } from "../helpers/http-server.js";
import { receiver } from "../helpers/notify.js";
import { startPostgres } from "../helpers/postgres.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

const NODES = ["eu-1", "eu-2", "eu-3"];

interface HookEvent { kind: string; check: string; reason?: string }

async function fleet(storage: object) {
  const failing = new Set<string>();
  const target = await startHttpServer((req, res) => {
    const node = /\(node ([^)]+)\)/.exec(req.headers["user-agent"] ?? "")?.[1] ?? "";
    res.writeHead(failing.has(node) ? 503 : 200);
    res.end();
  });
  const hook = await receiver();
  const config = await writeConfig({
    quorum: { down: 2, of: 3, window: "4s" },
    checkers: [{ type: "http", endpoint_name: "web", endpoint_url: `${target.url}/health` }],
    storage,
    notifiers: [{ type: "webhook", url: `${hook.url}/hook` }],
  });
  const state = await tmpDir();
  const nodes = new Map<string, RunningCli>(NODES.map((node) => [node, startCli(["--node", node, "-c", config, "every", "1s"],
    { killAfterMs: 170_000, env: { XDG_STATE_HOME: state } })]));
  after(() => nodes.forEach((n) => n.child.kill("SIGKILL")));
  const events = (kind: string): HookEvent[] => hook.requests.flatMap((r) => (JSON.parse(r.body) as { events?: HookEvent[] }).events ?? [])
    .filter((e) => e.kind === kind);
  return {
    failing, nodes, events, config, state,
    /** Waits until every node still running has stored `n` more rounds (decided what they make due); a loaded machine may skip a grid point. */
    async rounds(n: number): Promise<void> {
      await Promise.all([...nodes.values()].map((run) => run.waitForLines(run.lines.length + n, 30_000)));
      for (const [node, run] of nodes) for (const line of run.lines) assert.match(line, /; stored \d{19}-check\.json(; \d+ rounds? skipped: .*)?$/, `${node}: ${run.stderr()}`);
    },
    /** Waits until `count` events of `kind` arrived, then a few more rounds everywhere, and says how many there are. */
    async settled(kind: string, count: number): Promise<number> {
      const deadline = Date.now() + 30_000;
      while (events(kind).length < count && Date.now() < deadline) await hook.received(hook.requests.length + 1, deadline - Date.now()).catch(() => undefined);
      await this.rounds(3);
      return events(kind).length;
    },
    async stop(): Promise<void> {
      for (const run of nodes.values()) run.child.kill("SIGTERM");
      for (const [node, run] of nodes) assert.equal((await run.exited).code, 0, `${node}: ${run.stderr()}`);
    },
  };
}

interface StatusCheck { title: string; status: string; nodes: { node: string; status: string }[]; quorum?: Record<string, unknown> }

async function outage(storage: object, killMidOutage: boolean): Promise<void> {
  const f = await fleet(storage);
  // All three report healthy first: a node alone at start would be a partial quorum of one.
  await f.rounds(2);
  f.failing.add("eu-1");
  await f.rounds(4);
  assert.deepEqual(f.events("alert"), [], "one node's failure alerts no one");
  if (!killMidOutage) {
    const serve = await startServe(["-c", f.config, "serve", "--listen", "127.0.0.1:0"]);
    const body = await (await fetch(`${serve.url}api/status`)).json() as { status: string; checks: StatusCheck[] };
    serve.child.kill("SIGTERM");
    const [web] = body.checks;
    assert.deepEqual(web!.nodes.map((n) => `${n.node}:${n.status}`), ["eu-1:down", "eu-2:healthy", "eu-3:healthy"]);
    assert.equal(web!.status, "healthy", "the check is the fleet's verdict");
    assert.deepEqual(web!.quorum, { status: "healthy", down: 1, of: 3, nodes: 3, partial: false });
    assert.equal(body.status, "healthy");
  }

  f.failing.add("eu-2");
  assert.equal(await f.settled("alert", 1), 1, "exactly one alert across the three nodes");
  assert.match(f.events("alert")[0]!.reason!, /^down from eu-1, eu-2 \(2 of 3 nodes\): /);
  if (killMidOutage) {
    f.nodes.get("eu-3")!.child.kill("SIGKILL");
    await f.nodes.get("eu-3")!.exited;
    f.nodes.delete("eu-3");
    // Past the window: eu-3's last observation has expired, and the two left still say down.
    await f.rounds(5);
    assert.deepEqual(f.events("recovered"), []);
  }

  f.failing.clear();
  assert.equal(await f.settled("recovered", 1), 1, "exactly one recovery");
  assert.equal(f.events("alert").length, 1);
  await f.stop();
}

test("quorum on a shared fs folder: no alert for one node, one alert and one recovery for two", { timeout: 180_000 }, async () => {
  await outage({ type: "fs", dir: path.join(await tmpDir(), "checks") }, false);
});

test("quorum on a shared fs folder: a node SIGKILLed mid-outage, the recovery still comes once", { timeout: 180_000 }, async () => {
  await outage({ type: "fs", dir: path.join(await tmpDir(), "checks") }, true);
});

test("quorum on PostgreSQL: one alert, one recovery, also with a node SIGKILLed mid-outage", { timeout: 180_000 }, async () => {
  const pg = await startPostgres();
  await outage({ type: "postgres", dsn: await pg.newDatabase(), create: true }, false);
  await outage({ type: "postgres", dsn: await pg.newDatabase(), create: true }, true);
});
