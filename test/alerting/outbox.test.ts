/** Deliveries beside the rounds: per-notifier queues, in order, each with a deadline. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Alerts } from "../../lib/alerting/alerts.js";
import type { Result, Notifier } from "../../lib/types.js";
import { hungReceiver, notifierOf, receiver, T0 } from "../helpers/notify.js";

const up: Result = { title: "API", endpoint: "https://api/health", timestamp: T0, times: [{ rtt: 1 }], healthy: true };
const down: Result = { ...up, healthy: undefined, down: true, times: [{ rtt: 1, error: "connection refused" }] };

function alerts(notifiers: Notifier[]) {
  const warnings: string[] = [];
  return { a: new Alerts({ notifiers, warn: (m) => warnings.push(m), retryDelaysMs: [5, 5] }), warnings };
}

const kindsOf = (body: string) => (JSON.parse(body) as { events: { kind: string }[] }).events.map((e) => e.kind);

test("outbox: a hung notifier holds neither the rounds nor a healthy notifier; each hears its events in order", async () => {
  const dead = await hungReceiver();
  const good = await receiver(200);
  const deadNotifier = await notifierOf({ type: "webhook", url: `${dead.url}/dead`, timeout: "30s" });
  const { a } = alerts([deadNotifier, await notifierOf({ type: "webhook", url: `${good.url}/ok`, timeout: "1s" })]);
  assert.equal(await a.round([down]), 2, "the round resolves with the alert queued for both");
  await good.received(1, 5000);
  await dead.received(1, 5000);
  assert.equal(await a.round([down]), 0, "the alert in flight is not queued again");
  assert.equal(await a.round([up]), 2);
  await good.received(2, 5000);
  assert.deepEqual(good.requests.map((r) => kindsOf(r.body)), [["alert"], ["recovered"]]);

  assert.deepEqual(await a.settle(50), { delivered: 2, kept: 2 }, "the hung alert and the recovery behind it are kept");
  dead.answerFromNowOn();
  assert.equal(await a.round([up]), 2, "the next round sends what was kept");
  assert.deepEqual(await a.settle(), { delivered: 2, kept: 0 });
  assert.deepEqual(dead.answered.map(kindsOf), [["alert", "recovered"]], "alert before its recovery, once");
});

test("outbox: a notifier that ignores its signal is given up on after its timeout, try by try", async () => {
  let tries = 0;
  const deaf: Notifier = {
    type: "deaf", id: "deaf:1", batch: "event",
    policy: { failureThreshold: 1, successThreshold: 1, renotify: 0, digest: false, timeout: 100e6 },
    deliver: () => (tries++, new Promise<void>(() => undefined)),
  };
  const { a, warnings } = alerts([deaf]);
  await a.round([down]);
  assert.deepEqual(await a.settle(), { delivered: 0, kept: 1 });
  assert.equal(tries, 3);
  assert.deepEqual(warnings, ["notifier deaf: delivery failed after 3 tries: no answer within 100 ms; 1 event kept for the next run"]);
});
