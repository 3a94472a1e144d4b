/** Auto shards in one process, on real registries (SQLite files, PostgreSQL that is absent or silent). */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { Checkup } from "../../lib/checkup.js";
import { SECOND } from "../../lib/duration.js";
import { autoShards, ownershipText, type AutoShards } from "../../lib/fleet/auto-shards.js";
import { NODES_SCHEMA } from "../../lib/storing/sql-store.js";
import { isNodeRegistry, type NodeBeat, type NodeRegistry, type Storage } from "../../lib/types.js";
import { startSilentServer } from "../helpers/hostile.js";
import { closedPort } from "../helpers/http-server.js";
import { tmpDir } from "../helpers/tmp.js";
import { openStorage } from "../storage/sql-cases.js";

const CHECKS = Array.from({ length: 30 }, (_, i) => ({ title: `check-${i}` }));
const INTERVAL = SECOND;

async function sqliteRegistry(create = true): Promise<{ storage: Storage; file: string }> {
  const file = path.join(await tmpDir(), "fleet.db");
  return { storage: await openStorage({ type: "sqlite3", dsn: file, create }), file };
}

function shardsOn(storage: Storage, node: string, warnings: string[], instance = `${node}-instance`): AutoShards<{ title: string }> {
  return autoShards({ config: { replicas: 1 }, storage, node, checks: CHECKS, warn: (m) => warnings.push(m), instance });
}

test("two nodes on one registry: alone a node runs everything, together they split the checks without overlap", async () => {
  const { storage } = await sqliteRegistry();
  const warnings: string[] = [];
  const [a, b] = [shardsOn(storage, "eu-1", warnings), shardsOn(storage, "us-1", warnings)];
  try {
    const alone = await a.select(INTERVAL);
    assert.deepEqual(alone.ownership, { owned: 30, of: 30, liveNodes: 1, changed: true });
    assert.equal(ownershipText("eu-1", alone.ownership), "node eu-1 now runs 30 of 30 checks (1 live node)");
    const fromB = await b.select(INTERVAL);
    const fromA = await a.select(INTERVAL);
    assert.equal(fromA.ownership.liveNodes, 2);
    assert.equal(fromA.ownership.changed, true, "a second node came");
    assert.deepEqual([...fromA.checks, ...fromB.checks].map((c) => c.title).sort(), CHECKS.map((c) => c.title).sort(), "each check once");
    assert.equal(ownershipText("eu-1", fromA.ownership), `node eu-1 now runs ${fromA.checks.length} of 30 checks (2 live nodes)`);
    assert.equal((await a.select(INTERVAL)).ownership.changed, false, "same nodes, same share");
    assert.deepEqual(warnings, []);
  } finally {
    await storage.close?.();
  }
});

/** `storage`'s registry, calling `before` ahead of each beat (to add a node) and `after` once it answered. */
function watched(storage: Storage, hooks: { before?: () => Promise<void>; after?: (self: Omit<NodeBeat, "at">) => void }): Storage & NodeRegistry {
  assert.ok(isNodeRegistry(storage));
  return {
    type: storage.type,
    store: (results) => storage.store(results),
    heartbeat: async (self, aliveFor, forgetAfter) => {
      await hooks.before?.();
      const live = await storage.heartbeat(self, aliveFor, forgetAfter);
      hooks.after?.(self);
      return live;
    },
    leave: (self) => storage.leave(self),
  };
}

