/**
 * `checkup --store` from cron keeps each store bounded by `check_expiry`, as checkup's
 * CheckAndStore does: every run removes what has expired after storing. Separate processes, with
 * a round stored two minutes back (past the one-minute expiry) between them.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { test } from "node:test";
import { Checkup } from "../../lib/checkup.js";
import { MINUTE } from "../../lib/duration.js";
import { checkFileTime, indexJson, parseIndex } from "../../lib/files/index-file.js";
import { nowUnixNanos } from "../../lib/nanos.js";
import { isStorageReader } from "../../lib/types.js";
import { runCli } from "../helpers/cli.js";
import { startFakeGithub } from "../helpers/github-fake.js";
import { startHttpServer } from "../helpers/http-server.js";
import { S3_KEY, S3_SECRET, startS3 } from "../helpers/s3.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

const BUCKET = "expiry";
const TOKEN = "ghp_expiry000000000000000000000000000secret";
const s3 = await startS3([BUCKET]);
const github = await startFakeGithub({ owner: "o", repo: "r", token: TOKEN });

/** With index.json's time for `name` set to `ns`: that store went by when it was stored, as checkup. */
const indexedAt = (text: string, name: string, ns: bigint) => indexJson(new Map(parseIndex(text)).set(name, ns));

interface Case {
  config: (dir: string) => Record<string, unknown>;
  /** Makes the store record `name` as stored at the time its name says, as a run that long ago would have. */
  backdate: (dir: string, name: string, ns: bigint) => Promise<void>;
}

const cases: Record<string, Case> = {
  fs: {
    config: (dir) => ({ type: "fs", dir: path.join(dir, "checks") }),
    backdate: async (dir, name, ns) => {
      const file = path.join(dir, "checks", "index.json");
      await writeFile(file, indexedAt(await readFile(file, "utf8"), name, ns));
    },
  },
  sqlite3: {
    config: (dir) => ({ type: "sqlite3", dsn: path.join(dir, "checkup.db"), create: true }),
    backdate: async (dir, name, ns) => {
      const db = new Database(path.join(dir, "checkup.db"));
      db.prepare("UPDATE checks SET timestamp = ? WHERE name = ?").run(ns, name);
      db.close();
    },
  },
  // S3 has no index: a check file's time is its name.
  s3: {
    config: (dir) => ({ type: "s3", access_key_id: S3_KEY, secret_access_key: S3_SECRET, bucket: BUCKET, endpoint: s3.endpoint, prefix: `${path.basename(dir)}/` }),
    backdate: async () => undefined,
  },
  github: {
    config: (dir) => ({ type: "github", access_token: TOKEN, repository_owner: "o", repository_name: "r", base_url: github.baseUrl, dir: path.basename(dir) }),
    backdate: async (dir, name, ns) => {
      const file = `${path.basename(dir)}/index.json`;
      github.files.set(file, indexedAt(github.files.get(file)!, name, ns));
    },
  },
};

for (const [type, { config: storage, backdate }] of Object.entries(cases)) {
  test(`${type}: each checkup --store run removes the rounds past check_expiry`, async () => {
    const ok = await startHttpServer((_req, res) => res.end("ok"));
    const dir = await tmpDir();
    const config = await writeConfig({
      checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: ok.url }],
      storage: { ...storage(dir), check_expiry: "1m" },
      spool_dir: path.join(dir, "spool"),
    });
    // The SDK warning is off in this process for its own client (see helpers/s3.ts).
    const env = { XDG_STATE_HOME: dir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined };
    const cron = async () => {
      const run = await runCli(["-c", config, "--store", "--json"], { env });
      assert.equal(run.code, 0, run.stderr);
    };
    const checkup = await Checkup.load(config, { warn: () => undefined });
    const store = checkup.storage!;
    assert.ok(isStorageReader(store));
    const names = async () => [...(await store.index()).keys()].sort();
    try {
      await cron();
      const [first] = await names();
      const old = await store.store([{ title: "Web", timestamp: 1n, times: [{ rtt: 1 }], healthy: true }], nowUnixNanos() - BigInt(2 * MINUTE));
      await backdate(dir, old, checkFileTime(old)!);
      assert.equal((await names()).length, 2, "the backdated round is stored");
      await cron();
      await cron();
      const left = await names();
      assert.equal(left.length, 3, `three fresh rounds, the expired one removed: ${left.join(", ")}`);
      assert.ok(!left.includes(old), "the round stored two minutes back is gone");
      assert.ok(left.includes(first!), "a round inside check_expiry stays");
    } finally {
      await checkup.close();
    }
  });
}

test("fs: checkup message stores its round and removes the rounds past check_expiry too", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const dir = await tmpDir();
  const config = await writeConfig({
    checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: ok.url }],
    storage: { ...cases.fs!.config(dir), check_expiry: "1m" },
    spool_dir: path.join(dir, "spool"),
  });
  const checkup = await Checkup.load(config, { warn: () => undefined });
  const store = checkup.storage!;
  assert.ok(isStorageReader(store));
  const old = await store.store([{ title: "Web", timestamp: 1n, times: [{ rtt: 1 }], healthy: true }], nowUnixNanos() - BigInt(2 * MINUTE));
  await cases.fs!.backdate(dir, old, checkFileTime(old)!);
  const run = await runCli(["-c", config, "message", "--about", "Web", "deploying"], { env: { XDG_STATE_HOME: dir } });
  assert.equal(run.code, 0, run.stderr);
  const left = [...(await store.index()).keys()];
  assert.equal(left.length, 1, left.join(", "));
  assert.equal((await store.fetch(left[0]!))[0]!.message, "deploying");
});
