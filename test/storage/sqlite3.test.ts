import assert from "node:assert/strict";
import { rename, unlink } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { Report, Scope } from "../../lib/config/fields.js";
import { parseSqliteDsn } from "../../lib/storage/sqlite3.js";
import { isStorageReader } from "../../lib/types.js";
import { tmpDir } from "../helpers/tmp.js";
import { openStorage, sqlCases } from "./sql-cases.js";

sqlCases("sqlite3", {
  fresh: async () => ({ type: "sqlite3", dsn: path.join(await tmpDir(), "checkup.db") }),
  exec: async (config, sql, params = []) => {
    const db = new Database(String(config.dsn));
    try {
      const stmt = db.prepare(sql);
      return stmt.reader ? stmt.safeIntegers(true).all(...params) as Record<string, unknown>[] : (stmt.run(...params), []);
    } finally {
      db.close();
    }
  },
  password: "no-password-in-sqlite",
  unreachable: async () => ({ type: "sqlite3", dsn: path.join(await tmpDir(), "missing-folder", "checkup.db") }),
  param: () => "?",
});

test("sqlite3: the schema is checkup's, byte for byte", async () => {
  const file = path.join(await tmpDir(), "checkup.db");
  const storage = await openStorage({ type: "sqlite3", dsn: file, create: true });
  await storage.store([]);
  await storage.close?.();
  const db = new Database(file, { readonly: true });
  const sql = db.prepare("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'checks' ORDER BY name").all();
  db.close();
  assert.deepEqual(sql, [
    { name: "checks", sql: "CREATE TABLE checks (\n    name TEXT NOT NULL PRIMARY KEY,\n    timestamp INT8 NOT NULL,\n    results TEXT\n)" },
    { name: "idx_checks_timestamp", sql: "CREATE UNIQUE INDEX idx_checks_timestamp ON checks(timestamp)" },
    { name: "sqlite_autoindex_checks_1", sql: null },
  ]);
});

test("sqlite3: Go's file: URIs", () => {
  const at = new Scope(new Report(), "storage");
  assert.deepEqual(parseSqliteDsn("file:/var/lib/checkup.db?mode=ro&_busy_timeout=9000&cache=shared", at, "dsn"),
    { file: "/var/lib/checkup.db", readonly: true, busyTimeout: 9000 });
  assert.deepEqual(at.report.warnings, [{ path: "storage.dsn", message: "setting cache=shared is ignored" }]);
  parseSqliteDsn("file:c.db?_busy_timeout=99999999999", at, "dsn");
  assert.deepEqual(at.report.problems, [{ path: "storage.dsn", message: "_busy_timeout must be at most 3600000 (milliseconds, 1h), got 99999999999" }]);
});

const round = (title: string) => [{ title, timestamp: 1718000000123456789n, times: [{ rtt: 1 }], healthy: true }];

test("sqlite3: a database file deleted under a running storage is made again by the next store", async () => {
  const file = path.join(await tmpDir(), "checkup.db");
  const storage = await openStorage({ type: "sqlite3", dsn: file, create: true });
  try {
    await storage.store(round("before"), 1718000000000000001n);
    await unlink(file);
    const after = await storage.store(round("after"), 1718000000000000002n);
    const db = new Database(file, { readonly: true });
    assert.deepEqual(db.prepare("SELECT name FROM checks").all(), [{ name: after }], "the round is in the new file");
    db.close();
  } finally {
    await storage.close?.();
  }
});

test("sqlite3: a database file replaced under a running storage is written from the next store on", async () => {
  const dir = await tmpDir();
  const file = path.join(dir, "checkup.db");
  const storage = await openStorage({ type: "sqlite3", dsn: file, create: true });
  try {
    await storage.store(round("old file"), 1718000000000000001n);
    const restored = path.join(dir, "restored.db");
    const db = new Database(restored);
    db.exec("CREATE TABLE checks (name TEXT NOT NULL PRIMARY KEY, timestamp INT8 NOT NULL, results TEXT)");
    db.prepare("INSERT INTO checks VALUES ('1-check.json', 1, '[]')").run();
    db.close();
    await rename(restored, file);
    const name = await storage.store(round("new file"), 1718000000000000002n);
    assert.ok(isStorageReader(storage));
    assert.deepEqual([...(await storage.index()).keys()].sort(), ["1-check.json", name]);
  } finally {
    await storage.close?.();
  }
});
