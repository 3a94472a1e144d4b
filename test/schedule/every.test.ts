import assert from "node:assert/strict";
import { test } from "node:test";
import { delayToNextTick, parseInterval } from "../../lib/schedule/every.js";

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
