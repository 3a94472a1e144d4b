import assert from "node:assert/strict";
import { test } from "node:test";
import webhook from "../../lib/notify/webhook.js";
import { bytes, digestNotice, downEvent, events, notifierOf, parseOne, receiver, recoveredEvent, signal } from "../helpers/notify.js";

test("webhook: one JSON document per run, with every event (the documented payload)", () => {
  assert.equal(bytes(webhook.format(events(downEvent, recoveredEvent))), bytes({
    version: 1,
    kind: "events",
    summary: "1 failing, 1 recovered",
    text: "API is down: response status 502 Bad Gateway\nCheck: API\nEndpoint: https://api.example.org/health\nStatus: down\n" +
      "Error: response status 502 Bad Gateway\nTime: 2024-06-10 12:00:00 UTC\n\n" +
      "API is back up (was down for 12m 30s)\nCheck: API\nEndpoint: https://api.example.org/health\nStatus: healthy (was down)\n" +
      "Outage: 12m 30s\nTime: 2024-06-10 12:13:00 UTC",
    events: [
      { kind: "alert", check: "API", endpoint: "https://api.example.org/health", status: "down", reason: "response status 502 Bad Gateway",
        time: "2024-06-10T12:00:00.000Z", since: "2024-06-10T12:00:00.000Z", duration_ns: 0, duration: "0ms",
        text: "API is down: response status 502 Bad Gateway", key: "API\nhttps://api.example.org/health" },
      { kind: "recovered", check: "API", endpoint: "https://api.example.org/health", status: "healthy", previous: "down",
        time: "2024-06-10T12:13:00.000Z", since: "2024-06-10T12:00:00.000Z", duration_ns: 750_000_000_000, duration: "12m 30s",
        text: "API is back up (was down for 12m 30s)", key: "API\nhttps://api.example.org/health" },
    ],
  }));
});

test("webhook: a digest carries checks and incidents", () => {
  const body = webhook.format(digestNotice) as { kind: string; digest: { checks: unknown[]; incidents: { previous: string }[] } };
  assert.equal(body.kind, "digest");
  assert.equal(body.digest.checks.length, 2);
  assert.deepEqual(body.digest.incidents.map((i) => i.previous), ["healthy", "down"]);
});

test("webhook: POSTs with the configured headers", async () => {
  const server = await receiver(200);
  const n = await notifierOf({ type: "webhook", url: `${server.url}/hook?x=1`, headers: { Authorization: "Bearer t0k", "X-Env": "prod" } });
  await n.deliver(events(downEvent), signal());
  const [req] = server.requests;
  assert.equal(req!.method, "POST");
  assert.equal(req!.url, "/hook?x=1");
  assert.equal(req!.headers.authorization, "Bearer t0k");
  assert.equal(req!.headers["x-env"], "prod");
  assert.equal(req!.headers["content-type"], "application/json");
  assert.equal(req!.body, bytes(webhook.format(events(downEvent))));
});

test("webhook: bad headers are named without showing their values", async () => {
  const { problems } = await parseOne({ type: "webhook", url: "https://example.com/h", headers: { "Bad Name": "x", Authorization: 42 } });
  assert.deepEqual(problems, [
    "notifiers[0].headers.Bad Name: not a valid header name \"Bad Name\"",
    "notifiers[0].headers.Authorization: expected a string value like \"Bearer …\", got a number (value not shown)",
  ]);
});
