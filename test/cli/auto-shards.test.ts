/**
 * Auto shards across processes: three `checkup every 1s` nodes on one PostgreSQL share the checks
 * (each check hit by one node), and when one is killed its checks run on the others within two
 * intervals; plus the command lines auto shards refuse.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { parseResults } from "../../lib/result.js";
import { runCli, startCli, type RunningCli } from "../helpers/cli.js";
import { startHttpServer } from "../helpers/http-server.js";
import { startPostgres } from "../helpers/postgres.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";
import { until } from "../helpers/wait.js";

const INTERVAL_MS = 1000;
/** What a loaded 2-core machine may add to the two intervals a takeover takes (one more round, process scheduling). */
const SLACK_MS = 3000;
const TITLES = Array.from({ length: 12 }, (_, i) => `c${i}`);

interface Hit { path: string; node: string }

/** The owner count each node printed last: `node a now runs 4 of 12 checks (3 live nodes)`. */
function lastShare(node: RunningCli, live: number): number | undefined {
  const shares = [...node.stderr().matchAll(/now runs (\d+) of 12 checks \((\d+) live nodes?\)/g)];
  const last = shares.at(-1);
  return last && Number(last[2]) === live ? Number(last[1]) : undefined;
}

/** Which nodes hit each path among `hits`. */
function nodesByPath(hits: Hit[]): Map<string, Set<string>> {
  const by = new Map<string, Set<string>>();
  for (const h of hits) by.set(h.path, (by.get(h.path) ?? new Set()).add(h.node));
  return by;
}

test("three nodes, replicas 1: each check runs on exactly one node; a killed node's checks move to the others and keep being stored", async (t) => {
  const pg = await startPostgres();
  const dsn = await pg.newDatabase();
  const database = new URL(dsn).pathname.slice(1);
  const hits: Hit[] = [];
  const target = await startHttpServer((req, res) => {
    hits.push({ path: req.url!.slice(1), node: /\(node (\S+)\)/.exec(req.headers["user-agent"] ?? "")?.[1] ?? "?" });
    res.end("ok");
  });
  const dir = await tmpDir();
  const config = await writeConfig({
    checkers: TITLES.map((title) => ({ type: "http", endpoint_name: title, endpoint_url: `${target.url}/${title}` })),
    storage: { type: "postgres", dsn, create: true },
    shards: { mode: "auto", replicas: 1 },
    spool_dir: path.join(dir, "spool"),
  });
  const nodes = new Map(["a", "b", "c"].map((name) => [name, startCli(["-c", config, "--node", name, "every", "1s"],
    { killAfterMs: 90_000, env: { XDG_STATE_HOME: path.join(dir, name) } })]));
  const all = [...nodes.values()];
  try {
    await until(() => all.every((n) => lastShare(n, 3) !== undefined), 30_000, "every node sees 3 live nodes");
    assert.equal(all.reduce((sum, n) => sum + lastShare(n, 3)!, 0), 12, "the shares add up to every check once");

    // Each check is hit by exactly one node, about once per round of that node.
    const mark = hits.length;
    const rounds = new Map([...nodes].map(([name, n]) => [name, n.lines.length]));
    await until(() => TITLES.every((title) => hits.slice(mark).filter((h) => h.path === title).length >= 3), 15_000, "every check hit 3 times");
    const window = hits.slice(mark);
    const owners = nodesByPath(window);
    for (const title of TITLES) {
      const [owner, ...others] = [...owners.get(title)!];
      assert.deepEqual(others, [], `${title} hit by ${[...owners.get(title)!].join(", ")}: ${all.map((n) => n.stderr()).join("")}`);
      const ran = nodes.get(owner!)!.lines.length - rounds.get(owner!)!;
      const count = window.filter((h) => h.path === title).length;
      assert.ok(Math.abs(count - ran) <= 1, `${title}: ${count} hits in ${ran} rounds of node ${owner}`);
    }

    // Kill c; its checks must be hit by a or b within two intervals (plus slack), then stored.
    const orphans = TITLES.filter((title) => owners.get(title)!.has("c"));
    assert.ok(orphans.length > 0, "c owned some checks");
    const killedAt = Date.now();
    const killedNs = BigInt(killedAt) * 1_000_000n;
    nodes.get("c")!.child.kill("SIGKILL");
    await nodes.get("c")!.exited;
    const afterKill = hits.length;
    const takenOver = () => {
      const by = nodesByPath(hits.slice(afterKill).filter((h) => h.node !== "c"));
      return orphans.every((title) => by.has(title));
    };
    await until(takenOver, 2 * INTERVAL_MS + SLACK_MS, `c's checks (${orphans.join(", ")}) hit by a or b`);
    t.diagnostic(`c's ${orphans.length} checks taken over ${Date.now() - killedAt} ms after SIGKILL (interval ${INTERVAL_MS} ms)`);

    const stored = async () => {
      const rows = await pg.query(`SELECT results FROM checks WHERE timestamp > ${killedNs}`, database);
      const titles = new Set(rows.flatMap((r) => parseResults(String(r.results)).map((x) => x.title)));
      return TITLES.every((title) => titles.has(title));
    };
    await until(stored, 10_000, "a round stored after the kill for every check");

    // The survivors settle on two live nodes and again split the checks without overlap.
    const survivors = [nodes.get("a")!, nodes.get("b")!];
    await until(() => survivors.every((n) => lastShare(n, 2) !== undefined), 10_000, "a and b see 2 live nodes");
    const settled = hits.length;
    await until(() => TITLES.every((title) => hits.slice(settled).filter((h) => h.path === title).length >= 2), 10_000, "every check hit twice more");
    for (const [title, by] of nodesByPath(hits.slice(settled))) assert.equal(by.size, 1, `${title} hit by ${[...by].join(", ")}`);

    // A node stopped with SIGTERM deletes its row as it exits: a is alone from its next round.
    nodes.get("b")!.child.kill("SIGTERM");
    assert.equal((await nodes.get("b")!.exited).code, 0);
    const rows = await pg.query("SELECT node FROM checkup_nodes ORDER BY node", database);
    assert.deepEqual(rows.map((r) => r.node), ["a", "c"], "b left; c, killed, ages out");
    await until(() => lastShare(nodes.get("a")!, 1) === 12, 2 * INTERVAL_MS + SLACK_MS, "a runs all 12 checks alone");
  } finally {
    for (const n of all) n.child.kill("SIGTERM");
    await Promise.all(all.map((n) => n.exited));
  }
});

