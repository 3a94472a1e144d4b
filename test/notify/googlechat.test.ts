import assert from "node:assert/strict";
import { test } from "node:test";
import googlechat from "../../lib/notify/googlechat.js";
import { plainText } from "../../lib/alerting/text.js";
import { bytes, digestNotice, downEvent, downText, events, notifierOf, parseOne, receiver, signal } from "../helpers/notify.js";

test("googlechat: a message is {text} with the plain body", () => {
  assert.equal(bytes(googlechat.format(events(downEvent))), bytes({ text: downText }));
  assert.equal(bytes(googlechat.format(digestNotice)), bytes({ text: plainText(digestNotice) }));
});

test("googlechat: POSTs to the space's webhook URL, key and token in the query; errors show only the host", async () => {
  const server = await receiver(200, '{"name":"spaces/AAAA/messages/x"}', { "content-type": "application/json" });
  const n = await notifierOf({ type: "googlechat", webhook: `${server.url}/v1/spaces/AAAA/messages?key=K3y&token=T0k` });
  await n.deliver(events(downEvent), signal());
  const [req] = server.requests;
  assert.deepEqual([req!.method, req!.url, req!.headers["content-type"]], ["POST", "/v1/spaces/AAAA/messages?key=K3y&token=T0k", "application/json"]);
  assert.equal(req!.body, bytes({ text: downText }));

  const bad = await receiver(400, '{"error":{"code":400,"message":"Invalid JSON payload"}}');
  const m = await notifierOf({ type: "googlechat", webhook: `${bad.url}/v1/spaces/AAAA/messages?key=K3y&token=T0k` });
  await assert.rejects(m.deliver(events(downEvent), signal()), (e: Error) => /HTTP 400/.test(e.message) && !/K3y|T0k|AAAA/.test(e.message));
});

test("googlechat: needs the webhook", async () => {
  assert.deepEqual((await parseOne({ type: "googlechat" })).problems,
    ["notifiers[0].webhook: missing: set it to the space's webhook URL (Apps & integrations → Webhooks)"]);
});