test("a node joining waits a quiet period: one that beats meanwhile is in both first shares, which split the checks without overlap", async () => {
  const { storage } = await sqliteRegistry();
  const warnings: string[] = [];
  let firstBeat!: () => void;
  const aBeat = new Promise<void>((r) => (firstBeat = r));
  const registry = watched(storage, { after: (self) => self.node === "eu-1" && firstBeat() });
  const [a, b] = [shardsOn(registry, "eu-1", warnings), shardsOn(registry, "us-1", warnings)];
  const interval = 10 * SECOND; // a quiet period of 1 s
  try {
    const fromA = a.select(interval);
    await aBeat; // eu-1 has registered and is in its quiet period: us-1 starts now
    const [shareA, shareB] = await Promise.all([fromA, b.select(interval)]);
    assert.equal(shareA.ownership.liveNodes, 2, "eu-1's first round counts us-1, which beat during its join");
    assert.equal(shareB.ownership.liveNodes, 2);
    assert.deepEqual([...shareA.checks, ...shareB.checks].map((c) => c.title).sort(), CHECKS.map((c) => c.title).sort(), "each check once in the first round");
    assert.ok(shareA.checks.length > 0 && shareB.checks.length > 0);
    assert.deepEqual(warnings, []);
  } finally {
    await storage.close?.();
  }
});

test("a lone node joins after one quiet period (two beats), then beats once a round; nodes that keep coming cannot hold its join", async () => {
  const { storage } = await sqliteRegistry();
  let beats = 0;
  const lone = shardsOn(watched(storage, { after: () => beats++ }), "eu-1", []);
  try {
    assert.equal((await lone.select(INTERVAL)).checks.length, 30);
    assert.equal(beats, 2, "the join: a beat, a quiet period, a beat finding no one new");
    await lone.select(INTERVAL);
    assert.equal(beats, 3, "joined: one beat a round");
    // A new node before every beat: the join ends at its bound (a quarter interval: 1 s; quiet 400 ms), with the nodes seen by then.
    const interval = 4 * SECOND;
    const plain = watched(storage, {});
    let comers = 0;
    let polls = 0;
    const crowded = watched(storage, {
      before: () => plain.heartbeat({ node: `comer-${++comers}`, instance: "x" }, 2 * interval, 10 * interval).then(() => undefined),
      after: (self) => void (self.node === "us-1" && polls++),
    });
    const share = await shardsOn(crowded, "us-1", []).select(interval);
    assert.ok(polls >= 2 && polls <= 4, `${polls} beats: the first, then one per 400 ms of the 1 s bound at most`);
    assert.equal(share.ownership.liveNodes, 2 + comers, "eu-1, us-1 and every comer seen");
  } finally {
    await storage.close?.();
  }
});

test("two live processes with one node name: each warns, every round it sees the other", async () => {
  const { storage } = await sqliteRegistry();
  const first: string[] = [];
  const second: string[] = [];
  const [a, b] = [shardsOn(storage, "eu-1", first, "aaaa"), shardsOn(storage, "eu-1", second, "bbbb")];
  try {
    await a.select(INTERVAL);
    for (let round = 0; round < 2; round++) {
      await b.select(INTERVAL);
      await a.select(INTERVAL);
    }
    assert.deepEqual(first, Array(2).fill("another process also runs as node eu-1 (instance bbbb); give each node its own --node"));
    assert.deepEqual(second, Array(2).fill("another process also runs as node eu-1 (instance aaaa); give each node its own --node"));
  } finally {
    await storage.close?.();
  }
});

test("a registry that is down: every check runs each round, one warning for the outage, and one when it answers again", async () => {
  const { storage, file } = await sqliteRegistry(false); // no checkup_nodes table: each beat fails, as on a dead server
  const warnings: string[] = [];
  const shards = shardsOn(storage, "eu-1", warnings);
  try {
    for (let round = 0; round < 3; round++) {
      const share = await shards.select(INTERVAL);
      assert.equal(share.checks.length, 30, "never zero checks: all of them");
      assert.deepEqual(share.ownership, { owned: 30, of: 30, liveNodes: 0, changed: round === 0 });
    }
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(warnings[0]!, /^the node registry does not answer \(sqlite3 storage \(.+\): table "checkup_nodes" does not exist: .+\): running all 30 checks until it does$/);
    assert.equal(ownershipText("eu-1", { owned: 30, of: 30, liveNodes: 0, changed: true }), "node eu-1 now runs 30 of 30 checks (the node registry does not answer)");
    const db = new Database(file);
    for (const statement of NODES_SCHEMA) db.exec(statement);
    db.close();
    const back = await shards.select(INTERVAL);
    assert.deepEqual(back.ownership, { owned: 30, of: 30, liveNodes: 1, changed: true });
    assert.deepEqual(warnings.slice(1), ["the node registry answers again: sharing the checks among the live nodes"]);
  } finally {
    await storage.close?.();
  }
});

