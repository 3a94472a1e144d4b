import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { Report, Scope } from "../../lib/config/fields.js";
import s3Type, { type S3Options, type S3Storage } from "../../lib/storage/s3.js";
import { runCli } from "../helpers/cli.js";
import { COMPAT } from "../helpers/paths.js";
import { S3_KEY, S3_SECRET, startS3 } from "../helpers/s3.js";
import { writeConfig } from "../helpers/tmp.js";
import { storageContract } from "./contract.js";

const BUCKET = "checkup-test";
const s3 = await startS3([BUCKET, "root-bucket"]);

const options = (o: Partial<S3Options> = {}): S3Options => ({
  accessKeyId: S3_KEY, secretAccessKey: S3_SECRET, region: "", bucket: BUCKET, endpoint: s3.endpoint,
  prefix: "", checkExpiry: 0, summaries: true, ...o,
});

const open = async (o: Partial<S3Options> = {}) => (await s3Type.create(options(o))) as S3Storage;

let prefixes = 0;
/** A fresh, empty store: its own prefix in the shared bucket. */
const freshPrefix = () => `t${++prefixes}/`;

async function keys(client: S3Client, prefix: string): Promise<string[]> {
  const out = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

async function body(client: S3Client, key: string, bucket = BUCKET): Promise<{ text: string; type: string | undefined }> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { text: await out.Body!.transformToString(), type: out.ContentType };
}

const put = (key: string, text: string) => s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: text }));

const round = (title: string) => [{ title, timestamp: 1718000000123456789n, times: [{ rtt: 1 }], healthy: true }];

test("s3: writes <ns>-check.json with compact JSON, as checkup's PutObject did", async () => {
  const prefix = freshPrefix();
  const storage = await open({ prefix, summaries: false });
  try {
    const name = await storage.store(round("a"), 1718000000987654321n);
    assert.equal(name, "1718000000987654321-check.json");
    assert.deepEqual(await keys(s3.client, prefix), [`${prefix}1718000000987654321-check.json`]);
    assert.deepEqual(await body(s3.client, `${prefix}${name}`), {
      text: '[{"title":"a","timestamp":1718000000123456789,"times":[{"rtt":1}],"healthy":true}]',
      type: "application/json",
    });
  } finally {
    await storage.close();
  }
});

test("s3: without a prefix, check files go to the bucket root and summaries beside them", async () => {
  const { client } = s3;
  const storage = await open({ bucket: "root-bucket" });
  try {
    const name = await storage.store(round("a"), 1718000000987654321n);
    const listed = (await client.send(new ListObjectsV2Command({ Bucket: "root-bucket" }))).Contents!.map((o) => o.Key).sort();
    assert.deepEqual(listed, [name, "summaries/2024-06-10.hours.json", "summaries/2024-06-10.json", "summaries/2024-06-10.week.json",
      "summaries/feed.xml", "summaries/index.json", "summaries/status.json"]);
    const summary = await body(client, "summaries/index.json", "root-bucket");
    assert.equal(summary.type, "application/json");
    assert.deepEqual((JSON.parse(summary.text) as { recent: unknown }).recent, [[name, "1718000000987654321"]]);
  } finally {
    await storage.close();
  }
});

test("s3: reads a bucket checkup wrote; only check files count, timed by their names", async () => {
  const prefix = freshPrefix();
  await put(`${prefix}1533485310451449272-check.json`, '[{"title":"old","timestamp":1533485310451000000,"times":[{"rtt":5}],"down":true}]');
  await put(`${prefix}index.html`, "<html>");
  await put(`${prefix}js/config.js`, "checkup.config = {}");
  await put(`${prefix}handmade-check.json`, "[]");
  const storage = await open({ prefix });
  try {
    const index = await storage.index();
    assert.deepEqual([...index.keys()].sort(), ["1533485310451449272-check.json", "handmade-check.json"]);
    assert.equal(index.get("1533485310451449272-check.json"), 1533485310451449272n);
    // No time in the name: LastModified, which is recent.
    assert.ok(index.get("handmade-check.json")! > 1_700_000_000_000_000_000n);
    assert.deepEqual(await storage.fetch("1533485310451449272-check.json"),
      [{ title: "old", timestamp: 1533485310451000000n, times: [{ rtt: 5 }], down: true }]);
    await assert.rejects(storage.fetch("../index.html"), /invalid check file name/);
    await assert.rejects(storage.fetch("1-check.json"), /s3 GetObject s3:\/\/checkup-test\/t\d+\/1-check.json: no such check file/);
  } finally {
    await storage.close();
  }
});

test("s3: maintain deletes expired check files only, never the status page or other objects", async () => {
  const prefix = freshPrefix();
  const now = 1_800_000_000_000_000_000n;
  const hour = 3_600_000_000_000n;
  await put(`${prefix}${now - 2n * hour}-check.json`, "[]");
  await put(`${prefix}${now - 10n}-check.json`, "[]");
  await put(`${prefix}index.html`, "<html>");
  await put(`${prefix}css/style.css`, "body{}");
  await put(`${prefix}notes.json`, "{}");
  const storage = await open({ prefix, checkExpiry: Number(hour) });
  try {
    assert.deepEqual((await storage.maintain(now)).removed, [`${now - 2n * hour}-check.json`]);
    assert.deepEqual(await keys(s3.client, prefix),
      [`${prefix}${now - 10n}-check.json`, `${prefix}css/style.css`, `${prefix}index.html`, `${prefix}notes.json`]);
  } finally {
    await storage.close();
  }
});

