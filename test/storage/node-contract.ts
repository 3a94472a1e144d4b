/**
 * What a node registry (auto shards) owes: run it from each such storage's test file with a fresh
 * store, a second handle on it (another process, another node) and a way to age a beat by hand.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { SECOND } from "../../lib/duration.js";
import { nowUnixNanos } from "../../lib/nanos.js";
import { isNodeRegistry, type NodeRegistry, type Storage } from "../../lib/types.js";

export interface NodeContractOptions {
  /** A fresh, empty store; `again` opens the same store once more. */
  create(): Promise<{ storage: Storage; again: () => Promise<Storage> }>;
  /** Moves every beat of `node` back by `ns` in the store, as if it had been silent that long. */
  age(storage: Storage, node: string, ns: number): Promise<void>;
  /** The same store with `create: false` and no tables. */
  bare(): Promise<Storage>;
}

const MINUTE = 60 * SECOND;

function registry(s: Storage): NodeRegistry {
  assert.ok(isNodeRegistry(s), `${s.type} registers nodes`);
  return s;
}

export function nodeContract(name: string, opts: NodeContractOptions): void {
  test(`${name} nodes: each process beats its own row; every handle sees the live ones, by the server's clock in ns`, async () => {
    const { storage, again } = await opts.create();
    const other = await again();
    try {
      const [a, b] = [registry(storage), registry(other)];
      const alone = await a.heartbeat({ node: "eu-1", instance: "i-a" }, MINUTE, 10 * MINUTE);
      assert.deepEqual(alone.map((n) => [n.node, n.instance]), [["eu-1", "i-a"]]);
      const drift = Number(alone[0]!.at - nowUnixNanos());
      assert.ok(Math.abs(drift) < MINUTE, `a beat is Unix ns of now (this test's server is on this host): off by ${drift} ns`);
      await b.heartbeat({ node: "us-1", instance: "i-b" }, MINUTE, 10 * MINUTE);
      const twin = await b.heartbeat({ node: "eu-1", instance: "i-c" }, MINUTE, 10 * MINUTE);
      assert.deepEqual(twin.map((n) => [n.node, n.instance]), [["eu-1", "i-a"], ["eu-1", "i-c"], ["us-1", "i-b"]]);
      const beatAgain = await a.heartbeat({ node: "eu-1", instance: "i-a" }, MINUTE, 10 * MINUTE);
      assert.equal(beatAgain.length, 3, "a second beat replaces the row, it adds none");
      assert.ok(beatAgain[0]!.at >= alone[0]!.at, "the row holds the newer beat");
      await b.leave({ node: "eu-1", instance: "i-c" });
      const left = await a.heartbeat({ node: "eu-1", instance: "i-a" }, MINUTE, 10 * MINUTE);
      assert.deepEqual(left.map((n) => [n.node, n.instance]), [["eu-1", "i-a"], ["us-1", "i-b"]], "only the instance that left is gone");
    } finally {
      await storage.close?.();
      await other.close?.();
    }
  });

  test(`${name} nodes: a node silent past aliveFor is not live but kept, and deleted past forgetAfter`, async () => {
    const { storage } = await opts.create();
    try {
      const r = registry(storage);
      await r.heartbeat({ node: "gone-1", instance: "i-g" }, MINUTE, 10 * MINUTE);
      await opts.age(storage, "gone-1", 5 * MINUTE);
      const live = await r.heartbeat({ node: "eu-1", instance: "i-a" }, MINUTE, 10 * MINUTE);
      assert.deepEqual(live.map((n) => n.node), ["eu-1"], "5 minutes silent is not alive within 1 minute");
      const wide = await r.heartbeat({ node: "eu-1", instance: "i-a" }, 6 * MINUTE, 10 * MINUTE);
      assert.deepEqual(wide.map((n) => n.node), ["eu-1", "gone-1"], "still kept: alive within 6 minutes");
      await r.heartbeat({ node: "eu-1", instance: "i-a" }, MINUTE, 2 * MINUTE);
      const after = await r.heartbeat({ node: "eu-1", instance: "i-a" }, 6 * MINUTE, 10 * MINUTE);
      assert.deepEqual(after.map((n) => n.node), ["eu-1"], "forgotten once silent past forgetAfter");
    } finally {
      await storage.close?.();
    }
  });

  test(`${name} nodes: create false without the table says how to fix it`, async () => {
    const bare = await opts.bare();
    try {
      await assert.rejects(registry(bare).heartbeat({ node: "eu-1", instance: "i-a" }, MINUTE, 10 * MINUTE),
        /table "checkup_nodes" does not exist: set "create": true/);
    } finally {
      await bare.close?.();
    }
  });
}
