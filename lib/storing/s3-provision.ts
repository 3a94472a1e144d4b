/**
 * `checkup provision`: the S3 bucket a public status page reads, and an IAM user whose key the
 * page may hold. Same steps as checkup, with three changes: the user may read only THIS bucket
 * (an inline policy, not AmazonS3ReadOnlyAccess, which reads every bucket in the account: #34);
 * the bucket is created in its region; and a failed run undoes what it made, so it can be re-run.
 */
import type { IAMClient } from "@aws-sdk/client-iam";
import type { S3Client } from "@aws-sdk/client-s3";
import { messageOf, RuntimeError, UsageError } from "../errors.js";
import { importPackage } from "../optional-package.js";
import type { ProvisionInfo, ProvisionOptions } from "../types.js";
import { s3Error, type S3Connection, type S3Sdk } from "./s3-client.js";

/** checkup's user name, so its docs and cleanup scripts still apply. */
export const PROVISION_USER = "checkup-monitor-s3-public";
/** Pinned like client-s3: later SDK releases drop Node 20. */
export const IAM_PACKAGE = "@aws-sdk/client-iam@~3.1169.0";
/** The inline policy on the user. */
export const USER_POLICY_NAME = "checkup-status-page-read";

export interface ProvisionTarget extends S3Connection {
  bucket: string;
}

type IamSdk = typeof import("@aws-sdk/client-iam");

/** The ARN partition: China and GovCloud regions have their own. */
export function partition(region: string): string {
  return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/** Read-only on this bucket and nothing else: list it, read its objects. */
export function userPolicy(bucket: string, region: string): object {
  const arn = `arn:${partition(region)}:s3:::${bucket}`;
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ListStatusBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: arn },
      { Sid: "ReadStatusObjects", Effect: "Allow", Action: "s3:GetObject", Resource: `${arn}/*` },
    ],
  };
}

/** checkup's bucket policy: every object world-readable, so browsers fetch check files anonymously. */
export function bucketPolicy(bucket: string, region: string): object {
  return {
    Version: "2012-10-17",
    Statement: [{
      Sid: "PublicReadGetObject", Effect: "Allow", Principal: "*", Action: "s3:GetObject",
      Resource: `arn:${partition(region)}:s3:::${bucket}/*`,
    }],
  };
}

/** checkup's CORS rule: the page may GET and HEAD from any origin and read the ETag. MaxAge in seconds. */
export const CORS_RULES = [{
  AllowedOrigins: ["*"], AllowedMethods: ["GET", "HEAD"], ExposeHeaders: ["ETag"], AllowedHeaders: ["*"], MaxAgeSeconds: 3000,
}];

export async function provisionS3(
  target: ProvisionTarget, s3: { sdk: S3Sdk; client: S3Client }, options: ProvisionOptions = {},
): Promise<ProvisionInfo> {
  const username = options.username || PROVISION_USER;
  const iamEndpoint = options.iamEndpoint ?? "";
  if (target.endpoint && !iamEndpoint) {
    // Keys for an S3-compatible server must never be sent to AWS IAM.
    throw new UsageError("the S3 endpoint is not AWS, so IAM needs one too: set CHECKUP_IAM_ENDPOINT or --iam-endpoint (Ceph RGW serves IAM on its S3 URL)");
  }
  const region = await regionOf(target, s3.client);
  await assertNewBucket(s3, target.bucket);
  const iam = await iamClient(target, region, iamEndpoint);
  const made = new Undo(options.warn ?? (() => {}));
  try {
    const user = await createUser(iam, username);
    made.push(`IAM user '${username}'`, () => iam.client.send(new iam.sdk.DeleteUserCommand({ UserName: username })));
    await iamCall("PutUserPolicy", username, () => iam.client.send(new iam.sdk.PutUserPolicyCommand({
      UserName: username, PolicyName: USER_POLICY_NAME, PolicyDocument: JSON.stringify(userPolicy(target.bucket, region)),
    })));
    made.push(`policy '${USER_POLICY_NAME}' of IAM user '${username}'`,
      () => iam.client.send(new iam.sdk.DeleteUserPolicyCommand({ UserName: username, PolicyName: USER_POLICY_NAME })));
    const key = (await iamCall("CreateAccessKey", username,
      () => iam.client.send(new iam.sdk.CreateAccessKeyCommand({ UserName: username })))).AccessKey!;
    made.push(`access key ${key.AccessKeyId} of IAM user '${username}'`,
      () => iam.client.send(new iam.sdk.DeleteAccessKeyCommand({ UserName: username, AccessKeyId: key.AccessKeyId })));
    await createPublicBucket(s3, target.bucket, region, made);
    return { userId: user.UserId!, username: user.UserName!, publicAccessKeyId: key.AccessKeyId!, publicAccessKey: key.SecretAccessKey! };
  } catch (e) {
    await made.undo();
    throw e;
  } finally {
    iam.client.destroy();
  }
}

