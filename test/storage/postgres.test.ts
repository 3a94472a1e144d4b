import assert from "node:assert/strict";
import { test } from "node:test";
import pg from "pg";
import { Report, Scope } from "../../lib/config/fields.js";
import { parsePgDsn } from "../../lib/storage/postgres.js";
import { closedPort } from "../helpers/http-server.js";
import { startPostgres } from "../helpers/postgres.js";
import { sqlCases } from "./sql-cases.js";

const server = await startPostgres();

sqlCases("postgres", {
  fresh: async () => ({ type: "postgres", dsn: await server.newDatabase() }),
  exec: async (config, sql, params = []) => {
    const client = new pg.Client({ connectionString: String(config.dsn) });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  },
  password: "pg-secret-pw",
  unreachable: async () => ({ type: "postgres", dsn: `postgres://checkup:pg-secret-pw@127.0.0.1:${await closedPort()}/x?sslmode=disable` }),
  param: (n) => `$${n}`,
});

test("postgres: the schema is checkup's (INT8 timestamp, unique index idx_checks_timestamp)", async () => {
  const dsn = await server.newDatabase();
  const { openStorage } = await import("./sql-cases.js");
  const storage = await openStorage({ type: "postgres", dsn, create: true });
  await storage.store([]);
  await storage.close?.();
  const db = new URL(dsn).pathname.slice(1);
  const columns = await server.query(
    "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 'checks' ORDER BY ordinal_position", db);
  assert.deepEqual(columns, [
    { column_name: "name", data_type: "text", is_nullable: "NO" },
    { column_name: "timestamp", data_type: "bigint", is_nullable: "NO" },
    { column_name: "results", data_type: "text", is_nullable: "YES" },
  ]);
  const indexes = await server.query("SELECT indexname FROM pg_indexes WHERE tablename = 'checks' ORDER BY indexname", db);
  assert.deepEqual(indexes.map((r) => r.indexname), ["checks_pkey", "idx_checks_timestamp"]);
});

test("postgres: DSNs in lib/pq's two forms, sslmode as lib/pq reads it", () => {
  const at = new Scope(new Report(), "storage");
  const kv = parsePgDsn("host=db.internal port=5433 user=checkup password='a b\\'c' dbname=checks sslmode=disable", at, "dsn");
  const problems = at.report.problems;
  assert.equal(problems.length, 0);
  assert.equal(kv!.config.password, "a b'c");
  assert.equal(kv!.target, "postgres://checkup@db.internal:5433/checks");
  assert.equal(kv!.config.ssl, false);
  const url = parsePgDsn("postgres://u%40x:p%2Fw@[::1]/d", at, "dsn");
  assert.deepEqual({ ...url!.config, ssl: undefined }, { host: "::1", port: 5432, user: "u@x", password: "p/w", database: "d", ssl: undefined });
  assert.deepEqual(url!.config.ssl, { rejectUnauthorized: false }, "no sslmode = require, as lib/pq");
  parsePgDsn("postgres://u:topsecret@h/d?sslmode=prefer", at, "dsn");
  parsePgDsn("host=h search_path=x", at, "dsn");
  parsePgDsn("host=h connect_timeout=86400", at, "dsn");
  assert.deepEqual(problems.map((p) => `${p.path}: ${p.message}`), [
    'storage.dsn: sslmode "prefer" is not supported; use one of: disable, require, verify-ca, verify-full',
    "storage.dsn: unsupported setting search_path; supported: host, port, user, password, dbname, sslmode, connect_timeout, application_name",
    "storage.dsn: port must be 1-65535 and connect_timeout whole seconds from 0 to 3600",
  ]);
});
