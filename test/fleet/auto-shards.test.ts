/** Auto shards in one process, on real registries (SQLite files, PostgreSQL that is absent or silent). */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { Checkup } from "../../lib/checkup.js";
import { SECOND } from "../../lib/duration.js";
import { autoShards, ownershipText, type AutoShards } from "../../lib/fleet/auto-shards.js";
import { NODES_SCHEMA } from "../../lib/storing/sql-store.js";
import type { Storage } from "../../lib/types.js";
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