/** The bucket, its CORS rule and its public-read policy. */
async function createPublicBucket(s3: { sdk: S3Sdk; client: S3Client }, bucket: string, region: string, made: Undo): Promise<void> {
  const where = `s3://${bucket}`;
  try {
    // Outside us-east-1 the SDK adds the client's region as LocationConstraint (checkup's Go SDK did
    // not, so its buckets landed in us-east-1); the tests hold it to that.
    await s3.client.send(new s3.sdk.CreateBucketCommand({ Bucket: bucket }));
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === "BucketAlreadyExists" || name === "BucketAlreadyOwnedByYou") throw bucketExists(bucket);
    throw s3Error("CreateBucket", where, e);
  }
  made.push(`bucket '${bucket}'`, () => s3.client.send(new s3.sdk.DeleteBucketCommand({ Bucket: bucket })));
  await allowPublicPolicy(s3, bucket);
  await s3.client.send(new s3.sdk.PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: CORS_RULES } }))
    .catch((e: unknown) => { throw s3Error("PutBucketCors", where, e); });
  try {
    await s3.client.send(new s3.sdk.PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(bucketPolicy(bucket, region)) }));
  } catch (e) {
    if ((e as { name?: string }).name === "AccessDenied" && /public/i.test(messageOf(e))) throw publicAccessBlocked(bucket, e);
    throw s3Error("PutBucketPolicy", where, e);
  }
}

/**
 * New buckets block public policies (S3 Block Public Access, on by default since April 2023).
 * The bucket exists to be read publicly, so lift that for this one bucket only; ACLs stay blocked.
 * Servers without the setting (NotImplemented, 405, 501) have nothing to lift.
 */
async function allowPublicPolicy(s3: { sdk: S3Sdk; client: S3Client }, bucket: string): Promise<void> {
  try {
    await s3.client.send(new s3.sdk.PutPublicAccessBlockCommand({
      Bucket: bucket,
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false },
    }));
  } catch (e) {
    const status = statusOf(e);
    if ((e as { name?: string }).name === "NotImplemented" || status === 405 || status === 501) return;
    throw s3Error("PutPublicAccessBlock", `s3://${bucket}`, e);
  }
}

function publicAccessBlocked(bucket: string, e: unknown): RuntimeError {
  return new RuntimeError(
    `s3 PutBucketPolicy s3://${bucket}: ${messageOf(e)}\n` +
    "S3 Block Public Access refuses the public-read policy the status page needs. It was lifted for this bucket, " +
    "so the account-wide setting is on. Turn off BlockPublicPolicy and RestrictPublicBuckets for the account " +
    "(S3 console › Block Public Access settings for this account), e.g.\n" +
    "  aws s3control put-public-access-block --account-id <ACCOUNT_ID> --public-access-block-configuration " +
    "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false\n" +
    "then run provision again: what this run created was removed.",
    { cause: e },
  );
}

