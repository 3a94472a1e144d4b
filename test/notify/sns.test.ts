import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { Report, Scope } from "../../lib/config/fields.js";
import sns from "../../lib/notify/sns.js";
import { digestNotice, downEvent, downText, events, notifierOf, parseOne, signal } from "../helpers/notify.js";
import { startSnsFake } from "../helpers/sns-fake.js";

const ARN = "arn:aws:sns:eu-west-1:123456789012:checkup";
const KEYS = { access_key_id: "AKIDCONFIG", secret_access_key: "config-secret" };
const options = sns.parse({ topic_arn: ARN }, new Scope(new Report()));
const sdkLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes("@aws-sdk/client-sns"));

test("sns: a run is one Publish with the topic, a one-line subject and the plain text", () => {
  assert.deepEqual(sns.format(events(downEvent), options), { TopicArn: ARN, Subject: "Checkup: API is down", Message: downText });
  assert.equal(options.region, "eu-west-1", "the region is the topic's");
});

test("sns: the subject has no line breaks and stays under SNS's 100 characters", () => {
  const { Subject } = sns.format(events({ ...downEvent, title: `Shop\n${"é".repeat(200)}` }), options);
  assert.equal(Subject!.length, 99);
  assert.match(Subject!, /^Checkup: Shop é+…$/);
});

test("sns: a FIFO topic gets a message group and a deduplication id that repeats for a retry", () => {
  const fifo = sns.parse({ topic_arn: `${ARN}.fifo` }, new Scope(new Report()));
  const a = sns.format(events(downEvent), fifo);
  assert.equal(a.MessageGroupId, "checkup");
  assert.match(a.MessageDeduplicationId!, /^[0-9a-f]{64}$/);
  assert.equal(sns.format(events(downEvent), fifo).MessageDeduplicationId, a.MessageDeduplicationId);
  assert.notEqual(sns.format(digestNotice, fifo).MessageDeduplicationId, a.MessageDeduplicationId);
});

test("sns: the SDK loads on the first send, not when the config is read; it sends Action=Publish signed for the ARN's region", async () => {
  const fake = await startSnsFake();
  const n = await notifierOf({ type: "sns", topic_arn: ARN, endpoint: fake.url, ...KEYS });
  assert.equal(sdkLoaded(), false);
  await n.deliver(events(downEvent), signal());
  assert.equal(sdkLoaded(), true);
  assert.deepEqual(fake.calls, [{
    form: { Action: "Publish", Version: "2010-03-31", TopicArn: ARN, Subject: "Checkup: API is down", Message: downText },
    keyId: "AKIDCONFIG", region: "eu-west-1", service: "sns", contentType: "application/x-www-form-urlencoded",
  }]);
  assert.equal(fake.requests[0]!.method, "POST");
  assert.equal(fake.requests[0]!.url, "/");
});

test("sns: without keys in the config, the default chain's credentials (here the environment) sign", async () => {
  const fake = await startSnsFake();
  process.env.AWS_ACCESS_KEY_ID = "AKIDFROMENV";
  process.env.AWS_SECRET_ACCESS_KEY = "env-secret";
  try {
    await (await notifierOf({ type: "sns", topic_arn: ARN, endpoint: fake.url })).deliver(events(downEvent), signal());
  } finally {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
  }
  assert.equal(fake.calls[0]!.keyId, "AKIDFROMENV");
});

test("sns: a refusal names the topic, SNS's error code and the fix, never the secret", async () => {
  const fake = await startSnsFake({ fail: { status: 403, code: "AuthorizationError", message: "User is not authorized to perform: SNS:Publish" } });
  const n = await notifierOf({ type: "sns", topic_arn: ARN, endpoint: fake.url, ...KEYS });
  await assert.rejects(n.deliver(events(downEvent), signal()), (e: Error) => {
    assert.equal(e.message, `sns Publish ${ARN}: AuthorizationErrorException: User is not authorized to perform: SNS:Publish (the credentials lack sns:Publish on this topic)`);
    assert.doesNotMatch(e.message, /config-secret/);
    return true;
  });
});

test("sns: a server error is tried once per delivery try: checkup retries with its pauses, not the SDK too", async () => {
  const fake = await startSnsFake({ fail: { status: 500, code: "InternalError", message: "try again" } });
  const n = await notifierOf({ type: "sns", topic_arn: ARN, endpoint: fake.url, ...KEYS });
  await assert.rejects(n.deliver(events(downEvent), signal()), /InternalError/);
  assert.equal(fake.calls.length, 1);
});

test("sns: a server that never answers is given up on at the delivery timeout", async () => {
  const { startHttpServer } = await import("../helpers/http-server.js");
  const hung = await startHttpServer(() => undefined);
  const n = await notifierOf({ type: "sns", topic_arn: ARN, endpoint: hung.url, ...KEYS });
  await assert.rejects(n.deliver(events(downEvent), AbortSignal.timeout(300)), { message: `sns Publish ${ARN}: no answer in time` });
  assert.equal(hung.requests.length, 1);
});

test("sns: a bad ARN and half a key pair are refused", async () => {
  assert.deepEqual((await parseOne({ type: "sns", topic_arn: "ops-alerts", access_key_id: "AKID" })).problems, [
    "notifiers[0].topic_arn: expected an SNS topic ARN like \"arn:aws:sns:us-east-1:123456789012:checkup\", got \"ops-alerts\"",
    "notifiers[0].secret_access_key: set both access_key_id and secret_access_key, or neither to use the AWS default credentials (environment, shared config, instance role)",
  ]);
});
