/**
 * Cases every SQL dialect owes checkup, beyond the storage contract: rows the Go checkup wrote
 * read back exactly, what we write is what Go writes, `create: false` explains a missing table,
 * and no error shows the DSN's password.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Report, Scope, type Raw } from "../../lib/config/fields.js";
import { parseStorage } from "../../lib/storage/index.js";
import { isMaintainer, isPingStore, isSharedStore, isStorageReader, type Result, type Storage } from "../../lib/types.js";
import { storageContract } from "./contract.js";
import { pingContract } from "./ping-contract.js";
import { nodeContract } from "./node-contract.js";

/** Opens a storage from a config object, as `checkup` does; the config must have no problems. */
export async function openStorage(raw: Raw): Promise<Storage> {
  const report = new Report();
  const spec = await parseStorage(raw, new Scope(report, "storage"));
  assert.deepEqual(report.problems, []);
  return spec!.open();
}

export interface SqlDialectTest {
  /** The storage config for a fresh, empty database (without `create`). */
  fresh(): Promise<Raw>;
  /** Runs SQL in that database outside the storage (as the Go checkup or a DBA would). */
  exec(config: Raw, sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** The password inside the DSNs `fresh()` returns. */
  password: string;
  /** A config whose server is not there (same password). */
  unreachable(): Promise<Raw>;
  /** The dialect's `?` or `$1` placeholders. */
  param(n: number): string;
}

/** A round as the Go checkup stores it: 19-digit ns, Go's \u003c escapes, compact, no newline. */
const GO_NAME = "1533485310451449272-check.json";
const GO_STORED_AT = "1533485310452963611";
const GO_RESULTS = '[{"title":"a \\u003cb\\u003e \\u0026 ✓","endpoint":"https://example.org/x","timestamp":1533485310445212012,' +
  '"times":[{"rtt":81234567},{"rtt":0,"error":"dial tcp: i/o timeout"}],"threshold":300000000,"down":true}]';

/** GO_RESULTS as Results. */
const GO_ROUND: Result[] = [{
  title: "a <b> & ✓", endpoint: "https://example.org/x", timestamp: 1533485310445212012n,
  times: [{ rtt: 81234567 }, { rtt: 0, error: "dial tcp: i/o timeout" }], threshold: 300000000, down: true,
}];

export function sqlCases(type: string, d: SqlDialectTest): void {
  storageContract(type, { create: async (checkExpiry) => openStorage({ ...await d.fresh(), create: true, check_expiry: checkExpiry }) });
  pingContract(type, {
    create: async () => {
      const config = { ...await d.fresh(), create: true };
      return { storage: await openStorage(config), again: () => openStorage(config) };
    },
  });

  const registryConfigs = new WeakMap<Storage, Raw>();
  nodeContract(type, {
    create: async () => {
      const config = { ...await d.fresh(), create: true };
      const storage = await openStorage(config);
      registryConfigs.set(storage, config);
      return { storage, again: () => openStorage(config) };
    },
    age: async (storage, node, ns) => {
      await d.exec(registryConfigs.get(storage)!, `UPDATE checkup_nodes SET beat_at = beat_at - ${ns} WHERE node = ${d.param(1)}`, [node]);
    },
    bare: async () => openStorage({ ...await d.fresh(), create: false }),
  });

  test(`${type}: eight processes making the tables at the same moment all succeed`, async () => {
    const config = { ...await d.fresh(), create: true };
    const handles = await Promise.all(Array.from({ length: 8 }, () => openStorage(config)));
    try {
      await Promise.all(handles.map((h, i) => (isPingStore(h) ? h.recordPing("c".repeat(64), { at: BigInt(i + 1), status: 0 }) : undefined)));
      await Promise.all(handles.map((h) => h.store([])));
    } finally {
      await Promise.all(handles.map((h) => h.close?.()));
    }
  });

  test(`${type}: pings live in one table, checkup_heartbeats, made on first use; create false without it says how to fix it`, async () => {
    const config = { ...await d.fresh(), create: true };
    const storage = await openStorage(config);
    try {
      assert.ok(isPingStore(storage));
      await storage.store([]);
      await assert.rejects(d.exec(config, "SELECT * FROM checkup_heartbeats"), "no table before a heartbeat uses it");
      await storage.recordPing("a".repeat(64), { at: 1718000000987654321n, status: 1, message: "m" });
      const rows = await d.exec(config, "SELECT ping_key, pinged_at, status, message FROM checkup_heartbeats");
      assert.deepEqual(rows.map((r) => [r.ping_key, String(r.pinged_at), Number(r.status), r.message]), [["a".repeat(64), "1718000000987654321", 1, "m"]]);
    } finally {
      await storage.close?.();
    }
    const bare = await openStorage({ ...await d.fresh(), create: false });
    try {
      assert.ok(isPingStore(bare));
      await assert.rejects(bare.lastPing("a".repeat(64)), /table "checkup_heartbeats" does not exist: set "create": true/);
    } finally {
      await bare.close?.();
    }
  });

  test(`${type}: shared documents are rows of checkup_shared, made by create; without it the error says how to make it`, async () => {
    const config = { ...await d.fresh(), create: true };
    const storage = await openStorage(config);
    try {
      assert.ok(isSharedStore(storage));
      await storage.updateShared("alerts", async () => ({ text: '{"a":1}', value: undefined }));
      const rows = await d.exec(config, "SELECT name, body, updated_at FROM checkup_shared");
      assert.deepEqual(rows.map((r) => [r.name, r.body]), [["alerts", '{"a":1}']]);
      assert.match(String(rows[0]!.updated_at), /^\d{19}$/, "Unix ns");
    } finally {
      await storage.close?.();
    }
    const bare = await openStorage({ ...await d.fresh(), create: false });
    try {
      assert.ok(isSharedStore(bare));
      await assert.rejects(bare.readShared("alerts"), /table "checkup_shared" does not exist: set "create": true/);
      await assert.rejects(bare.updateShared("alerts", async () => ({ text: "{}", value: undefined })), /table "checkup_shared" does not exist: set "create": true/);
    } finally {
      await bare.close?.();
    }
  });

  test(`${type}: a row the Go checkup wrote reads back exactly`, async () => {
    const config = { ...await d.fresh(), create: true };
    const storage = await openStorage(config);
    try {
      assert.ok(isStorageReader(storage));
      await storage.index(); // creates the table
      await d.exec(config, `INSERT INTO checks (name, timestamp, results) VALUES (${d.param(1)}, ${d.param(2)}, ${d.param(3)})`,
        [GO_NAME, BigInt(GO_STORED_AT), GO_RESULTS]);
      assert.deepEqual(await storage.index(), new Map([[GO_NAME, BigInt(GO_STORED_AT)]]));
      assert.deepEqual(await storage.fetch(GO_NAME), GO_ROUND);
    } finally {
      await storage.close?.();
    }
  });

  test(`${type}: a stored row is what Go writes (compact JSON, exact 19-digit timestamp)`, async () => {
    const config = { ...await d.fresh(), create: true };
    const storage = await openStorage(config);
    try {
      const name = await storage.store(GO_ROUND, 1718000000987654321n);
      const [row] = await d.exec(config, `SELECT timestamp, results FROM checks WHERE name = ${d.param(1)}`, [name]);
      assert.equal(name, "1718000000987654321-check.json");
      assert.equal(row!.results, GO_RESULTS);
      assert.match(String(row!.timestamp), /^\d{19}$/);
      assert.ok(BigInt(String(row!.timestamp)) > 1718000000987654321n);
    } finally {
      await storage.close?.();
    }
  });

  test(`${type}: create false on a database without the table says how to fix it`, async () => {
    const storage = await openStorage({ ...await d.fresh(), create: false });
    try {
      await assert.rejects(storage.store([]), /table "checks" does not exist: set "create": true/);
      assert.ok(isStorageReader(storage));
      await assert.rejects(storage.index(), /table "checks" does not exist/);
    } finally {
      await storage.close?.();
    }
  });

  test(`${type}: create true on an existing table keeps its rows; maintain deletes by the stored ns`, async () => {
    const config = { ...await d.fresh(), create: true, check_expiry: 60_000_000_000 };
    const first = await openStorage(config);
    const name = await first.store([]);
    await first.close?.();
    const second = await openStorage(config);
    try {
      assert.ok(isStorageReader(second) && isMaintainer(second));
      assert.deepEqual([...(await second.index()).keys()], [name]);
      const storedAt = (await second.index()).get(name)!;
      assert.deepEqual((await second.maintain(storedAt + 60_000_000_000n)).removed, []);
      assert.deepEqual((await second.maintain(storedAt + 60_000_000_001n)).removed, [name]);
      await assert.rejects(second.fetch(name), /no stored round named "1\d{18}-check.json"/);
    } finally {
      await second.close?.();
    }
  });

  test(`${type}: errors name the server but never the password`, async () => {
    // Opening may fail already (SQLite) or only on first use (pools connect lazily).
    const error = await openStorage({ ...await d.unreachable(), create: true })
      .then((storage) => storage.store([]).finally(() => storage.close?.()))
      .then(() => undefined, (e: Error) => e);
    assert.ok(error, "storing to a server that is not there fails");
    assert.match(error.message, new RegExp(`^${type} storage \\(`));
    assert.doesNotMatch(error.message, new RegExp(d.password));
  });
}
