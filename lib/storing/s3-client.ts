/**
 * The S3 client for the `s3` storage (and for `checkup provision s3`): static credentials when
 * both keys are set, else the SDK's default chain (environment, shared config, instance role), as
 * checkup does; an `endpoint` for S3-compatible servers. The SDK is imported here, on first use,
 * so `checkup --version` and `checkup validate` never load it.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { messageOf } from "../errors.js";
import { importPackage } from "../optional-package.js";

/** Pinned: later SDK releases drop Node 20. */
export const S3_PACKAGE = "@aws-sdk/client-s3@~3.1169.0";

export interface S3Connection {
  accessKeyId: string;
  secretAccessKey: string;
  /** "" = the SDK's default (AWS_REGION, shared config); us-east-1 with a custom endpoint. */
  region: string;
  /** An S3-compatible server's URL ("" = AWS). Addressed path-style: <endpoint>/<bucket>/<key>. */
  endpoint: string;
}

export type S3Sdk = typeof import("@aws-sdk/client-s3");

export const loadS3Sdk = (user = "the s3 storage"): Promise<S3Sdk> =>
  importPackage(() => import("@aws-sdk/client-s3"), S3_PACKAGE, user);

export async function s3Client(c: S3Connection, user?: string): Promise<{ sdk: S3Sdk; client: S3Client }> {
  // The SDK warns on Node 20 about its future releases; the pinned version supports Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const sdk = await loadS3Sdk(user);
  const client = new sdk.S3Client({
    region: c.region || (c.endpoint ? "us-east-1" : undefined),
    // No single request should hang a round (the SDK waits forever by default). Milliseconds.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 30_000 },
    ...(c.accessKeyId && c.secretAccessKey
      ? { credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey } }
      : {}),
    ...(c.endpoint
      ? {
        endpoint: c.endpoint,
        forcePathStyle: true,
        // Many S3-compatible servers reject the SDK's newer default checksums (aws-chunked, CRC32).
        requestChecksumCalculation: "WHEN_REQUIRED" as const,
        responseChecksumValidation: "WHEN_REQUIRED" as const,
      }
      : {}),
  });
  return { sdk, client };
}

/** Hints for the failures a user can fix in the config. Never includes the keys themselves. */
const HINTS: Record<string, string> = {
  InvalidAccessKeyId: "check storage.access_key_id",
  SignatureDoesNotMatch: "check storage.secret_access_key",
  AccessDenied: "the credentials lack permission for this bucket",
  NoSuchBucket: "check storage.bucket (or create the bucket)",
  PermanentRedirect: "check storage.region: the bucket lives in another region",
  AuthorizationHeaderMalformed: "check storage.region",
  CredentialsProviderError: "set storage.access_key_id and storage.secret_access_key, or AWS credentials in the environment",
};

/** `s3 PutObject s3://bucket/key: InvalidAccessKeyId: … (check storage.access_key_id)`. */
export function s3Error(op: string, where: string, e: unknown): Error {
  const name = (e as { name?: string }).name ?? "";
  const hint = HINTS[name] ?? (/region is missing/i.test(messageOf(e)) ? "set storage.region" : undefined);
  const text = `${name && name !== "Error" ? `${name}: ` : ""}${messageOf(e)}`;
  return new Error(`s3 ${op} ${where}: ${text}${hint ? ` (${hint})` : ""}`, { cause: e });
}
