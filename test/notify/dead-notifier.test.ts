/**
 * A notifier that accepts the request and never answers: `every` keeps its interval, the other
 * notifiers hear on time, SIGTERM still exits promptly, a cron `--store` run ends within its
 * bound, and what was not delivered reaches the receiver exactly once, from the next run.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { parseState } from "../../lib/alerting/state-file.js";
import { runCli, startCli } from "../helpers/cli.js";
import { startHttpServer } from "../helpers/http-server.js";
import { hungReceiver, receiver } from "../helpers/notify.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

/** The checked service: failing (503) or healthy on demand. */
async function service() {
  const s = { healthy: false, url: "" };
  s.url = (await startHttpServer((_req, res) => res.writeHead(s.healthy ? 200 : 503).end())).url;
  return s;
}

const kindsIn = (body: string) => (JSON.parse(body) as { events: { kind: string; check: string }[] }).events.map((e) => `${e.check}:${e.kind}`);

test("dead notifier: every keeps its interval, the healthy notifier hears on time, SIGTERM keeps the alert for the next run", async () => {
  const svc = await service();
  const dead = await hungReceiver();
  const healthy = await receiver(200);
  const dir = await tmpDir();
  const alertState = path.join(dir, "alerts.json");
  const config = await writeConfig({
    checkers: [{ type: "http", endpoint_name: "API", endpoint_url: `${svc.url}/health` }],
    storage: { type: "fs", dir: path.join(dir, "checks") },
    alert_state: alertState,
    // One try may hang 30 s: three tries and their pauses would hold a waiting round for 94 s.
    notifiers: [{ type: "webhook", url: `${dead.url}/dead`, timeout: "30s" }, { type: "webhook", url: `${healthy.url}/ok` }],
  });
  const intervalMs = 1000; // the shortest interval every accepts
  const every = startCli(["-c", config, "every", `${intervalMs}ms`, "--log-format", "json"], { killAfterMs: 60_000 });
  await dead.received(1, 10_000);
  await healthy.received(1, 10_000);
  const rounds = 6;
  // The first round runs at once, then one per interval; a few intervals of slack for a busy machine.
  await every.waitForLines(rounds, intervalMs * (rounds + 6));
  svc.healthy = true;
  await healthy.received(2, intervalMs * 6);
  assert.deepEqual(healthy.requests.map((r) => kindsIn(r.body)), [["API:alert"], ["API:recovered"]]);

  const stopAt = Date.now();
  every.child.kill("SIGTERM");
  const exit = await every.exited;
  const took = Date.now() - stopAt;
  assert.equal(exit.code, 0, every.stderr());
  assert.ok(took < 5000, `exited ${took} ms after SIGTERM`);
  assert.match(every.stderr(), /warning: notifier webhook: delivery interrupted \(stopping\); 1 event kept for the next run/);
  const kept = Object.values(parseState(await readFile(alertState, "utf8")).notifiers).map((n) => n.pending.map((e) => e.kind));
  assert.deepEqual(kept.sort(), [[], ["alert", "recovered"]], "the dead notifier's alert and recovery are kept, the healthy one's are not");

  dead.answerFromNowOn();
  for (let run = 0; run < 2; run++) assert.equal((await runCli(["-c", config, "--store"])).code, 0);
  assert.deepEqual(dead.answered.map(kindsIn), [["API:alert", "API:recovered"]], "delivered once, by the next run, in order");
  assert.equal(healthy.requests.length, 2, "nothing repeated to the healthy notifier");
});

test("dead notifier: a cron --store run ends within one delivery's bound and keeps every event", async () => {
  const svc = await service();
  const dead = await hungReceiver();
  const dir = await tmpDir();
  const alertState = path.join(dir, "alerts.json");
  const titles = ["A", "B", "C", "D"];
  const config = await writeConfig({
    checkers: titles.map((t) => ({ type: "http", endpoint_name: t, endpoint_url: `${svc.url}/${t}` })),
    storage: { type: "fs", dir: path.join(dir, "checks") },
    alert_state: alertState,
    // Slack sends one message per event: four events, each up to 3 × 300 ms + 1 s + 3 s of pauses.
    notifiers: [{ type: "slack", webhook: `${dead.url}/services/T/B/X`, timeout: "300ms" }],
  });
  const boundMs = 3 * 300 + 1000 + 3000;
  const started = Date.now();
  const r = await runCli(["-c", config, "--store"], { timeoutMs: 60_000 });
  const took = Date.now() - started;
  assert.equal(r.code, 0, r.stderr);
  // --store waits one delivery's bound and a second; the rest is starting Node, checking, storing.
  assert.ok(took < boundMs + 1000 + 3000, `--store took ${took} ms; a delivery is bounded by ${boundMs} ms`);
  assert.match(r.stderr, /warning: notifier slack: delivery (failed after 3 tries|interrupted \(stopping\)).*; 1 event kept for the next run/);
  assert.equal((await readdir(path.join(dir, "checks"))).filter((f) => f.endsWith("-check.json")).length, 1, "the round is stored");
  const [pending] = Object.values(parseState(await readFile(alertState, "utf8")).notifiers).map((n) => n.pending.map((e) => e.title));
  assert.deepEqual(pending, titles);

  dead.answerFromNowOn();
  assert.equal((await runCli(["-c", config, "--store"])).code, 0);
  assert.deepEqual(dead.answered.map((b) => (JSON.parse(b) as { text: string }).text.split(" ")[0]), titles, "each alert once, in order");
});
