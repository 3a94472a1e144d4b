import { GetBucketCorsCommand, HeadBucketCommand } from "@aws-sdk/client-s3";
import assert from "node:assert/strict";
import { test } from "node:test";
import { Checkup } from "../../lib/checkup.js";
import { RuntimeError, UsageError } from "../../lib/errors.js";
import { partition, PROVISION_USER, USER_POLICY_NAME } from "../../lib/storing/s3-provision.js";
import s3Type, { type S3Options, type S3Storage } from "../../lib/storage/s3.js";
import type { ProvisionOptions } from "../../lib/types.js";
import { startIamFake } from "../helpers/iam-fake.js";
import { S3_KEY, S3_SECRET, startS3 } from "../helpers/s3.js";
import { startS3Front } from "../helpers/s3-front.js";
import { tmpDir } from "../helpers/tmp.js";

const s3 = await startS3(["taken-bucket"]);

let buckets = 0;
const freshBucket = () => `status-page-${++buckets}`;

/** A fresh IAM fake and S3 front per test, so each test sees only its own requests. */
async function setup(o: Partial<S3Options> = {}) {
  const iam = await startIamFake();
  const front = await startS3Front(s3.endpoint);
  const bucket = o.bucket ?? freshBucket();
  const storage = (await s3Type.create({
    accessKeyId: S3_KEY, secretAccessKey: S3_SECRET, region: "us-east-1", endpoint: front.url, bucket,
    prefix: "", checkExpiry: 0, summaries: false, ...o,
  })) as S3Storage;
  const warnings: string[] = [];
  const provision = async (p: ProvisionOptions = {}) => {
    try {
      return await storage.provision({ iamEndpoint: iam.url, warn: (m) => warnings.push(m), ...p });
    } finally {
      await storage.close();
    }
  };
  return { iam, front, bucket, provision, warnings };
}

const exists = (bucket: string) => s3.client.send(new HeadBucketCommand({ Bucket: bucket })).then(() => true, () => false);

