/**
 * What a SharedStore owes the nodes of a fleet (quorum alert state): run it for each storage type
 * with a factory for the config of a fresh, empty store. Every handle opened from that config is
 * another node; with `processes`, nodes also run as separate OS processes (shared-counter.ts).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import type { Raw } from "../../lib/config/fields.js";
import { nowUnixNanos } from "../../lib/nanos.js";
import { isMaintainer, isSharedStore, isStorageReader, type SharedStore, type Storage } from "../../lib/types.js";
import { REPO } from "../helpers/paths.js";
import { increment } from "../helpers/shared-counter.js";
import { openStorage } from "./sql-cases.js";

export interface SharedContractOptions {
  /** The storage config of a fresh, empty store (with `create` where the type needs it). */
  fresh(): Promise<Raw>;
  /** Also run the counter in separate OS processes (the store is reachable from a child). */
  processes?: boolean;
  /** How many conditional writes the server has refused so far: compare-and-swap stores prove the race was run. */
  conflicts?(): number;
}

const COUNTER_SCRIPT = path.join(REPO, "dist", "test", "helpers", "shared-counter.js");
const NODES = 4;
const TIMES = 12;

async function openShared(config: Raw): Promise<Storage & SharedStore> {
  const storage = await openStorage(config);
  assert.ok(isSharedStore(storage), `${storage.type} is a SharedStore`);
  return storage;
}

async function closeAll(stores: Storage[]): Promise<void> {
  await Promise.all(stores.map((s) => s.close?.()));
}

/** Starts `nodes` counter processes, lets them go at once when all are ready; resolves with their exit codes. */
async function counterProcesses(config: Raw, name: string, nodes: number, times: number): Promise<(number | null)[]> {
  const children = Array.from({ length: nodes }, () =>
    spawn(process.execPath, [COUNTER_SCRIPT, JSON.stringify(config), name, String(times)], { stdio: ["pipe", "pipe", "inherit"] }));
  const exits = children.map((child) => new Promise<number | null>((resolve) => child.once("exit", resolve)));
  const ready = children.map((child) => new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", (line) => (line === "ready" ? resolve() : reject(new Error(line))));
    child.once("exit", (code) => reject(new Error(`a counter process exited (${code}) before it was ready`)));
  }));
  await Promise.all(ready);
  for (const child of children) child.stdin!.end("go\n");
  return Promise.all(exits);
}

export function sharedContract(name: string, opts: SharedContractOptions): void {
  test(`${name} shared: a missing document reads as undefined; an update creates it and the next one sees it`, async () => {
    const store = await openShared(await opts.fresh());
    try {
      assert.equal(await store.readShared("alerts"), undefined);
      const seen: (string | undefined)[] = [];
      const text = JSON.stringify({ down: ["a ✓ <b>"], at: "1718000000987654321" });
      assert.equal(await store.updateShared("alerts", async (current) => (seen.push(current), { text, value: "first" })), "first");
      assert.equal(await store.readShared("alerts"), text);
      assert.equal(await store.readShared("other"), undefined, "documents are apart");
      await store.updateShared("alerts", async (current) => (seen.push(current), { text: "{}", value: 2 }));
      assert.deepEqual(seen, [undefined, text]);
      assert.equal(await store.readShared("alerts"), "{}");
      await assert.rejects(store.readShared("../x"), /invalid shared document name/);
    } finally {
      await store.close?.();
    }
  });

  test(`${name} shared: ${NODES} nodes adding 1 ${TIMES} times each at once make exactly ${NODES * TIMES}`, async () => {
    const config = await opts.fresh();
    const nodes = await Promise.all(Array.from({ length: NODES }, () => openShared(config)));
    const conflictsBefore = opts.conflicts?.() ?? 0;
    try {
      const values = (await Promise.all(nodes.map(async (node) => {
        const mine: number[] = [];
        for (let i = 0; i < TIMES; i++) mine.push(await increment(node, "counter"));
        return mine;
      }))).flat();
      assert.equal(await nodes[0]!.readShared("counter"), JSON.stringify({ n: NODES * TIMES }));
      assert.deepEqual(values.sort((a, b) => a - b), Array.from({ length: NODES * TIMES }, (_, i) => i + 1), "each update saw the one before it");
      if (opts.conflicts) assert.ok(opts.conflicts() > conflictsBefore, "the nodes raced: some conditional writes were refused and redone");
    } finally {
      await closeAll(nodes);
    }
  });

  if (opts.processes) {
    test(`${name} shared: ${NODES} OS processes adding 1 ${TIMES} times each at once make exactly ${NODES * TIMES}`, async () => {
      const config = await opts.fresh();
      assert.deepEqual(await counterProcesses(config, "counter", NODES, TIMES), Array(NODES).fill(0));
      const store = await openShared(config);
      try {
        assert.equal(await store.readShared("counter"), JSON.stringify({ n: NODES * TIMES }));
      } finally {
        await store.close?.();
      }
    });
  }

  test(`${name} shared: an update that throws changes nothing, and its error comes out as it is`, async () => {
    const store = await openShared(await opts.fresh());
    try {
      const boom = new Error("the update failed");
      await assert.rejects(store.updateShared("alerts", async () => {
        throw boom;
      }), (e) => e === boom);
      assert.equal(await store.readShared("alerts"), undefined, "a first update that failed leaves no document");
      await store.updateShared("alerts", async () => ({ text: '{"n":5}', value: undefined }));
      await assert.rejects(store.updateShared("alerts", async () => {
        throw boom;
      }), (e) => e === boom);
      assert.equal(await store.readShared("alerts"), '{"n":5}');
      assert.equal(await increment(store, "alerts"), 6, "the store still takes updates");
    } finally {
      await store.close?.();
    }
  });

  test(`${name} shared: documents are not rounds: index() never lists them, maintain() never removes them`, async () => {
    const store = await openShared({ ...await opts.fresh(), check_expiry: 60_000_000_000 });
    try {
      await store.updateShared("alerts", async () => ({ text: '{"n":1}', value: undefined }));
      const round = await store.store([{ title: "a", timestamp: nowUnixNanos(), times: [{ rtt: 1 }], healthy: true }]);
      assert.ok(isStorageReader(store) && isMaintainer(store));
      assert.deepEqual([...(await store.index()).keys()], [round]);
      const { removed } = await store.maintain(nowUnixNanos() + 120_000_000_000n);
      assert.deepEqual(removed, [round], "the expired round went");
      assert.deepEqual([...(await store.index()).keys()], []);
      assert.equal(await store.readShared("alerts"), '{"n":1}', "the shared document stayed");
    } finally {
      await store.close?.();
    }
  });
}
