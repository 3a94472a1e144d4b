import assert from "node:assert/strict";
import { test } from "node:test";
import { Report, Scope } from "../../lib/config/fields.js";
import ntfy from "../../lib/notify/ntfy.js";
import { bytes, digestNotice, downEvent, downText, events, notifierOf, parseOne, receiver, recoveredEvent, signal } from "../helpers/notify.js";

const options = ntfy.parse({ topic: "checkup-alerts" }, new Scope(new Report()));

test("ntfy: an alert is a JSON publish with the topic, a title, high priority and a siren tag", () => {
  assert.equal(bytes(ntfy.format(events(downEvent), options)), bytes({
    topic: "checkup-alerts",
    title: "Checkup: API is down",
    message: downText,
    tags: ["rotating_light"],
    priority: 4,
  }));
});

test("ntfy: a recovery or a digest takes the server's default priority", () => {
  const up = ntfy.format(events(recoveredEvent), { ...options, subject: "Shop" }) as Record<string, unknown>;
  assert.equal(up.title, "Shop: API is back up (was down for 12m 30s)");
  assert.deepEqual(up.tags, ["white_check_mark"]);
  assert.equal("priority" in up, false);
  assert.equal("priority" in (ntfy.format(digestNotice, options) as object), false);
});

test("ntfy: POSTs the JSON to the server's root with the access token as Bearer", async () => {
  const server = await receiver(200, '{"id":"x","event":"message"}', { "content-type": "application/json" });
  const n = await notifierOf({ type: "ntfy", server: `${server.url}/ntfy/`, topic: "checkup-alerts", token: "tk_secret", priority: 5 });
  await n.deliver(events(downEvent), signal());
  const [req] = server.requests;
  assert.deepEqual([req!.method, req!.url, req!.headers.authorization, req!.headers["content-type"]],
    ["POST", "/ntfy/", "Bearer tk_secret", "application/json"]);
  assert.equal(req!.body, bytes(ntfy.format(events(downEvent), { ...options, priority: 5 })));
});

test("ntfy: username and password go as Basic; an error names the server, never the topic or token", async () => {
  const ok = await receiver(200);
  await (await notifierOf({ type: "ntfy", server: ok.url, topic: "t", username: "phil", password: "pw" })).deliver(events(downEvent), signal());
  assert.equal(ok.requests[0]!.headers.authorization, `Basic ${Buffer.from("phil:pw").toString("base64")}`);

  const denied = await receiver(403, '{"code":40301,"http":403,"error":"forbidden"}');
  const n = await notifierOf({ type: "ntfy", server: denied.url, topic: "secret-topic", token: "tk_secret" });
  await assert.rejects(n.deliver(events(downEvent), signal()), (e: Error) =>
    e.message.startsWith(`${denied.url} answered HTTP 403`) && !/secret/.test(e.message));
});

test("ntfy: a bad topic is refused without showing it; token and password together are refused", async () => {
  assert.deepEqual((await parseOne({ type: "ntfy", topic: "alerts/ops", token: "tk_x", username: "phil" })).problems, [
    "notifiers[0].topic: expected a topic name of up to 64 letters, digits, \"-\" and \"_\" (value not shown)",
    "notifiers[0].token: set either token or username and password, not both",
  ]);
  assert.deepEqual((await parseOne({ type: "ntfy", topic: "t", priority: 9 })).problems,
    ["notifiers[0].priority: expected a whole number from 1 to 5, got 9"]);
});
