/**
 * `sns`: one Publish per run to an Amazon SNS topic (its email, SMS, chat or Lambda subscribers
 * take it from there). Static keys when both are set, else the SDK's default chain (environment,
 * shared config, instance role); the region is the topic ARN's. The SDK loads on the first send.
 */
import type { PublishCommandInput, SNSClient } from "@aws-sdk/client-sns";
import { createHash } from "node:crypto";
import { str, url, type Raw, type Scope } from "../config/fields.js";
import { messageOf } from "../errors.js";
import { importPackage } from "../optional-package.js";
import { plainText, subjectOf, truncate } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";

/** Pinned: later SDK releases drop Node 20. */
export const SNS_PACKAGE = "@aws-sdk/client-sns@~3.1169.0";

export interface SnsOptions {
  topicArn: string;
  /** The topic ARN's: a topic lives in one region. */
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** An SNS-compatible endpoint (LocalStack, a test receiver); "" = AWS. */
  endpoint: string;
  subject: string;
}

const ARN = /^arn:aws[\w-]*:sns:([a-z0-9-]+):\d{12}:[\w-]{1,256}(\.fifo)?$/;
/** SNS: a Subject is under 100 characters, with no line breaks or control characters. */
const MAX_SUBJECT = 99;

function subjectLine(text: string): string {
  return truncate(text.replace(/\p{Cc}+/gu, " "), MAX_SUBJECT);
}

/** Hints for the failures a user can fix in the config, by the SDK's error name. */
const HINTS: Record<string, string> = {
  InvalidClientTokenId: "check access_key_id, or the AWS credentials in the environment",
  SignatureDoesNotMatch: "check secret_access_key",
  AuthorizationErrorException: "the credentials lack sns:Publish on this topic",
  NotFoundException: "no such topic: check topic_arn",
  CredentialsProviderError: "set access_key_id and secret_access_key, or AWS credentials in the environment",
};

/** One client per configured notifier: credentials are resolved once, not on every send. */
const clients = new WeakMap<SnsOptions, Promise<{ client: SNSClient; sdk: typeof import("@aws-sdk/client-sns") }>>();

async function clientFor(o: SnsOptions) {
  // The SDK warns on Node 20 about its future releases; the pinned version supports Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const sdk = await importPackage(() => import("@aws-sdk/client-sns"), SNS_PACKAGE, "the sns notifier");
  const client = new sdk.SNSClient({
    region: o.region,
    // checkup retries a failed delivery itself (3 tries, with pauses); the SDK must not multiply that.
    maxAttempts: 1,
    ...(o.endpoint && { endpoint: o.endpoint }),
    ...(o.accessKeyId && o.secretAccessKey && { credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey } }),
  });
  return { client, sdk };
}

export default {
  parse: (raw: Raw, at: Scope): SnsOptions => {
    const topicArn = str(raw, "topic_arn", at, { required: "the topic's ARN, like \"arn:aws:sns:us-east-1:123456789012:checkup\"" });
    const region = ARN.exec(topicArn)?.[1];
    if (topicArn && !region) at.problem("topic_arn", `expected an SNS topic ARN like "arn:aws:sns:us-east-1:123456789012:checkup", got ${JSON.stringify(topicArn)}`);
    const o = {
      topicArn,
      region: region ?? "",
      accessKeyId: str(raw, "access_key_id", at),
      secretAccessKey: str(raw, "secret_access_key", at),
      endpoint: url(raw, "endpoint", at, { example: "http://localhost:4566", optional: true }),
      subject: str(raw, "subject", at),
    };
    if (!o.accessKeyId !== !o.secretAccessKey) {
      at.problem(o.accessKeyId ? "secret_access_key" : "access_key_id", "set both access_key_id and secret_access_key, or neither to use the AWS default credentials (environment, shared config, instance role)");
    }
    return o;
  },
  batch: "run",
  format: (notice, o): PublishCommandInput => {
    const input = { TopicArn: o.topicArn, Subject: subjectLine(subjectOf(notice, o.subject)), Message: plainText(notice) };
    if (!o.topicArn.endsWith(".fifo")) return input;
    // A FIFO topic needs a group (one: keep the order) and drops a retried duplicate within 5 minutes.
    return { ...input, MessageGroupId: "checkup", MessageDeduplicationId: createHash("sha256").update(`${input.Subject}\n${input.Message}`).digest("hex") };
  },
  send: async (input, o, signal) => {
    let entry = clients.get(o);
    if (!entry) clients.set(o, (entry = clientFor(o)));
    const { client, sdk } = await entry;
    try {
      await client.send(new sdk.PublishCommand(input), { abortSignal: signal });
    } catch (e) {
      if (signal.aborted) throw new Error(`sns Publish ${o.topicArn}: no answer in time`, { cause: e });
      const name = (e as { name?: string }).name ?? "";
      const hint = HINTS[name];
      throw new Error(`sns Publish ${o.topicArn}: ${name && name !== "Error" ? `${name}: ` : ""}${messageOf(e)}${hint ? ` (${hint})` : ""}`, { cause: e });
    }
  },
} satisfies NotifierType<SnsOptions, PublishCommandInput>;