const bucketExists = (bucket: string) => new UsageError(
  `bucket '${bucket}' already exists in this account: provision creates a new bucket, so pick another AWS_BUCKET_NAME (or delete the bucket)`);

/** Refuses a bucket that exists before anything is created (CreateBucket in us-east-1 succeeds on one's own). */
async function assertNewBucket(s3: { sdk: S3Sdk; client: S3Client }, bucket: string): Promise<void> {
  try {
    await s3.client.send(new s3.sdk.HeadBucketCommand({ Bucket: bucket }));
  } catch (e) {
    const status = statusOf(e);
    if (status === 404) return;
    if (status === 403) {
      throw new UsageError(`bucket '${bucket}' belongs to another AWS account, or these credentials may not use S3: ` +
        "bucket names are global, so pick another AWS_BUCKET_NAME (or check the credentials)");
    }
    if (status === 301) throw new UsageError(`bucket '${bucket}' already exists in another region: pick another AWS_BUCKET_NAME`);
    throw s3Error("HeadBucket", `s3://${bucket}`, e);
  }
  throw bucketExists(bucket);
}

async function createUser(iam: { sdk: IamSdk; client: IAMClient }, username: string) {
  try {
    return (await iam.client.send(new iam.sdk.CreateUserCommand({ UserName: username }))).User!;
  } catch (e) {
    // The SDK names IAM's EntityAlreadyExists code EntityAlreadyExistsException.
    if (!/^EntityAlreadyExists/.test((e as { name?: string }).name ?? "")) throw iamError("CreateUser", username, e);
    throw new UsageError(`IAM user '${username}' already exists: delete it (its access keys and policies first) ` +
      "and run provision again, or pass --user NAME to create another");
  }
}

const IAM_HINTS: Record<string, string> = {
  InvalidClientTokenId: "check AWS_ACCESS_KEY_ID",
  SignatureDoesNotMatch: "check AWS_SECRET_ACCESS_KEY",
  AccessDenied: "the credentials need iam:CreateUser, iam:PutUserPolicy and iam:CreateAccessKey, e.g. IAMFullAccess",
};

function iamError(op: string, username: string, e: unknown): RuntimeError {
  const name = (e as { name?: string }).name ?? "";
  const hint = IAM_HINTS[name];
  return new RuntimeError(`iam ${op} ${username}: ${name && name !== "Error" ? `${name}: ` : ""}${messageOf(e)}${hint ? ` (${hint})` : ""}`, { cause: e });
}

async function iamCall<T>(op: string, username: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw iamError(op, username, e);
  }
}

/** Same credentials as S3. IAM is global: the SDK maps the bucket's region to its partition's endpoint. */
async function iamClient(c: S3Connection, region: string, endpoint: string): Promise<{ sdk: IamSdk; client: IAMClient }> {
  const sdk = await importPackage(() => import("@aws-sdk/client-iam"), IAM_PACKAGE, "checkup provision");
  const client = new sdk.IAMClient({
    region,
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 30_000 }, // ms
    ...(c.accessKeyId && c.secretAccessKey ? { credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey } } : {}),
    ...(endpoint ? { endpoint } : {}),
  });
  return { sdk, client };
}

async function regionOf(target: ProvisionTarget, client: S3Client): Promise<string> {
  if (target.region) return target.region;
  try {
    return await client.config.region();
  } catch {
    throw new UsageError("no region to create the bucket in: set storage.region (or AWS_REGION)");
  }
}

const statusOf = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** What a run created, removed newest first when a later step fails. */
class Undo {
  private readonly steps: { what: string; run: () => Promise<unknown> }[] = [];
  constructor(private readonly warn: (message: string) => void) {}

  push(what: string, run: () => Promise<unknown>): void {
    this.steps.push({ what, run });
  }

  async undo(): Promise<void> {
    for (const step of this.steps.reverse()) {
      await step.run().catch((e: unknown) => this.warn(`could not remove ${step.what} after the failure, remove it by hand: ${messageOf(e)}`));
    }
  }
}
