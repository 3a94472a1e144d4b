/**
 * The behaviour every storage type owes checkup: run it from each storage's test file with a
 * factory for a fresh, empty store. Capabilities (reader, maintainer) are tested where present.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkFileName } from "../../lib/files/index-file.js";
import { isMaintainer, isStorageReader, type Result, type Storage } from "../../lib/types.js";

const round = (title: string, ns: bigint): Result[] => [
  { title, endpoint: `https://${title}.example/health`, timestamp: ns, times: [{ rtt: 1500 }, { rtt: 0, error: "response status 502 Bad Gateway" }], down: true },
  { title: `${title} <b>&`, timestamp: ns, times: [{ rtt: 81234567 }], threshold: 300000000, healthy: true, message: "<i>x</i>" },
];

export interface ContractOptions {
  /** A fresh, empty storage, with `checkExpiry` (integer ns; 0 = keep forever). */
  create(checkExpiry: number): Promise<Storage>;
  /** Concurrent writers to try (default 10). */
  concurrentWriters?: number;
}

export function storageContract(name: string, opts: ContractOptions): void {
  test(`${name} contract: store returns <ns>-check.json for the given time`, async () => {
    const storage = await opts.create(0);
    try {
      const at = 1718000000987654321n;
      assert.equal(await storage.store(round("a", at), at), checkFileName(at));
    } finally {
      await storage.close?.();
    }
  });

  test(`${name} contract: what is stored reads back exactly through index and fetch`, async (t) => {
    const storage = await opts.create(0);
    try {
      if (!isStorageReader(storage)) return t.skip("not a reader");
      const at = 1718000000987654321n;
      const name = await storage.store(round("a", at), at);
      const index = await storage.index();
      assert.deepEqual([...index.keys()], [name]);
      assert.ok(index.get(name)! >= at, "index time is the store time");
      assert.deepEqual(await storage.fetch(name), round("a", at));
    } finally {
      await storage.close?.();
    }
  });

  test(`${name} contract: storing the same round twice keeps one`, async () => {
    const storage = await opts.create(0);
    try {
      const at = 1718000000987654321n;
      const name = await storage.store(round("a", at), at);
      // What a spool replay does after a later step (summaries, index) failed the first store.
      assert.equal(await storage.store(round("a", at), at), name);
      if (isStorageReader(storage)) {
        assert.deepEqual([...(await storage.index()).keys()], [name]);
        assert.deepEqual(await storage.fetch(name), round("a", at));
      }
    } finally {
      await storage.close?.();
    }
  });

  test(`${name} contract: maintain removes only rounds older than check_expiry`, async (t) => {
    const hour = 3_600_000_000_000;
    const storage = await opts.create(hour);
    try {
      if (!isMaintainer(storage) || !isStorageReader(storage)) return t.skip("not a maintainer and reader");
      const fresh = await storage.store(round("fresh", 1n), undefined);
      const { removed } = await storage.maintain(BigInt(Date.now()) * 1_000_000n + BigInt(hour) / 2n);
      assert.deepEqual(removed, []);
      const later = BigInt(Date.now()) * 1_000_000n + 2n * BigInt(hour);
      assert.deepEqual((await storage.maintain(later)).removed, [fresh]);
      assert.equal((await storage.index()).size, 0);
    } finally {
      await storage.close?.();
    }
  });

  test(`${name} contract: concurrent stores lose nothing`, async (t) => {
    const storage = await opts.create(0);
    try {
      if (!isStorageReader(storage)) return t.skip("not a reader");
      const n = opts.concurrentWriters ?? 10;
      const at = 1718000000000000000n;
      const names = await Promise.all(Array.from({ length: n }, (_, i) => storage.store(round(`r${i}`, at), at)));
      assert.equal(new Set(names).size, n, "the same nanosecond still gives distinct names");
      const index = await storage.index();
      assert.deepEqual([...index.keys()].sort(), [...names].sort());
      const titles = await Promise.all(names.map(async (name) => (await storage.fetch(name))[0]!.title));
      assert.deepEqual(titles.sort(), Array.from({ length: n }, (_, i) => `r${i}`).sort());
    } finally {
      await storage.close?.();
    }
  });
}
