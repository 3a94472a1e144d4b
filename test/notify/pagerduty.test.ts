import assert from "node:assert/strict";
import { test } from "node:test";
import { Report, Scope } from "../../lib/config/fields.js";
import pagerduty from "../../lib/notify/pagerduty.js";
import { dedupKey } from "../../lib/alerting/text.js";
import { bytes, digestNotice, downEvent, events, notifierOf, parseOne, receiver, recoveredEvent, signal } from "../helpers/notify.js";

const KEY = "R0123456789abcdef0123456789abcde";
const options = pagerduty.parse({ routing_key: KEY }, new Scope(new Report()));

test("pagerduty: an alert is an Events API v2 trigger with a dedup key stable for the check", () => {
  assert.equal(bytes(pagerduty.format(events(downEvent), options)), bytes({
    routing_key: KEY,
    dedup_key: dedupKey(downEvent),
    event_action: "trigger",
    client: "checkup",
    payload: {
      summary: "API is down: response status 502 Bad Gateway",
      source: "https://api.example.org/health",
      severity: "critical",
      timestamp: "2024-06-10T12:00:00.000Z",
      component: "API",
      custom_details: { endpoint: "https://api.example.org/health", status: "down", error: "response status 502 Bad Gateway", since: "2024-06-10T12:00:00.000Z" },
    },
  }));
  assert.match(dedupKey(downEvent), /^checkup-[0-9a-f]{32}$/);
});

test("pagerduty: the recovery resolves the same dedup key", () => {
  assert.equal(bytes(pagerduty.format(events(recoveredEvent), options)),
    bytes({ routing_key: KEY, dedup_key: dedupKey(downEvent), event_action: "resolve" }));
});

test("pagerduty: POSTs to /v2/enqueue on the base URL (202 Accepted)", async () => {
  const server = await receiver(202, '{"status":"success","message":"Event processed","dedup_key":"x"}', { "content-type": "application/json" });
  const n = await notifierOf({ type: "pagerduty", routing_key: KEY, base_url: `${server.url}/` });
  await n.deliver(events(downEvent), signal());
  await n.deliver(events(recoveredEvent), signal());
  assert.deepEqual(server.requests.map((r) => [r.method, r.url, r.headers["content-type"]]),
    [["POST", "/v2/enqueue", "application/json"], ["POST", "/v2/enqueue", "application/json"]]);
  assert.equal(server.requests[0]!.body, bytes(pagerduty.format(events(downEvent), options)));
  assert.equal(JSON.parse(server.requests[1]!.body).event_action, "resolve");
});

test("pagerduty: refuses to take digests, and needs a routing key", async () => {
  assert.deepEqual((await parseOne({ type: "pagerduty", digest: true })).problems, [
    "notifiers[0].digest: pagerduty notifiers cannot take a digest: remove \"digest\": true",
    "notifiers[0].routing_key: missing: set it to the integration key of an Events API v2 integration (32 characters)",
  ]);
  assert.throws(() => pagerduty.format(digestNotice, options), /no digest/);
});
