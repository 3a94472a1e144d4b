import assert from "node:assert/strict";
import { test } from "node:test";
import { Report, Scope } from "../../lib/config/fields.js";
import opsgenie from "../../lib/notify/opsgenie.js";
import { dedupKey } from "../../lib/alerting/text.js";
import { bytes, degradedEvent, digestNotice, downEvent, downText, events, notifierOf, parseOne, receiver, recoveredEvent, signal } from "../helpers/notify.js";

const KEY = "eb243592-faa2-4ba2-a551-1afdf565c889";
const options = opsgenie.parse({ api_key: KEY, tags: ["web"] }, new Scope(new Report()));
const ACCEPTED = '{"result":"Request will be processed","took":0.1,"requestId":"r1"}';

test("opsgenie: an alert creates an alert under an alias stable for the check", () => {
  const { path, body } = opsgenie.format(events(downEvent), options);
  assert.equal(path, "/v2/alerts");
  assert.equal(bytes(body), bytes({
    message: "API is down: response status 502 Bad Gateway",
    alias: dedupKey(downEvent),
    description: downText,
    source: "checkup",
    entity: "API",
    priority: "P1",
    tags: ["web"],
    details: { endpoint: "https://api.example.org/health", status: "down", error: "response status 502 Bad Gateway", since: "2024-06-10T12:00:00.000Z" },
  }));
});

test("opsgenie: a degraded check is P3; the message is cut to Opsgenie's 130 characters", () => {
  assert.equal((opsgenie.format(events(degradedEvent), options).body as { priority: string }).priority, "P3");
  const long = opsgenie.format(events({ ...downEvent, reason: "x".repeat(300) }), options).body as { message: string };
  assert.equal(long.message.length, 130);
  assert.ok(long.message.endsWith("…"));
});

test("opsgenie: the recovery closes the same alias", () => {
  const { path, body } = opsgenie.format(events(recoveredEvent), options);
  assert.equal(path, `/v2/alerts/${dedupKey(downEvent)}/close?identifierType=alias`);
  assert.equal(bytes(body), bytes({ source: "checkup", note: "API is back up (was down for 12m 30s)" }));
});

test("opsgenie: POSTs with \"Authorization: GenieKey …\" to the base URL (202 Accepted)", async () => {
  const server = await receiver(202, ACCEPTED, { "content-type": "application/json" });
  const n = await notifierOf({ type: "opsgenie", api_key: KEY, base_url: server.url });
  await n.deliver(events(downEvent), signal());
  await n.deliver(events(recoveredEvent), signal());
  assert.deepEqual(server.requests.map((r) => [r.method, r.url, r.headers.authorization, r.headers["content-type"]]), [
    ["POST", "/v2/alerts", `GenieKey ${KEY}`, "application/json"],
    ["POST", `/v2/alerts/${dedupKey(downEvent)}/close?identifierType=alias`, `GenieKey ${KEY}`, "application/json"],
  ]);
  assert.equal(server.requests[0]!.body, bytes(opsgenie.format(events(downEvent), { ...options, tags: [] }).body));
});

test("opsgenie: region eu picks the EU API; a refused key is reported without it", async () => {
  const o = opsgenie.parse({ api_key: KEY, region: "eu" }, new Scope(new Report()));
  assert.equal(o.baseUrl, "https://api.eu.opsgenie.com");
  const denied = await receiver(422, '{"message":"Key format is not valid!","took":0.0,"requestId":"r2"}');
  const n = await notifierOf({ type: "opsgenie", api_key: KEY, base_url: denied.url });
  await assert.rejects(n.deliver(events(downEvent), signal()), (e: Error) => /HTTP 422.*Key format/.test(e.message) && !e.message.includes(KEY));
});

test("opsgenie: refuses digests, an unknown region and priority", async () => {
  assert.deepEqual((await parseOne({ type: "opsgenie", api_key: KEY, region: "asia", priority: "high", digest: true })).problems, [
    "notifiers[0].digest: opsgenie notifiers cannot take a digest: remove \"digest\": true",
    "notifiers[0].region: expected one of \"us\", \"eu\", got \"asia\"",
    "notifiers[0].priority: expected one of \"P1\", \"P2\", \"P3\", \"P4\", \"P5\", got \"high\"",
  ]);
  assert.throws(() => opsgenie.format(digestNotice, options), /no digest/);
});
