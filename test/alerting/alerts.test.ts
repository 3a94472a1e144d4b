import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { Alerts } from "../../lib/alerting/alerts.js";
import { parseState } from "../../lib/alerting/state-file.js";
import { FsStorage } from "../../lib/storage/fs.js";
import type { Result, Notifier } from "../../lib/types.js";
import { closedPort } from "../helpers/http-server.js";
import { notifierOf, receiver, T0 } from "../helpers/notify.js";
import { tmpDir } from "../helpers/tmp.js";

const MIN = 60_000_000_000n;
const up: Result = { title: "API", endpoint: "https://api/health", timestamp: T0, times: [{ rtt: 1 }], healthy: true };
const down: Result = { ...up, healthy: undefined, down: true, times: [{ rtt: 1, error: "connection refused" }] };

function clock(start = T0) {
  let now = start;
  return { now: () => now, tick: () => (now += MIN) };
}

async function webhookTo(url: string, extra: object = {}): Promise<Notifier> {
  return notifierOf({ type: "webhook", url, timeout: "1s", ...extra });
}

function alerts(notifiers: Notifier[], opts: Partial<ConstructorParameters<typeof Alerts>[0]> = {}) {
  const warnings: string[] = [];
  const a = new Alerts({ notifiers, warn: (m) => warnings.push(m), retryDelaysMs: [5, 5], ...opts });
  return { a, warnings };
}

/** A round, then its deliveries: what was delivered and kept. */
async function roundAndSettle(a: Alerts, results: Result[]) {
  await a.round(results);
  return a.settle();
}

const kindsOf = (bodies: string[]) => bodies.map((b) => (JSON.parse(b) as { events: { kind: string }[] }).events.map((e) => e.kind).join("+"));

test("alerts: a dead notifier is retried, logged with its type, and never stops the others", async () => {
  const good = await receiver(200);
  const dead = await webhookTo(`http://127.0.0.1:${await closedPort()}/hook`);
  const slackDead = await notifierOf({ type: "slack", webhook: `${(await receiver(500, "internal_error")).url}/services/x` });
  const c = clock();
  const { a, warnings } = alerts([dead, await webhookTo(`${good.url}/hook`), slackDead], { now: c.now });
  assert.equal(await a.round([down]), 3, "one alert queued per notifier");
  assert.deepEqual(await a.settle(), { delivered: 1, kept: 2 });
  assert.deepEqual(kindsOf(good.requests.map((r) => r.body)), ["alert"]);
  assert.equal(warnings.length, 2);
  warnings.sort((x, y) => x.localeCompare(y)).reverse(); // the two queues finish in either order
  assert.match(warnings[0]!, /^notifier webhook: delivery failed after 3 tries: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED; 1 event kept for the next run$/);
  assert.match(warnings[1]!, /^notifier slack: delivery failed after 3 tries: http:\/\/127\.0\.0\.1:\d+ answered HTTP 500 Internal Server Error: internal_error; 1 event kept/);
});

test("alerts: a failed alert is delivered by the next run, then the recovery once", async () => {
  let failing = true;
  const { startHttpServer } = await import("../helpers/http-server.js");
  const server = await startHttpServer((_req, res) => {
    res.writeHead(failing ? 503 : 200);
    res.end();
  });
  const c = clock();
  const { a } = alerts([await webhookTo(`${server.url}/hook`)], { now: c.now });
  assert.deepEqual(await roundAndSettle(a, [down]), { delivered: 0, kept: 1 });
  failing = false;
  c.tick();
  assert.deepEqual(await roundAndSettle(a, [down]), { delivered: 1, kept: 0 });
  c.tick();
  await roundAndSettle(a, [down]);
  c.tick();
  await roundAndSettle(a, [up]);
  const ok = server.requests.filter((_, i) => i >= 3); // 3 failed tries first
  assert.deepEqual(kindsOf(ok.map((r) => r.body)), ["alert", "recovered"]);
  assert.equal(JSON.parse(ok[0]!.body).events[0].time, "2024-06-10T12:00:00.000Z", "the original alert, with its own time");
});

test("alerts: a hanging notifier times out and the round still ends", async () => {
  const { startHttpServer } = await import("../helpers/http-server.js");
  const hang = await startHttpServer(() => undefined);
  const { a, warnings } = alerts([await webhookTo(`${hang.url}/hook`, { timeout: "200ms" })], { retryDelaysMs: [] });
  assert.deepEqual(await roundAndSettle(a, [down]), { delivered: 0, kept: 1 });
  assert.match(warnings[0]!, /after 1 tries: no answer from http:\/\/127\.0\.0\.1:\d+ in time/);
});