test("provision: the user, a read-only inline policy for this bucket, a key; then the public bucket with CORS", async () => {
  const { iam, front, bucket, provision } = await setup();
  const info = await provision();

  const user = iam.users.get(PROVISION_USER)!;
  const [keyId, secret] = [...user.keys][0]!;
  assert.deepEqual(info, { userId: user.id, username: PROVISION_USER, publicAccessKeyId: keyId, publicAccessKey: secret });
  assert.deepEqual(iam.calls.map((c) => [c.Action, c.params.UserName]), [
    ["CreateUser", PROVISION_USER], ["PutUserPolicy", PROVISION_USER], ["CreateAccessKey", PROVISION_USER],
  ]);
  assert.ok(iam.calls.every((c) => c.keyId === S3_KEY), "IAM calls are signed with the given key");
  // Not checkup's AmazonS3ReadOnlyAccess (every bucket in the account): this bucket only, read only.
  assert.equal(iam.calls[1]!.params.PolicyName, USER_POLICY_NAME);
  assert.deepEqual(JSON.parse(iam.calls[1]!.params.PolicyDocument!), {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ListStatusBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:aws:s3:::${bucket}` },
      { Sid: "ReadStatusObjects", Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` },
    ],
  });
  assert.ok(!iam.calls.some((c) => c.Action === "AttachUserPolicy"));

  assert.equal(await exists(bucket), true);
  const cors = await s3.client.send(new GetBucketCorsCommand({ Bucket: bucket }));
  assert.deepEqual(cors.CORSRules?.map(({ ID, ...rule }) => rule), [{
    AllowedOrigins: ["*"], AllowedMethods: ["GET", "HEAD"], ExposeHeaders: ["ETag"], AllowedHeaders: ["*"], MaxAgeSeconds: 3000,
  }]);
  assert.deepEqual(JSON.parse(front.policies.get(bucket)!), {
    Version: "2012-10-17",
    Statement: [{ Sid: "PublicReadGetObject", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` }],
  });
  // Public policies allowed on this bucket only; public ACLs stay blocked.
  const block = front.accessBlocks.get(bucket)!;
  for (const [setting, value] of [["BlockPublicAcls", true], ["IgnorePublicAcls", true], ["BlockPublicPolicy", false], ["RestrictPublicBuckets", false]]) {
    assert.match(block, new RegExp(`<${setting}>${value}</${setting}>`));
  }
  // us-east-1: CreateBucket carries no LocationConstraint (AWS refuses one naming us-east-1).
  const create = front.requests.find((r) => r.method === "PUT" && r.url === `/${bucket}/`)!;
  assert.equal(create.body, "");
  assert.deepEqual(front.requests.map((r) => `${r.method} ${r.url}`), [
    `HEAD /${bucket}/`, `PUT /${bucket}/`, `PUT /${bucket}/?publicAccessBlock=`, `PUT /${bucket}/?cors=`, `PUT /${bucket}/?policy=`,
  ]);
});

test("provision: outside us-east-1 the bucket is created with its LocationConstraint (checkup omitted it)", async () => {
  const { front, bucket, provision } = await setup({ region: "eu-west-1" });
  await provision();
  const create = front.requests.find((r) => r.method === "PUT" && r.url === `/${bucket}/`)!;
  assert.match(create.body, /<CreateBucketConfiguration[^>]*><LocationConstraint>eu-west-1<\/LocationConstraint><\/CreateBucketConfiguration>/);
  assert.equal(await exists(bucket), true);
});

test("provision: ARNs use the region's partition", () => {
  assert.equal(partition("us-east-1"), "aws");
  assert.equal(partition("cn-north-1"), "aws-cn");
  assert.equal(partition("us-gov-west-1"), "aws-us-gov");
});

test("provision: --user names the IAM user", async () => {
  const { iam, provision } = await setup();
  const info = await provision({ username: "status-reader" });
  assert.equal(info.username, "status-reader");
  assert.deepEqual([...iam.users.keys()], ["status-reader"]);
});

test("provision: an existing user stops the run before anything is created, with what to do", async () => {
  const { iam, bucket, provision, warnings } = await setup();
  iam.users.set(PROVISION_USER, { id: "AIDAOLD", policies: new Map(), keys: new Map() });
  await assert.rejects(provision(), (e: Error) => {
    assert.ok(e instanceof UsageError);
    assert.equal(e.message, `IAM user '${PROVISION_USER}' already exists: delete it (its access keys and policies first) ` +
      "and run provision again, or pass --user NAME to create another");
    return true;
  });
  assert.deepEqual(iam.calls.map((c) => c.Action), ["CreateUser"]);
  assert.equal(await exists(bucket), false);
  assert.deepEqual(warnings, []);
});

test("provision: an existing bucket is refused before IAM is touched", async () => {
  const { iam, front, provision } = await setup({ bucket: "taken-bucket" });
  await assert.rejects(provision(), (e: Error) => {
    assert.ok(e instanceof UsageError);
    assert.equal(e.message, "bucket 'taken-bucket' already exists in this account: provision creates a new bucket, " +
      "so pick another AWS_BUCKET_NAME (or delete the bucket)");
    return true;
  });
  assert.deepEqual(iam.calls, []);
  assert.deepEqual(front.requests.map((r) => r.method), ["HEAD"]);
});

test("provision: Block Public Access refusing the bucket policy says what to change, and undoes the run", async () => {
  const { iam, front, bucket, provision, warnings } = await setup();
  front.refuseNextPolicy = {
    status: 403, code: "AccessDenied",
    message: `User: arn:aws:iam::123456789012:user/admin is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::${bucket}" ` +
      "because public policies are blocked by the BlockPublicPolicy block public access setting.",
  };
  await assert.rejects(provision(), (e: Error) => {
    assert.ok(e instanceof RuntimeError);
    assert.match(e.message, new RegExp(`^s3 PutBucketPolicy s3://${bucket}: User: .* BlockPublicPolicy block public access setting\\.\\n`));
    assert.match(e.message, /aws s3control put-public-access-block --account-id <ACCOUNT_ID> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false/);
    assert.match(e.message, /run provision again: what this run created was removed\.$/);
    return true;
  });
  // Undone newest first: the bucket, then the key, the policy and the user (IAM refuses a user with either left).
  assert.equal(await exists(bucket), false);
  assert.deepEqual(iam.calls.map((c) => c.Action), [
    "CreateUser", "PutUserPolicy", "CreateAccessKey", "DeleteAccessKey", "DeleteUserPolicy", "DeleteUser",
  ]);
  assert.equal(iam.users.size, 0);
  assert.deepEqual(warnings, []);
});

test("provision: an IAM failure names the call and the fix; what could not be undone is a warning", async () => {
  const { iam, bucket, provision, warnings } = await setup();
  iam.failNext("CreateAccessKey", 403, "AccessDenied", "not allowed: iam:CreateAccessKey");
  iam.failNext("DeleteUserPolicy", 403, "AccessDenied", "not allowed: iam:DeleteUserPolicy");
  await assert.rejects(provision(), (e: Error) => {
    assert.ok(e instanceof RuntimeError);
    assert.equal(e.message, `iam CreateAccessKey ${PROVISION_USER}: AccessDenied: not allowed: iam:CreateAccessKey ` +
      "(the credentials need iam:CreateUser, iam:PutUserPolicy and iam:CreateAccessKey, e.g. IAMFullAccess)");
    return true;
  });
  assert.deepEqual(warnings, [
    `could not remove policy '${USER_POLICY_NAME}' of IAM user '${PROVISION_USER}' after the failure, remove it by hand: not allowed: iam:DeleteUserPolicy`,
    `could not remove IAM user '${PROVISION_USER}' after the failure, remove it by hand: Cannot delete entity, must delete policies first.`,
  ]);
  assert.equal(await exists(bucket), false);
});

test("provision: bad IAM credentials get a hint", async () => {
  const { iam, provision } = await setup();
  iam.failNext("CreateUser", 403, "InvalidClientTokenId", "The security token included in the request is invalid.");
  await assert.rejects(provision(), {
    message: `iam CreateUser ${PROVISION_USER}: InvalidClientTokenId: The security token included in the request is invalid. (check AWS_ACCESS_KEY_ID)`,
  });
});

test("provision: a server without Block Public Access settings (NotImplemented) still provisions", async () => {
  const { front, bucket, provision } = await setup();
  front.keepAccessBlocks = false;
  await provision();
  assert.ok(front.policies.has(bucket));
  assert.equal(await exists(bucket), true);
});

test("provision: an S3-compatible endpoint without an IAM endpoint is refused (its keys never go to AWS)", async () => {
  const { front, provision } = await setup();
  await assert.rejects(provision({ iamEndpoint: "" }), (e: Error) => e instanceof UsageError && /CHECKUP_IAM_ENDPOINT or --iam-endpoint/.test(e.message));
  assert.deepEqual(front.requests, []);
});

test("Checkup.provision: only a storage that provisions", async () => {
  await assert.rejects(new Checkup({ checkers: [], spoolDir: false }).provision(),
    new UsageError("no storage configuration found: add a \"storage\" section to checkup.json, or run checkup provision s3"));
  // Provisioning needs storage only, so a config without checkers will do.
  const fs = await Checkup.fromConfig({ checkers: [], storage: { type: "fs", dir: await tmpDir() } }, { warn: () => {}, requireCheckers: false });
  let started = false;
  await assert.rejects(fs.provision({ onStart: () => (started = true) }),
    new UsageError("configured storage type does not have provisioning capabilities (fs; only s3 has)"));
  assert.equal(started, false);
});
