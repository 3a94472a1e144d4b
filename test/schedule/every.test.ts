import assert from "node:assert/strict";
import { test } from "node:test";
import { SECOND } from "../../lib/duration.js";
import { delayToNextTick, every, parseInterval, type Tick } from "../../lib/schedule/every.js";

test("interval words and durations, as checkup's every plus ms-style", () => {
  assert.equal(parseInterval("second"), 1e9);
  assert.equal(parseInterval("MINUTE"), 60e9);
  assert.equal(parseInterval("hour"), 3600e9);
  assert.equal(parseInterval("day"), 86400e9);
  assert.equal(parseInterval("week"), 7 * 86400e9);
  assert.equal(parseInterval("10m"), 600e9);
  assert.equal(parseInterval("1h30m"), 5400e9);
  assert.throws(() => parseInterval("0s"), /invalid interval "0s"/);
  assert.throws(() => parseInterval("often"), /invalid interval "often": use second, minute, hour, day, week or a duration like 10m, 1h30m/);
});

test("rounds sit on a fixed grid: no drift, missed ticks skipped", () => {
  assert.equal(delayToNextTick(0, 100), 100);
  assert.equal(delayToNextTick(7, 100), 93, "a 7 ms round starts the next one on time, not 7 ms late");
  assert.equal(delayToNextTick(100, 100), 100);
  assert.equal(delayToNextTick(250, 100), 50, "a round that ran 2.5 intervals goes to the next grid point");
  assert.equal(delayToNextTick(86_400_123, 60_000), 60_000 - 123);
});

test("every: a round at once, one per interval on the grid, none after stop()", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const signals: AbortSignal[] = [];
  const handle = every(async (signal) => void signals.push(signal), SECOND);
  const settle = () => new Promise<void>((r) => setImmediate(r));
  await settle();
  assert.equal(signals.length, 1, "the first round runs at once");
  for (let i = 2; i <= 3; i++) {
    t.mock.timers.tick(999);
    await settle();
    assert.equal(signals.length, i - 1, "not before the interval is up");
    t.mock.timers.tick(1);
    await settle();
    assert.equal(signals.length, i, `round ${i} on the grid`);
  }
  await handle.stop();
  t.mock.timers.tick(60 * 1000);
  await settle();
  assert.equal(signals.length, 3, "no round after stop()");
  assert.ok(signals.every((s) => !s.aborted), "finished rounds are not aborted");
});

test("every: stop() lets the round in flight finish, and aborts it after the grace period", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  let signal!: AbortSignal;
  const handle = every((s) => new Promise<void>((resolve) => {
    signal = s;
    s.addEventListener("abort", () => resolve());
  }), SECOND, { graceMs: 4000 });
  let stopped = false;
  const stopping = handle.stop().then(() => (stopped = true));
  await new Promise<void>((r) => setImmediate(r));
  t.mock.timers.tick(3999);
  await new Promise<void>((r) => setImmediate(r));
  assert.equal(signal.aborted || stopped, false, "the round may finish within the grace period");
  t.mock.timers.tick(1);
  await stopping;
  assert.equal(signal.aborted, true);
});

test("every: a round that overruns reports the grid points it skipped; on-time rounds report none", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const ticks: Tick[] = [];
  const handle = every((_signal, tick) => {
    ticks.push(tick);
    // The first round runs 2.5 intervals; the others are instant.
    return ticks.length === 1 ? new Promise<void>((r) => setTimeout(r, 2500)) : Promise.resolve();
  }, SECOND);
  const settle = () => new Promise<void>((r) => setImmediate(r));
  await settle();
  t.mock.timers.tick(2500);
  await settle();
  assert.equal(ticks.length, 1, "nothing starts while the first round runs");
  t.mock.timers.tick(500);
  await settle();
  t.mock.timers.tick(1000);
  await settle();
  await handle.stop();
  assert.deepEqual(ticks, [{ missed: 0, lateMs: 0 }, { missed: 2, lateMs: 0 }, { missed: 0, lateMs: 0 }],
    "grid points 1 and 2 passed during the first round; 3 and 4 ran on time");
});