test("alerts: the state file carries the alert to a new instance (a new process); racing rounds alert once", async () => {
  const server = await receiver(200);
  const stateFile = path.join(await tmpDir(), "alerts.json");
  const n = await webhookTo(`${server.url}/hook`);
  const c = clock();
  await roundAndSettle(alerts([n], { stateFile, now: c.now }).a, [down]);
  c.tick();
  await roundAndSettle(alerts([n], { stateFile, now: c.now }).a, [down]);
  assert.deepEqual(kindsOf(server.requests.map((r) => r.body)), ["alert"]);
  const state = parseState(await readFile(stateFile, "utf8"));
  assert.deepEqual(Object.keys(state.notifiers[n.id]!.open), ["API"]);

  const raced = await receiver(200);
  const m = await webhookTo(`${raced.url}/hook`);
  const racingFile = path.join(await tmpDir(), "alerts.json");
  await Promise.all(Array.from({ length: 4 }, () => roundAndSettle(alerts([m], { stateFile: racingFile, now: c.now }).a, [down])));
  assert.deepEqual(kindsOf(raced.requests.map((r) => r.body)), ["alert"]);
});

test("alerts: without a state file, the last stored round seeds the state", async () => {
  const server = await receiver(200);
  const storage = new FsStorage({ dir: await tmpDir(), url: "", checkExpiry: 0 });
  await storage.store([{ ...down, timestamp: T0 - MIN }]);
  const { a } = alerts([await webhookTo(`${server.url}/hook`)], { reader: storage, now: clock().now });
  await roundAndSettle(a, [down]);
  assert.equal(server.requests.length, 0, "the run that stored the outage already alerted");
  await roundAndSettle(a, [up]);
  assert.deepEqual(kindsOf(server.requests.map((r) => r.body)), ["recovered"]);
});

test("alerts: maintenance marks results and holds back the alert until the window ends", async () => {
  const server = await receiver(200);
  const c = clock();
  const window = { start: Number(T0 / 1_000_000n), length: 2 * 60_000, repeat: "none" as const, timeZone: "UTC", checks: ["api"] };
  const { a } = alerts([await webhookTo(`${server.url}/hook`)], { now: c.now, maintenance: [window] });
  for (let i = 0; i < 3; i++) {
    const round = [{ ...down }];
    a.mark(round);
    assert.equal(round[0]!.maintenance, i < 2 ? true : undefined, `round ${i}`);
    await roundAndSettle(a, round);
    c.tick();
  }
  assert.deepEqual(kindsOf(server.requests.map((r) => r.body)), ["alert"]);
  assert.equal(JSON.parse(server.requests[0]!.body).events[0].time, "2024-06-10T12:02:00.000Z");
});

test("alerts: the digest goes to digest notifiers, with the first round after its interval", async () => {
  const chat = await receiver(200);
  const report = await receiver(200);
  const c = clock();
  const { a } = alerts([await webhookTo(`${chat.url}/hook`), await webhookTo(`${report.url}/hook`, { digest: true })],
    { now: c.now, digestEvery: 5 * 60e9 });
  for (const r of [up, down, down, up, up, up, up]) {
    await roundAndSettle(a, [r]);
    c.tick();
  }
  const digests = report.requests.map((r) => JSON.parse(r.body)).filter((b) => b.kind === "digest");
  assert.equal(digests.length, 1);
  assert.deepEqual(digests[0].digest.incidents.map((i: { status: string }) => i.status), ["down", "healthy"]);
  assert.equal(chat.requests.some((r) => JSON.parse(r.body).kind === "digest"), false);
  assert.deepEqual(await a.digest(), ["webhook"]);
  assert.deepEqual(JSON.parse(report.requests.at(-1)!.body).digest.incidents, [], "incidents restart after each digest");
});

test("alerts: settle() with a short bound (every's SIGTERM) interrupts a slow delivery and keeps the event", async () => {
  const { startHttpServer } = await import("../helpers/http-server.js");
  const hang = await startHttpServer(() => undefined);
  const stateFile = path.join(await tmpDir(), "alerts.json");
  const n = await webhookTo(`${hang.url}/hook`, { timeout: "30s" });
  const { a, warnings } = alerts([n], { stateFile });
  await a.round([down]);
  await hang.received(1, 5000);
  assert.deepEqual(await a.settle(100), { delivered: 0, kept: 1 });
  assert.match(warnings[0]!, /^notifier webhook: delivery interrupted \(stopping\); 1 event kept/);
  const kept = parseState(await readFile(stateFile, "utf8")).notifiers[n.id]!;
  assert.deepEqual(kept.pending.map((e) => e.kind), ["alert"]);
  assert.equal(kept.sending, undefined, "given back: the next run sends it at once");
});
