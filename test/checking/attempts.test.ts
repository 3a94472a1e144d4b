/** checkup's verdict (conclude) with allowed_failures and threshold_rtt, and the common fields. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { conclude, parseCommon } from "../../lib/checking/attempts.js";
import { Report, Scope } from "../../lib/config/fields.js";
import { parseCheckupConfig } from "../../lib/config/checkup-json.js";
import { SECOND } from "../../lib/duration.js";
import { resultJson } from "../../lib/result.js";
import { closedPort } from "../helpers/http-server.js";
import { tmpDir } from "../helpers/tmp.js";

const common = (fields: Record<string, unknown>) => {
  const report = new Report();
  const parsed = parseCommon(fields, new Scope(report, "checkers[0]"), SECOND);
  return { parsed, problems: report.problems.map((p) => `${p.path}: ${p.message}`) };
};
const ok = (rtt: number) => ({ rtt });
const failed = { rtt: 0, error: "connection refused" };

test("verdict: without allowed_failures any failed attempt is down, as checkup", () => {
  const { parsed } = common({ attempts: 3 });
  assert.deepEqual(conclude(parsed, [ok(1), failed, ok(1)]), { status: "down" });
  assert.deepEqual(conclude(parsed, [ok(1), ok(1), ok(1)]), { status: "healthy" });
});

test("verdict: allowed_failures tolerates that many failed attempts, not one more", () => {
  const { parsed } = common({ attempts: 4, allowed_failures: 2 });
  assert.deepEqual(conclude(parsed, [failed, ok(1), failed, ok(1)]), { status: "healthy" });
  assert.deepEqual(conclude(parsed, [failed, failed, failed, ok(1)]), { status: "down" });
});

test("verdict: every attempt failed is down, even within allowed_failures", () => {
  const parsed = { ...common({ attempts: 2, allowed_failures: 1 }).parsed };
  assert.deepEqual(conclude(parsed, [failed]), { status: "down" });
});

test("verdict: with allowed failures, threshold_rtt judges the median of the answered attempts only", () => {
  const { parsed } = common({ attempts: 3, allowed_failures: 1, threshold_rtt: "10ms" });
  // Answered: 9 ms and 30 ms, median 19.5 ms. Counting the failed attempt's 0 the median would be 9 ms.
  assert.deepEqual(conclude(parsed, [ok(9e6), failed, ok(30e6)]), {
    status: "degraded", notice: "median round trip time exceeded threshold (10ms)",
  });
  assert.deepEqual(conclude(parsed, [ok(5e6), failed, ok(6e6)]), { status: "healthy" });
});

test("common fields: allowed_failures must be fewer than attempts; attempts 0 means 1", () => {
  assert.deepEqual(common({ attempts: 0 }).parsed.attempts, 1);
  assert.deepEqual(common({ attempts: 2, allowed_failures: 2 }).problems.length, 1);
  assert.match(common({ attempts: 2, allowed_failures: 2 }).problems[0]!, /^checkers\[0\]\.allowed_failures: /);
  assert.deepEqual(common({ attempts: 3, allowed_failures: 2 }).problems, []);
});

test("results carry their checker's quorum rule (as group and description), stored without where it was configured", async () => {
  const dir = await tmpDir();
  const { config } = await parseCheckupConfig({
    quorum: { down: 2, of: 3, window: "3m" },
    storage: { provider: "fs", dir },
    checkers: [
      { type: "tcp", endpoint_name: "DB", endpoint_url: `127.0.0.1:${await closedPort()}`, group: "Data" },
      { type: "tcp", endpoint_name: "Cache", endpoint_url: `127.0.0.1:${await closedPort()}`, quorum: { down: 1 } },
    ],
  }, "checkup.json");
  const [db, cache] = await Promise.all(config.checkers.map((c) => c.check()));
  assert.deepEqual([db!.group, db!.quorum], ["Data", { down: 2, of: 3, window: 180 * SECOND }]);
  assert.deepEqual(cache!.quorum, { down: 1, of: 3, window: 180 * SECOND }, "a checker's keys over the top level's");
  assert.match(resultJson(db!), /,"group":"Data","quorum":\{"down":2,"of":3,"window":180000000000\},"trace_id"|,"group":"Data","quorum":\{"down":2,"of":3,"window":180000000000\}\}$/);
});
