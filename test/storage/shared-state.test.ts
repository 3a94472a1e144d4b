/**
 * The SharedStore contract over every storage type that claims `sharesState`, on real servers
 * (PostgreSQL, MariaDB, s3rver with S3's conditional writes) and the GitHub stand-in. fs and the
 * SQL stores also run as separate OS processes; the compare-and-swap stores (S3, GitHub) race
 * through conflicts the server reports, and give up with a clear error when every try loses.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { isSharedStore } from "../../lib/types.js";
import { startFakeGithub } from "../helpers/github-fake.js";
import { startMysql } from "../helpers/mysql.js";
import { startPostgres } from "../helpers/postgres.js";
import { S3_KEY, S3_SECRET, startS3 } from "../helpers/s3.js";
import { tmpDir } from "../helpers/tmp.js";
import { sharedContract } from "./shared-contract.js";
import { openStorage } from "./sql-cases.js";

const [postgres, mysql, s3, github] = await Promise.all([
  startPostgres(), startMysql(), startS3(["fleet"]),
  startFakeGithub({ owner: "acme", repo: "status", token: "gh-token" }),
]);
let fresh = 0;

const s3Config = () => ({ type: "s3", bucket: "fleet", access_key_id: S3_KEY, secret_access_key: S3_SECRET, endpoint: s3.endpoint, prefix: `node-set-${++fresh}` });
const githubConfig = () => ({ type: "github", repository_owner: "acme", repository_name: "status", access_token: "gh-token", base_url: github.baseUrl, dir: `fleet-${++fresh}` });
const githubConflicts = () => github.requests.filter((r) => r.method === "PUT" && (r.status === 409 || r.status === 422)).length;

sharedContract("fs", { processes: true, fresh: async () => ({ type: "fs", dir: path.join(await tmpDir(), "checks") }) });
sharedContract("sqlite3", { processes: true, fresh: async () => ({ type: "sqlite3", dsn: path.join(await tmpDir(), "checkup.db"), create: true }) });
sharedContract("sql (sqlite_db_file)", { processes: true, fresh: async () => ({ type: "sql", sqlite_db_file: path.join(await tmpDir(), "legacy.db"), create: true }) });
sharedContract("postgres", { processes: true, fresh: async () => ({ type: "postgres", dsn: await postgres.newDatabase(), create: true }) });
sharedContract("mysql", { processes: true, fresh: async () => ({ type: "mysql", dsn: await mysql.newDatabase(), create: true }) });
sharedContract("s3", { fresh: async () => s3Config(), conflicts: () => s3.refusedPuts });
sharedContract("github", { fresh: async () => githubConfig(), conflicts: githubConflicts });

test("s3 shared: the document is <prefix>/shared/<name>.json, beside the check files but not among them", async () => {
  const config = s3Config();
  const store = await openStorage(config);
  try {
    assert.ok(isSharedStore(store));
    await store.updateShared("alerts", async () => ({ text: "{}", value: undefined }));
    const listed = await s3.client.send(new (await import("@aws-sdk/client-s3")).ListObjectsV2Command({ Bucket: "fleet", Prefix: `${config.prefix}/` }));
    assert.deepEqual(listed.Contents?.map((o) => o.Key), [`${config.prefix}/shared/alerts.json`]);
  } finally {
    await store.close?.();
  }
});

test("s3 shared: another writer changing the object before every conditional write: a clear error after 10 tries, nothing overwritten", async () => {
  const config = s3Config();
  const store = await openStorage(config);
  const key = `${config.prefix}/shared/alerts.json`;
  let rival = 0;
  s3.beforeConditionalPut = async (put) => {
    if (put !== key) return;
    rival++;
    await s3.client.send(new PutObjectCommand({ Bucket: "fleet", Key: key, Body: JSON.stringify({ rival }) }));
  };
  try {
    assert.ok(isSharedStore(store));
    let updates = 0;
    await assert.rejects(store.updateShared("alerts", async () => ({ text: JSON.stringify({ mine: ++updates }), value: undefined })),
      /s3 storage \(s3:\/\/fleet\/node-set-\d+\/shared\/alerts\.json\): shared document "alerts" was changed by another writer during each of 10 tries/);
    assert.equal(updates, 10, "each try ran the update on a fresh read");
    assert.equal(await store.readShared("alerts"), JSON.stringify({ rival: 10 }), "the other writer's text stands");
  } finally {
    s3.beforeConditionalPut = undefined;
    await store.close?.();
  }
});

test("github shared: another node committing before every write: a clear error after 10 tries, nothing overwritten", async () => {
  const config = githubConfig();
  const store = await openStorage(config);
  const file = `${config.dir}/shared/alerts.json`;
  let rival = 0;
  github.before = (req) => {
    if (req.method === "PUT" && req.path === `contents/${file}`) github.files.set(file, JSON.stringify({ rival: ++rival }));
  };
  try {
    assert.ok(isSharedStore(store));
    let updates = 0;
    await assert.rejects(store.updateShared("alerts", async () => ({ text: JSON.stringify({ mine: ++updates }), value: undefined })),
      /github storage \(acme\/status\/fleet-\d+\/shared\/alerts\.json\): shared document "alerts" was changed by another writer during each of 10 tries/);
    assert.equal(updates, 10);
    const refused = github.requests.filter((r) => r.method === "PUT" && r.path === `contents/${file}`).map((r) => r.status);
    assert.deepEqual(refused, [422, ...Array(9).fill(409)], "a create that found the file, then stale shas");
    assert.equal(await store.readShared("alerts"), JSON.stringify({ rival: 10 }));
  } finally {
    github.before = undefined;
    await store.close?.();
  }
});
