/**
 * `checkup provision [s3]`: create the bucket and a read-only key for a public status page, with
 * the config's storage or, for `s3`, with keys and bucket from the environment (as checkup).
 */
import { Checkup } from "../../lib/checkup.js";
import { UsageError } from "../../lib/errors.js";
import type { ProvisionInfo, ProvisionOptions } from "../../lib/types.js";
import { loadCheckup, type GlobalOptions } from "../load.js";

export interface ProvisionFlags extends GlobalOptions {
  user?: string;
  iamEndpoint?: string;
  json?: boolean;
}

/** The variables `provision s3` reads, all required, and what each is for. */
const S3_ENV = {
  AWS_ACCESS_KEY_ID: "keys allowed to create IAM users and S3 buckets",
  AWS_SECRET_ACCESS_KEY: "",
  AWS_BUCKET_NAME: "the bucket to create",
} as const;

export async function provision(provider: string | undefined, flags: ProvisionFlags, env = process.env): Promise<void> {
  if (provider !== undefined && provider !== "s3") throw new UsageError(`unknown storage provider '${provider}' (known: s3)`);
  const checkup = provider ? await s3FromEnv(env) : await loadCheckup(flags, "storage");
  try {
    const options: ProvisionOptions = {
      username: flags.user,
      iamEndpoint: flags.iamEndpoint ?? env.CHECKUP_IAM_ENDPOINT ?? "",
      // The one line checkup prints first; with --json it stays off stdout.
      onStart: () => (flags.json ? process.stderr : process.stdout).write("One sec...\n"),
    };
    const info = await checkup.provision(options);
    process.stdout.write(flags.json ? provisionJson(info) : provisionText(info));
  } finally {
    await checkup.close();
  }
}

/** A Checkup holding only an s3 storage built from the environment. */
async function s3FromEnv(env: NodeJS.ProcessEnv): Promise<Checkup> {
  const missing = Object.keys(S3_ENV).filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new UsageError(`provision s3: ${missing.join(", ")} not set. It needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ` +
      `(${S3_ENV.AWS_ACCESS_KEY_ID}) and AWS_BUCKET_NAME (${S3_ENV.AWS_BUCKET_NAME}); AWS_REGION is optional (default us-east-1)`);
  }
  const { default: s3 } = await import("../../lib/storage/s3.js");
  const storage = await s3.create({
    accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY!, bucket: env.AWS_BUCKET_NAME!,
    region: env.AWS_REGION || "us-east-1", endpoint: env.CHECKUP_S3_ENDPOINT ?? "",
    prefix: "", checkExpiry: 0, summaries: false,
  });
  return new Checkup({ checkers: [], storage, spoolDir: false });
}

const LABELS: [keyof ProvisionInfo, string][] = [
  ["userId", "User ID"], ["username", "Username"], ["publicAccessKeyId", "Public Access Key ID"], ["publicAccessKey", "Public Access Key"],
];

/** checkup's success block: labels right-aligned, then the notice to copy the key now. */
export function provisionText(info: ProvisionInfo): string {
  const width = Math.max(...LABELS.map(([, label]) => label.length)) + 1;
  const rows = LABELS.map(([key, label]) => `${`${label}:`.padStart(width)} ${info[key]}`);
  return ["Provision successful", "", ...rows, "",
    "Copy the Public Access Key ID and Public Access Key into the status page's config.js",
    "(storage.AccessKeyID and storage.SecretAccessKey) now: they will not be shown again.",
    "The key can only list and read this bucket.", ""].join("\n");
}

/** The same, with checkup's JSON names. */
export function provisionJson(info: ProvisionInfo): string {
  return `${JSON.stringify({
    user_id: info.userId, username: info.username, public_access_key_id: info.publicAccessKeyId, public_access_key: info.publicAccessKey,
  }, null, 2)}\n`;
}
