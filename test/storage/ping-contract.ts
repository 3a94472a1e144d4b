/**
 * What a storage that keeps heartbeat pings owes: run it from each such storage's test file with
 * a factory for a fresh store, and a second handle on the same store (another process, another node).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pingKey } from "../../lib/ping.js";
import { isPingStore, type Storage } from "../../lib/types.js";

export interface PingContractOptions {
  /** A fresh, empty store; calling `again` opens the same store once more. */
  create(): Promise<{ storage: Storage; again: () => Promise<Storage> }>;
}

const KEY = pingKey("contract-token-0123456789");
const OTHER = pingKey("another-token-0123456789");

export function pingContract(name: string, opts: PingContractOptions): void {
  test(`${name} pings: the latest ping per key reads back exactly; a new one replaces it`, async () => {
    const { storage } = await opts.create();
    try {
      assert.ok(isPingStore(storage), `${name} keeps pings`);
      assert.equal(await storage.lastPing(KEY), undefined);
      const failed = { at: 1718000000987654321n, status: 3, message: "disk full ✗ <b>\n" };
      await storage.recordPing(KEY, failed);
      assert.deepEqual(await storage.lastPing(KEY), failed);
      assert.equal(await storage.lastPing(OTHER), undefined, "keys are apart");
      await storage.recordPing(KEY, { at: 1718000000987654999n, status: 0 });
      assert.deepEqual(await storage.lastPing(KEY), { at: 1718000000987654999n, status: 0 }, "no message left from the last ping");
    } finally {
      await storage.close?.();
    }
  });

  test(`${name} pings: another handle sees them; concurrent pings from two handles all land, one wins`, async () => {
    const { storage, again } = await opts.create();
    const other = await again();
    try {
      assert.ok(isPingStore(storage) && isPingStore(other));
      const pings = Array.from({ length: 10 }, (_, i) => ({ at: 1718000000000000000n + BigInt(i), status: i }));
      await Promise.all(pings.map((p, i) => (i % 2 ? other : storage).recordPing(KEY, p)));
      const last = await other.lastPing(KEY);
      assert.ok(last && pings.some((p) => p.at === last.at && p.status === last.status), JSON.stringify(String(last?.at)));
      assert.deepEqual(await storage.lastPing(KEY), last);
    } finally {
      await storage.close?.();
      await other.close?.();
    }
  });
}