test("four nodes started together, replicas 2: their first round already runs each check on at most 2 nodes, and every check on one at least", async () => {
  const pg = await startPostgres();
  const dsn = await pg.newDatabase();
  const hits: Hit[] = [];
  const target = await startHttpServer((req, res) => {
    hits.push({ path: req.url!.slice(1), node: /\(node (\S+)\)/.exec(req.headers["user-agent"] ?? "")?.[1] ?? "?" });
    res.end("ok");
  });
  const dir = await tmpDir();
  const titles = Array.from({ length: 40 }, (_, i) => `c${i}`);
  const config = await writeConfig({
    checkers: titles.map((title) => ({ type: "http", endpoint_name: title, endpoint_url: `${target.url}/${title}` })),
    storage: { type: "postgres", dsn, create: true },
    shards: { mode: "auto", replicas: 2 },
    spool_dir: path.join(dir, "spool"),
  });
  // every 1m: a join's quiet period of 2 s, and no second round before every first one has ended.
  const nodes = ["a", "b", "c", "d"].map((name) => startCli(["-c", config, "--node", name, "every", "1m"],
    { killAfterMs: 90_000, env: { XDG_STATE_HOME: path.join(dir, name) } }));
  try {
    await Promise.all(nodes.map((n) => n.waitForLines(1, 40_000)));
    const stderr = nodes.map((n) => n.stderr()).join("");
    const byPath = nodesByPath(hits);
    for (const title of titles) {
      const by = [...byPath.get(title) ?? []];
      assert.ok(by.length >= 1 && by.length <= 2, `${title} hit by ${by.length} nodes (${by.join(", ")}) in the first round: ${stderr}`);
      assert.equal(hits.filter((h) => h.path === title).length, by.length, `${title}: once by each of its nodes`);
    }
    assert.equal(hits.length, nodes.reduce((sum, n) => sum + Number(/(\d+) healthy/.exec(n.lines[0]!)?.[1]), 0), "the hits are the first rounds' checks");
  } finally {
    for (const n of nodes) n.child.kill("SIGTERM");
    await Promise.all(nodes.map((n) => n.exited));
  }
});

test("auto shards refuse --shard (static shards) and --store (no interval), exit 2 naming the fix; nothing runs", async () => {
  const target = await startHttpServer((_req, res) => res.end("ok"));
  const config = await writeConfig({
    checkers: [{ type: "http", endpoint_url: target.url }],
    storage: { type: "sqlite3", dsn: path.join(await tmpDir(), "checkup.db"), create: true },
    shards: { mode: "auto" },
  });
  const staticShard = `${config}: shards: auto shards and --shard (or CHECKUP_SHARD) would both divide the checks: drop --shard, or remove "shards"\n`;
  for (const [args, env, stderr] of [
    [["--shard", "1/3", "validate"], {}, staticShard],
    [["every", "1m"], { CHECKUP_SHARD: "2/3" }, staticShard],
    [["--store"], {}, `${config}: shards: auto shards tell live nodes by the interval of checkup every, and a --store run has none: ` +
      `run "checkup every 1m" (your cron's interval) instead of --store, or remove "shards"\n`],
  ] as [string[], NodeJS.ProcessEnv, string][]) {
    const run = await runCli(["-c", config, ...args], { env });
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.equal(run.stderr, stderr);
  }
  assert.equal(target.requests.length, 0, "nothing was checked");
  const plain = await runCli(["-c", config, "--json"]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(parseResults(plain.stdout).length, 1, "a plain run (one-off, nothing shared) runs every check");
});
