/** The legacy `sql` storage: old configs validate and run unchanged, on SQLite and PostgreSQL. */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { parseResults } from "../../lib/result.js";
import { CHECKS_SCHEMA } from "../../lib/storing/sql-store.js";
import { isStorageReader } from "../../lib/types.js";
import { runCli } from "../helpers/cli.js";
import { startHttpServer } from "../helpers/http-server.js";
import { COMPAT } from "../helpers/paths.js";
import { startPostgres } from "../helpers/postgres.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";
import { openStorage } from "./sql-cases.js";

test("a checkup config with provider sql and a nested postgresql object validates", async () => {
  const file = path.join(COMPAT, "configs", "insight-icon__checkup-icon__checkup.json");
  const run = await runCli(["-c", file, "validate"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, `${file}: OK (121 checkers, storage sql, 0 notifiers)\n`);
  assert.equal(run.stderr, `warning: ${file}: storage.provider: "sql" is deprecated (as in checkup): ` +
    `prefer "type": "postgres" with a "dsn", or "type": "sqlite3"; it keeps working\n`);
});

test("sql with sqlite_db_file: checkup --store writes a row into a table made as checkup's docs say", async () => {
  const web = await startHttpServer((_req, res) => res.end("ok"));
  const dir = await tmpDir();
  const dbFile = path.join(dir, "checkup.db");
  const db = new Database(dbFile);
  for (const statement of CHECKS_SCHEMA) db.exec(statement);
  db.close();
  const config = await writeConfig({
    checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: web.url }],
    storage: { provider: "sql", sqlite_db_file: dbFile },
    spool_dir: path.join(dir, "spool"),
  });
  const run = await runCli(["-c", config, "--store"]);
  assert.equal(run.code, 0, run.stderr);
  const rows = new Database(dbFile, { readonly: true }).prepare("SELECT name, timestamp, results FROM checks").safeIntegers(true).all() as
    { name: string; timestamp: bigint; results: string }[];
  assert.equal(rows.length, 1);
  assert.match(rows[0]!.name, /^\d{19}-check\.json$/);
  assert.match(String(rows[0]!.timestamp), /^\d{19}$/);
  const [result] = parseResults(rows[0]!.results);
  assert.deepEqual([result!.title, result!.endpoint, result!.healthy], ["Web", web.url, true]);
});

test("sql with a nested postgresql object stores and reads back on a real server", async () => {
  const server = await startPostgres();
  const dsn = new URL(await server.newDatabase());
  const storage = await openStorage({
    type: "sql", create: true,
    postgresql: { host: "127.0.0.1", port: Number(dsn.port), user: "checkup", password: "pg-secret-pw", dbname: dsn.pathname.slice(1), sslmode: "disable" },
  });
  try {
    const name = await storage.store([{ title: "DB", timestamp: 1718000000123456789n, times: [{ rtt: 5 }], healthy: true }]);
    assert.ok(isStorageReader(storage));
    assert.deepEqual([...(await storage.index()).keys()], [name]);
    assert.equal((await storage.fetch(name))[0]!.timestamp, 1718000000123456789n);
  } finally {
    await storage.close?.();
  }
});

test("validate never loads a driver; storing does", async () => {
  const dir = await tmpDir();
  const probe = path.join(dir, "probe.mjs");
  await writeFile(probe, `import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
process.on("exit", () => {
  const loaded = Object.keys(require.cache).filter((k) => /node_modules\\/(pg|mysql2|better-sqlite3)\\//.test(k));
  if (loaded.length > 0) process.stderr.write("drivers loaded\\n");
});
`);
  const env = { NODE_OPTIONS: `--import=${probe}` };
  for (const storage of [
    { type: "postgres", dsn: "postgres://u:p@127.0.0.1:1/d" },
    { type: "mysql", dsn: "u:p@tcp(127.0.0.1:1)/d" },
    { type: "sqlite3", dsn: path.join(dir, "a.db"), create: true },
  ]) {
    const config = await writeConfig({ checkers: [{ type: "exec", name: "true", command: "true" }], storage, spool_dir: path.join(dir, "spool") });
    const run = await runCli(["-c", config, "validate"], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /drivers loaded/, storage.type);
    if (storage.type === "sqlite3") {
      const stored = await runCli(["-c", config, "--store"], { env });
      assert.equal(stored.code, 0, stored.stderr);
      assert.match(stored.stderr, /drivers loaded/, "the probe sees a driver once one is used");
    }
  }
});
