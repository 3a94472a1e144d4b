import assert from "node:assert/strict";
import { test } from "node:test";
import { Report, Scope } from "../../lib/config/fields.js";
import { inMaintenance, parseMaintenance } from "../../lib/alerting/maintenance.js";

const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

function parse(list: unknown) {
  const report = new Report();
  const windows = parseMaintenance({ maintenance: list }, new Scope(report));
  return { windows, problems: report.problems.map((p) => `${p.path}: ${p.message}`) };
}

const api = { title: "API", endpoint: "https://api.example.org/health" };
const db = { title: "DB", endpoint: "db:5432" };

test("maintenance: a one-off window with an end, for named checks only", () => {
  const { windows, problems } = parse([{ start: "2024-06-10T22:00:00Z", end: "2024-06-10T23:30:00Z", checks: ["api"] }]);
  assert.deepEqual(problems, []);
  assert.equal(inMaintenance(windows, api, at("2024-06-10T21:59:59Z")), false);
  assert.equal(inMaintenance(windows, api, at("2024-06-10T22:00:00Z")), true);
  assert.equal(inMaintenance(windows, api, at("2024-06-10T23:29:59Z")), true);
  assert.equal(inMaintenance(windows, api, at("2024-06-10T23:30:00Z")), false);
  assert.equal(inMaintenance(windows, db, at("2024-06-10T22:30:00Z")), false, "DB is not listed");
});

test("maintenance: a weekly window in a time zone keeps its local time across DST", () => {
  // Saturdays 22:00–00:00 Berlin time; 2024-03-30 is CET (UTC+1), 2024-04-06 is CEST (UTC+2).
  const { windows } = parse([{ start: "2024-03-30T22:00", duration: "2h", repeat: "weekly", timezone: "Europe/Berlin" }]);
  assert.equal(inMaintenance(windows, db, at("2024-03-30T21:30:00Z")), true);
  assert.equal(inMaintenance(windows, db, at("2024-04-06T20:30:00Z")), true, "22:30 CEST");
  assert.equal(inMaintenance(windows, db, at("2024-04-06T22:00:00Z")), false, "00:00 CEST: over");
  assert.equal(inMaintenance(windows, db, at("2024-04-07T20:30:00Z")), false, "Sunday");
  assert.equal(inMaintenance(windows, db, at("2024-03-23T21:30:00Z")), false, "before the first one");
});

test("maintenance: mistakes are reported with their path", () => {
  const { problems } = parse([
    { start: "tomorrow", duration: "1h" },
    { start: "2024-06-10T22:00", timezone: "Mars/Olympus", duration: "1h" },
    { start: "2024-06-10T22:00" },
    { start: "2024-06-10T22:00", duration: "25h", repeat: "daily" },
    { start: "2024-06-10T22:00", end: "2024-06-10T21:00" },
  ]);
  assert.deepEqual(problems, [
    "maintenance[0].start: expected a time like \"2024-06-08T22:00\" or \"2024-06-08T22:00:00Z\", got \"tomorrow\"",
    "maintenance[1].timezone: unknown time zone \"Mars/Olympus\": use an IANA name like \"Europe/Berlin\" or \"UTC\"",
    "maintenance[2].duration: set either \"duration\" (like \"2h\") or \"end\" (like \"2024-06-09T00:00\"), not neither",
    "maintenance[3].duration: a daily window cannot be longer than its period; shorten it",
    "maintenance[4].end: the window must end after it starts",
  ]);
});
