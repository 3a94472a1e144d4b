/**
 * A round is bounded even when a checker is not: a program's own Checker that never settles is
 * recorded as down once its limit passes (its signal aborted), and stopping `every` abandons it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Checkup, createChecker } from "../../lib/index.js";
import type { RoundReport } from "../../lib/checkup.js";
import { LiveChecks } from "../../lib/serve/live.js";
import { startHttpServer } from "../helpers/http-server.js";
import { stuckChecker, within } from "../helpers/hostile.js";

test("check(): a checker that never settles is down once its limit passes; the others are not held up", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const stuck = stuckChecker("Queue", 200_000_000);
  const checkup = new Checkup({ checkers: [stuck, await createChecker({ type: "http", endpoint_url: ok.url })], spoolDir: false });
  const [late, web] = await within(checkup.check(), 5_000, "the round");
  assert.equal(late!.down, true);
  assert.equal(late!.title, "Queue");
  assert.equal(late!.endpoint, "stuck://Queue");
  assert.deepEqual(late!.times, [{ rtt: 200_000_000, error: "check did not finish within 200ms" }]);
  assert.equal(web!.healthy, true);
  await within(stuck.aborted, 1_000, "the stuck checker's signal aborted");
});

test("every: stop() abandons a round whose checker never settles, within the grace period", async () => {
  const stuck = stuckChecker("Queue"); // no limit of its own: the default (60 s) is far away
  const storage = { type: "memory", store: () => Promise.resolve("never") };
  const checkup = new Checkup({ checkers: [stuck], storage, spoolDir: false });
  const reports: RoundReport[] = [];
  const handle = checkup.every("1h", { graceMs: 100, onRound: (r) => reports.push(r) });
  await within(handle.stop(), 2_000, "stop");
  assert.equal(reports.length, 1);
  assert.equal(reports[0]!.abandoned, true);
  assert.equal(stuck.signals[0]!.aborted, true);
});

test("a configured checker's limit covers every attempt, its spacing and a margin", async () => {
  const tcp = await createChecker({ type: "tcp", endpoint_url: "127.0.0.1:1", attempts: 3, timeout: "1s", attempt_spacing: "2s" });
  assert.equal(tcp.limit, 3 * (1e9 + 2e9) + 2e9);
});

test("serve: a live check that never settles answers down once its limit passes", async () => {
  const live = new LiveChecks([stuckChecker("Queue", 200_000_000)]);
  const { value } = await within(live.run(live.find("queue")!), 5_000, "the live check");
  assert.equal(value.down, true);
  assert.equal(value.times[0]!.error, "check did not finish within 200ms");
  live.close();
});