test("an unreachable or silent PostgreSQL registry never stalls a round: all checks run, after at most the beat's deadline", async () => {
  const silent = await startSilentServer();
  for (const port of [await closedPort(), silent.port]) {
    const storage = await openStorage({ type: "postgres", dsn: `postgres://checkup:pw@127.0.0.1:${port}/x?sslmode=disable`, create: true });
    const warnings: string[] = [];
    try {
      const share = await shardsOn(storage, "eu-1", warnings).select(INTERVAL);
      assert.equal(share.checks.length, 30);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, port === silent.port ? /\(no answer within 1s\)/ : /ECONNREFUSED/);
      assert.doesNotMatch(warnings[0]!, /pw@/, "no password in the warning");
    } finally {
      void storage.close?.();
    }
  }
});

test("Checkup: a scheduled round runs this node's share and reports it; a one-off round runs every check; results carry the node", async () => {
  const dir = await tmpDir();
  const port = await closedPort();
  const config = {
    checkers: CHECKS.map((c) => ({ type: "tcp", endpoint_name: c.title, endpoint_url: `127.0.0.1:${port}`, timeout: "200ms" })),
    storage: { type: "sqlite3", dsn: path.join(dir, "fleet.db"), create: true },
    shards: { mode: "auto", replicas: 1 },
    spool_dir: path.join(dir, "spool"),
    alert_state: path.join(dir, "alerts.json"),
  };
  const load = (node: string) => Checkup.fromConfig(config, { node });
  const [a, b] = [await load("eu-1"), await load("us-1")];
  try {
    await a.round({ interval: INTERVAL });
    const ofB = await b.round({ interval: INTERVAL });
    const ofA = await a.round({ interval: INTERVAL });
    assert.equal(ofA.shards?.liveNodes, 2);
    assert.equal(ofA.results.length + ofB.results.length, 30);
    assert.equal(ofA.shards?.owned, ofA.results.length);
    assert.ok(ofA.results.every((r) => r.node === "eu-1") && ofB.results.every((r) => r.node === "us-1"));
    const oneOff = await a.round();
    assert.equal(oneOff.results.length, 30, "no interval: every check");
    assert.equal(oneOff.shards, undefined);
  } finally {
    await a.close({ deliveryWaitMs: 0 });
    await b.close({ deliveryWaitMs: 0 });
  }
});

test("Checkup.every(): stop() deletes this node's row from the registry once the round in flight has ended, as the CLI does", async () => {
  const dir = await tmpDir();
  const file = path.join(dir, "fleet.db");
  const port = await closedPort();
  const checkup = await Checkup.fromConfig({
    checkers: CHECKS.map((c) => ({ type: "tcp", endpoint_name: c.title, endpoint_url: `127.0.0.1:${port}`, timeout: "200ms" })),
    storage: { type: "sqlite3", dsn: file, create: true },
    shards: { mode: "auto", replicas: 1 },
    spool_dir: path.join(dir, "spool"),
    alert_state: path.join(dir, "alerts.json"),
  }, { node: "eu-1" });
  const db = new Database(file, { readonly: true });
  const nodes = () => db.prepare("SELECT node FROM checkup_nodes").all();
  try {
    let firstRound!: () => void;
    const rounds = new Promise<void>((r) => (firstRound = r));
    const handle = checkup.every("1h", { onRound: () => firstRound() });
    await rounds;
    assert.deepEqual(nodes(), [{ node: "eu-1" }], "registered while running");
    await handle.stop();
    assert.deepEqual(nodes(), [], "left on stop");
    await handle.done;
  } finally {
    db.close();
    await checkup.close({ deliveryWaitMs: 0 });
  }
});
