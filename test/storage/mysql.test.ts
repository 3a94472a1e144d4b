import assert from "node:assert/strict";
import { test } from "node:test";
import mysql from "mysql2/promise";
import { Report, Scope } from "../../lib/config/fields.js";
import { parseMysqlDsn } from "../../lib/storage/mysql.js";
import { closedPort } from "../helpers/http-server.js";
import { startMysql } from "../helpers/mysql.js";
import { openStorage, sqlCases } from "./sql-cases.js";

const server = await startMysql();

sqlCases("mysql", {
  fresh: async () => ({ type: "mysql", dsn: await server.newDatabase() }),
  exec: async (config, sql, params = []) => {
    const db = /\/(\w+)\?/.exec(String(config.dsn))![1];
    const conn = await mysql.createConnection({ host: "127.0.0.1", port: server.port, user: "checkup", password: "my-secret-pw",
      database: db, supportBigNumbers: true, bigNumberStrings: true });
    try {
      const [rows] = await conn.query(sql, params);
      return Array.isArray(rows) ? rows as Record<string, unknown>[] : [];
    } finally {
      await conn.end();
    }
  },
  password: "my-secret-pw",
  unreachable: async () => ({ type: "mysql", dsn: `checkup:my-secret-pw@tcp(127.0.0.1:${await closedPort()})/x` }),
  param: () => "?",
});

test("mysql: the schema is checkup's (VARCHAR(512) key, BIGINT unique timestamp, TEXT results, InnoDB)", async () => {
  const dsn = await server.newDatabase();
  const storage = await openStorage({ type: "mysql", dsn, create: true });
  await storage.store([]);
  await storage.close?.();
  const db = /\/(\w+)\?/.exec(dsn)![1];
  const columns = await server.query(`SELECT COLUMN_NAME c, COLUMN_TYPE t, IS_NULLABLE n, COLUMN_KEY k FROM information_schema.COLUMNS
    WHERE TABLE_SCHEMA = '${db}' AND TABLE_NAME = 'checks' ORDER BY ORDINAL_POSITION`);
  assert.deepEqual(JSON.parse(JSON.stringify(columns)), [
    { c: "name", t: "varchar(512)", n: "NO", k: "PRI" },
    { c: "timestamp", t: "bigint(20)", n: "NO", k: "UNI" },
    { c: "results", t: "text", n: "YES", k: "" },
  ]);
});

test("mysql: go-sql-driver DSNs and mysql:// URLs", () => {
  const at = new Scope(new Report(), "storage");
  const go = parseMysqlDsn("u:p@ss:w@rd@tcp([::1]:3307)/checkup?parseTime=true&tls=skip-verify&timeout=5s", at, "dsn")!;
  assert.deepEqual(go.config, {
    user: "u", password: "p@ss:w@rd", database: "checkup", host: "::1", port: 3307, ssl: { rejectUnauthorized: false },
    connectTimeout: 5000, supportBigNumbers: true, bigNumberStrings: true, charset: "utf8mb4_unicode_ci",
  });
  assert.equal(go.target, "mysql://u@::1:3307/checkup");
  assert.equal(parseMysqlDsn("/checkup", at, "dsn")!.target, "mysql://127.0.0.1:3306/checkup");
  assert.equal(parseMysqlDsn("root@unix(/run/mysqld/mysqld.sock)/c", at, "dsn")!.config.socketPath, "/run/mysqld/mysqld.sock");
  assert.equal(parseMysqlDsn("mysql://a:b%40c@db:3310/d", at, "dsn")!.config.password, "b@c");
  const problems = at.report.problems;
  assert.equal(problems.length, 0);
  parseMysqlDsn("u:secret@tcp(h)/d?tls=preferred", at, "dsn");
  parseMysqlDsn("just-a-host", at, "dsn");
  parseMysqlDsn("u:secret@tcp(h:99999)/d", at, "dsn");
  parseMysqlDsn("u:secret@tcp(h)/d?timeout=3h", at, "dsn");
  assert.deepEqual(problems.map((p) => `${p.path}: ${p.message}`), [
    "storage.dsn: unsupported setting tls=preferred; supported: tls (true, false, skip-verify), timeout (e.g. 10s, at most 1h)",
    'storage.dsn: expected a DSN like "user:password@tcp(127.0.0.1:3306)/checkup" or mysql://user:password@host:3306/checkup',
    "storage.dsn: port must be 1-65535, got 99999",
    "storage.dsn: unsupported setting timeout=3h; supported: tls (true, false, skip-verify), timeout (e.g. 10s, at most 1h)",
  ]);
});
