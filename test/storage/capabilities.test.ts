/**
 * What a storage type declares before it opens (so a config is checked without connecting) tells
 * the truth about the storage it opens: `keepsPings` ⇔ PingStore, `sharesState` ⇔ SharedStore,
 * `registersNodes` ⇔ NodeRegistry.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { Report, Scope, type Raw } from "../../lib/config/fields.js";
import { parseStorage, storageTypes } from "../../lib/storage/index.js";
import { isNodeRegistry, isPingStore, isSharedStore } from "../../lib/types.js";
import { tmpDir } from "../helpers/tmp.js";

test("every storage type declares keepsPings, sharesState and registersNodes exactly when the storage it opens has the capability", async () => {
  const dir = await tmpDir();
  // Opening connects to nothing: pools, clients and SDKs connect on first use.
  const configs: Record<string, Raw> = {
    fs: { dir: path.join(dir, "checks") },
    s3: { bucket: "b", access_key_id: "AKIA", secret_access_key: "s", region: "eu-west-3", endpoint: "http://127.0.0.1:1" },
    github: { repository_owner: "o", repository_name: "r", access_token: "t" },
    postgres: { dsn: "postgres://u@127.0.0.1:1/x?sslmode=disable" },
    mysql: { dsn: "u:p@tcp(127.0.0.1:1)/x" },
    sqlite3: { dsn: path.join(dir, "checkup.db") },
    sql: { sqlite_db_file: path.join(dir, "legacy.db") },
    appinsights: { instrumentation_key: "11111111-2222-3333-4444-555555555555" },
  };
  assert.deepEqual(Object.keys(configs).sort(), Object.keys(storageTypes).sort(), "a config per registered storage type");
  const sharing: string[] = [];
  for (const [type, config] of Object.entries(configs)) {
    const report = new Report();
    const spec = await parseStorage({ type, ...config }, new Scope(report, "storage"));
    assert.deepEqual(report.problems, [], type);
    if (spec!.sharesState) sharing.push(type);
    const storage = await spec!.open();
    try {
      assert.equal(spec!.keepsPings, isPingStore(storage), `${type} keepsPings`);
      assert.equal(spec!.sharesState, isSharedStore(storage), `${type} sharesState`);
      assert.equal(spec!.registersNodes, isNodeRegistry(storage), `${type} registersNodes`);
      // Auto shards keep the fleet's alert state where the nodes register, with or without quorum.
      if (spec!.registersNodes) assert.ok(spec!.sharesState, `${type} registers nodes, so it must share state`);
    } finally {
      await storage.close?.();
    }
  }
  // A quorum config names these when its storage cannot hold shared state: appinsights only writes.
  assert.deepEqual(sharing.sort(), ["fs", "github", "mysql", "postgres", "s3", "sql", "sqlite3"]);
});
