import { HeadBucketCommand } from "@aws-sdk/client-s3";
import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli } from "../helpers/cli.js";
import { startIamFake } from "../helpers/iam-fake.js";
import { S3_KEY, S3_SECRET, startS3 } from "../helpers/s3.js";
import { startS3Front } from "../helpers/s3-front.js";
import { writeConfig } from "../helpers/tmp.js";

const s3 = await startS3(["taken-bucket"]);
const USER = "checkup-monitor-s3-public";

let buckets = 0;
async function setup() {
  const iam = await startIamFake();
  const front = await startS3Front(s3.endpoint);
  const bucket = `cli-status-${++buckets}`;
  /** `provision s3`'s environment, pointed at the fakes; nothing from this machine's AWS setup leaks in. */
  const env = {
    AWS_ACCESS_KEY_ID: S3_KEY, AWS_SECRET_ACCESS_KEY: S3_SECRET, AWS_BUCKET_NAME: bucket, AWS_REGION: "",
    CHECKUP_S3_ENDPOINT: front.url, CHECKUP_IAM_ENDPOINT: iam.url, AWS_PROFILE: "", AWS_CONFIG_FILE: "/nonexistent",
  };
  return { iam, front, bucket, env };
}

const exists = (bucket: string) => s3.client.send(new HeadBucketCommand({ Bucket: bucket })).then(() => true, () => false);

test("checkup provision s3: One sec..., then checkup's block with the new user and key", async () => {
  const { iam, bucket, env } = await setup();
  const run = await runCli(["provision", "s3"], { env });
  assert.equal(run.stderr, "");
  assert.equal(run.code, 0);
  const user = iam.users.get(USER)!;
  const [keyId, secret] = [...user.keys][0]!;
  assert.equal(run.stdout, [
    "One sec...",
    "Provision successful",
    "",
    `             User ID: ${user.id}`,
    `            Username: ${USER}`,
    `Public Access Key ID: ${keyId}`,
    `   Public Access Key: ${secret}`,
    "",
    "Copy the Public Access Key ID and Public Access Key into the status page's config.js",
    "(storage.AccessKeyID and storage.SecretAccessKey) now: they will not be shown again.",
    "The key can only list and read this bucket.",
    "",
  ].join("\n"));
  assert.equal(await exists(bucket), true);
  assert.ok(iam.calls.every((c) => c.keyId === S3_KEY));
});

test("checkup provision s3 --json --user: checkup's JSON names; stdout holds only the JSON", async () => {
  const { iam, env } = await setup();
  const run = await runCli(["provision", "s3", "--json", "--user", "page-reader"], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "One sec...\n");
  const user = iam.users.get("page-reader")!;
  const [keyId, secret] = [...user.keys][0]!;
  assert.deepEqual(JSON.parse(run.stdout), { user_id: user.id, username: "page-reader", public_access_key_id: keyId, public_access_key: secret });
});

test("checkup provision: the config's s3 storage, with --iam-endpoint and the region's LocationConstraint", async () => {
  const { iam, front, bucket } = await setup();
  const config = await writeConfig({
    checkers: [],
    storage: { type: "s3", access_key_id: S3_KEY, secret_access_key: S3_SECRET, region: "eu-central-1", bucket, endpoint: front.url },
  });
  const run = await runCli(["-c", config, "provision", "--iam-endpoint", iam.url], { env: { CHECKUP_IAM_ENDPOINT: "" } });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^One sec\.\.\.\nProvision successful\n/);
  assert.match(front.requests.find((r) => r.method === "PUT" && r.url === `/${bucket}/`)!.body, /<LocationConstraint>eu-central-1<\/LocationConstraint>/);
  assert.ok(front.policies.has(bucket));
});

test("checkup provision s3: missing variables are named, exit 2, nothing is sent", async () => {
  const { iam, front, env } = await setup();
  const run = await runCli(["provision", "s3"], { env: { ...env, AWS_SECRET_ACCESS_KEY: "", AWS_BUCKET_NAME: "" } });
  assert.equal(run.code, 2);
  assert.equal(run.stdout, "");
  assert.equal(run.stderr, "checkup: provision s3: AWS_SECRET_ACCESS_KEY, AWS_BUCKET_NAME not set. It needs AWS_ACCESS_KEY_ID and " +
    "AWS_SECRET_ACCESS_KEY (keys allowed to create IAM users and S3 buckets) and AWS_BUCKET_NAME (the bucket to create); " +
    "AWS_REGION is optional (default us-east-1)\n");
  assert.deepEqual([iam.calls, front.requests], [[], []]);
});

test("checkup provision: errors and exit codes", async (t) => {
  const { iam, env } = await setup();
  iam.users.set(USER, { id: "AIDAOLD", policies: new Map(), keys: new Map() });
  const fsConfig = await writeConfig({ checkers: [], storage: { type: "fs", dir: "." } });
  const noStorage = await writeConfig({ checkers: [] });
  const cases: [string, string[], NodeJS.ProcessEnv, number, string][] = [
    ["unknown provider", ["provision", "gcs"], env, 2, "checkup: unknown storage provider 'gcs' (known: s3)\n"],
    ["user exists", ["provision", "s3"], env, 2, `checkup: IAM user '${USER}' already exists: delete it (its access keys and policies first) ` +
      "and run provision again, or pass --user NAME to create another\n"],
    ["bucket exists", ["provision", "s3"], { ...env, AWS_BUCKET_NAME: "taken-bucket" }, 2, "checkup: bucket 'taken-bucket' already exists " +
      "in this account: provision creates a new bucket, so pick another AWS_BUCKET_NAME (or delete the bucket)\n"],
    ["storage that cannot provision", ["-c", fsConfig, "provision"], {}, 2,
      "checkup: configured storage type does not have provisioning capabilities (fs; only s3 has)\n"],
    ["no storage", ["-c", noStorage, "provision"], {}, 2,
      "checkup: no storage configuration found: add a \"storage\" section to checkup.json, or run checkup provision s3\n"],
  ];
  for (const [name, args, caseEnv, code, stderr] of cases) {
    await t.test(name, async () => {
      const run = await runCli(args, { env: caseEnv });
      assert.equal(run.stderr, stderr);
      assert.equal(run.code, code);
      assert.doesNotMatch(run.stdout, /Provision successful/);
    });
  }
});

test("checkup provision s3: Block Public Access on the account is a runtime error (exit 3) and the run is undone", async () => {
  const { iam, front, bucket, env } = await setup();
  front.refuseNextPolicy = { status: 403, code: "AccessDenied", message: "public policies are blocked by the BlockPublicPolicy block public access setting." };
  const run = await runCli(["provision", "s3"], { env });
  assert.equal(run.code, 3);
  assert.equal(run.stdout, "One sec...\n");
  assert.match(run.stderr, /^checkup: s3 PutBucketPolicy s3:\/\/cli-status-\d+: public policies are blocked/);
  assert.match(run.stderr, /aws s3control put-public-access-block/);
  assert.doesNotMatch(run.stderr, new RegExp(S3_SECRET));
  assert.equal(iam.users.size, 0);
  assert.equal(await exists(bucket), false);
});

test("provision s3: the environment is read by the s3 type's rules: a bad CHECKUP_S3_ENDPOINT exits 2 naming it", async () => {
  const run = await runCli(["provision", "s3"], { env: {
    AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "s", AWS_BUCKET_NAME: "b", CHECKUP_S3_ENDPOINT: "not a url",
  } });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /provision s3 \(from the environment\): endpoint: /);
  assert.doesNotMatch(run.stderr, /at .*\.js:\d+/, "no stack trace");
});