test("s3: maintain also drops expired days from summaries", async () => {
  const prefix = freshPrefix();
  const storage = await open({ prefix, checkExpiry: 86_400_000_000_000 });
  try {
    await storage.store(round("old"), 1718000000000000000n); // 2024-06-10
    await storage.store(round("new"), 1718200000000000000n); // 2024-06-12
    const { removed } = await storage.maintain(1718250000000000000n);
    assert.deepEqual(removed, ["1718000000000000000-check.json"]);
    assert.deepEqual((await keys(s3.client, `${prefix}summaries/`)).map((k) => path.basename(k)),
      ["2024-06-10.week.json", "2024-06-12.hours.json", "2024-06-12.json", "feed.xml", "index.json", "status.json"]);
  } finally {
    await storage.close();
  }
});

test("s3: a wrong access key id fails clearly and never prints the secret", async () => {
  const secret = "wJalrXUtnFEMI-do-not-print-me";
  const storage = await open({ accessKeyId: "AKIAWRONGKEY", secretAccessKey: secret });
  try {
    const error = await storage.store(round("a")).then(() => undefined, (e: Error) => e);
    assert.ok(error, "the store must fail");
    assert.match(error.message, /^s3 PutObject s3:\/\/checkup-test\/\d+-check\.json: InvalidAccessKeyId: .*\(check storage\.access_key_id\)$/);
    assert.ok(!error.message.includes(secret) && !String(error.stack).includes(secret));
  } finally {
    await storage.close();
  }
});

test("s3: a missing bucket names the bucket and the fix", async () => {
  const storage = await open({ bucket: "no-such-bucket" });
  try {
    await assert.rejects(storage.index(), /^Error: s3 ListObjectsV2 s3:\/\/no-such-bucket\/: NoSuchBucket: .*\(check storage\.bucket/);
  } finally {
    await storage.close();
  }
});

test("s3: parse reads checkup's fields and the extensions", () => {
  const report = new Report();
  const parsed = s3Type.parse({
    type: "s3", access_key_id: "AKIA", secret_access_key: "s", region: "eu-west-3", bucket: "b",
    check_expiry: 604800000000000, endpoint: "http://127.0.0.1:9000", prefix: "/status/checks/",
  }, new Scope(report, "storage"));
  assert.deepEqual(parsed, {
    accessKeyId: "AKIA", secretAccessKey: "s", region: "eu-west-3", bucket: "b", checkExpiry: 604800000000000,
    endpoint: "http://127.0.0.1:9000", prefix: "status/checks/", summaries: true,
  });
  assert.deepEqual(report.problems, []);
});

test("s3: parse requires a bucket and warns when only one key is set", () => {
  const report = new Report();
  s3Type.parse({ type: "s3", access_key_id: "AKIA", endpoint: "localhost:9000" }, new Scope(report, "storage"));
  assert.deepEqual(report.problems.map((p) => `${p.path}: ${p.message}`), [
    'storage.bucket: missing: set it to the bucket to write check files to, e.g. "my-checkup"',
    'storage.endpoint: expected an absolute URL like "http://127.0.0.1:9000", got "localhost:9000"',
  ]);
  assert.deepEqual(report.warnings.map((p) => p.path), ["storage.secret_access_key"]);
});

for (const file of ["sourcegraph__checkup__testdata__config.json", "maxime-sourdin__my-website__content__blog__monitoring-avec-checkup-et-grafana.md.json"]) {
  test(`s3: checkup's config ${file.split("__")[0]} validates with its storage unchanged`, async () => {
    // The data set redacted the Slack webhook too; only that is put back into URL form.
    const text = (await readFile(path.join(COMPAT, "configs", file), "utf8"))
      .replace('"webhook": "REDACTED"', '"webhook": "https://hooks.slack.com/services/T0/B0/X"');
    assert.equal((JSON.parse(text) as { storage: { type: string } }).storage.type, "s3");
    const run = await runCli(["-c", await writeConfig(text), "validate"]);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout + run.stderr, /REDACTED|SECRET ACCESS KEY/);
  });
}

test("s3: checkup --store through the CLI writes a check file the status page can list", async () => {
  const prefix = freshPrefix();
  const config = await writeConfig({
    checkers: [{ type: "tcp", endpoint_name: "closed", endpoint_url: "127.0.0.1:9" }],
    storage: { type: "s3", access_key_id: S3_KEY, secret_access_key: S3_SECRET, bucket: BUCKET, endpoint: s3.endpoint, prefix },
  });
  // Unset here because the test process sets it for its own SDK client (see helpers/s3.ts).
  const env = { XDG_STATE_HOME: path.dirname(config), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined };
  const run = await runCli(["-c", config, "--store"], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "", "no SDK warnings (the pinned SDK supports this Node)");
  const stored = (await keys(s3.client, prefix)).filter((k) => k.endsWith("-check.json"));
  assert.equal(stored.length, 1);
  assert.match(stored[0]!, /^t\d+\/\d{19}-check\.json$/);
  const [result] = JSON.parse((await body(s3.client, stored[0]!)).text) as { title: string; down: boolean }[];
  assert.deepEqual([result!.title, result!.down], ["closed", true]);
});

storageContract("s3", { create: async (checkExpiry) => open({ prefix: freshPrefix(), checkExpiry }) });
