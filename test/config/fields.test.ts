/** The field readers state their bounds: every number and duration has a lowest and a highest value. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { int, nanos, Report, Scope, seconds, type Raw } from "../../lib/config/fields.js";
import { HOUR, MAX_NANOS, MINUTE, SECOND } from "../../lib/duration.js";

/** Reads `raw.v` with `read`; returns the value and the problems as `path: message`. */
function read<T>(v: unknown, reader: (raw: Raw, key: string, at: Scope) => T): { value: T; problems: string[] } {
  const at = new Scope(new Report(), "x");
  const value = reader({ v }, "v", at);
  return { value, problems: at.report.problems.map((p) => `${p.path}: ${p.message}`) };
}

const attempts = (v: unknown) => read(v, (raw, key, at) => int(raw, key, at, { default: 1, min: 0, max: 100, note: "0 means 1" }));

test("int: inside the bounds, the value; at either bound, the value", () => {
  assert.deepEqual(attempts(0), { value: 0, problems: [] });
  assert.deepEqual(attempts(100), { value: 100, problems: [] });
  assert.deepEqual(attempts(undefined), { value: 1, problems: [] });
  assert.deepEqual(attempts(null), { value: 1, problems: [] }, "null is absent, as Go reads it");
});

test("int: outside the bounds, fractions, unsafe integers and strings are refused with the bounds", () => {
  const refused = (got: string) => [`x.v: expected a whole number from 0 to 100 (0 means 1), got ${got}`];
  for (const [v, got] of [[101, "101"], [-1, "-1"], [1e9, "1000000000"], [2.5, "2.5"], ["3", '"3"'], [true, "true"]] as const) {
    assert.deepEqual(attempts(v), { value: 1, problems: refused(got) }, String(v));
  }
  const wide = (v: unknown) => read(v, (raw, key, at) => int(raw, key, at, { default: 0, min: -1e300, max: 1e300 }));
  assert.equal(wide(2 ** 53).problems.length, 1, "2^53 is not a safe integer, whatever the bounds say");
  assert.equal(wide(2 ** 53 - 1).problems.length, 0);
});

const timeout = (v: unknown) => read(v, (raw, key, at) => nanos(raw, key, at, { default: 10 * SECOND, min: 1_000_000, max: HOUR }));

test("nanos: integer ns and strings inside the bounds; 0 means the default", () => {
  assert.deepEqual(timeout(HOUR), { value: HOUR, problems: [] });
  assert.deepEqual(timeout("1ms"), { value: 1_000_000, problems: [] });
  assert.deepEqual(timeout("59m"), { value: 59 * MINUTE, problems: [] });
  assert.deepEqual(timeout(0), { value: 10 * SECOND, problems: [] });
  assert.deepEqual(timeout("0s"), { value: 10 * SECOND, problems: [] });
});

test("nanos: past the bounds, the message names the bound in words", () => {
  assert.deepEqual(timeout("2h"), { value: 10 * SECOND, problems: ['x.v: must be at most 1h, got "2h"'] });
  assert.deepEqual(timeout(HOUR + 1), { value: 10 * SECOND, problems: ["x.v: must be at most 1h, got 3600000000001"] });
  assert.deepEqual(timeout(999_999), { value: 10 * SECOND, problems: ["x.v: must be 0 or at least 1ms, got 999999"] });
  assert.deepEqual(timeout("1ns"), { value: 10 * SECOND, problems: ['x.v: must be 0 or at least 1ms, got "1ns"'] });
});

test("nanos: without a max, at most 2^53 - 1 ns, so every duration is an exact integer", () => {
  const threshold = (v: unknown) => read(v, (raw, key, at) => nanos(raw, key, at, { default: 0 }));
  assert.deepEqual(threshold(MAX_NANOS), { value: MAX_NANOS, problems: [] });
  const past = "x.v: must be at most 104 days (2^53 ns, the most a JSON number holds exactly), got";
  assert.deepEqual(threshold(2 ** 53).problems, [`${past} 9007199254740992`]);
  assert.deepEqual(threshold(1e300).problems, [`${past} 1e+300`]);
  assert.deepEqual(threshold("105d").problems, [`${past} "105d"`]);
  assert.deepEqual(threshold("1000000000w").problems, [`${past} "1000000000w"`]);
  assert.match(threshold(-5).problems[0]!, /^x\.v: expected a duration: .+, got -5$/);
  assert.match(threshold(1.5).problems[0]!, /^x\.v: expected a duration: .+, got 1\.5$/);
});

test("seconds: whole seconds or a duration string, bounded like durations", () => {
  const refresh = (v: unknown) => read(v, (raw, key, at) => seconds(raw, key, at, { default: 60, min: 5, max: 86_400 }));
  assert.deepEqual(refresh(5), { value: 5, problems: [] });
  assert.deepEqual(refresh("1m"), { value: 60, problems: [] });
  assert.deepEqual(refresh(0), { value: 60, problems: [] });
  assert.deepEqual(refresh(1).problems, ["x.v: must be 0 or at least 5s, got 1"]);
  assert.deepEqual(refresh(86_401).problems, ["x.v: must be at most 1d, got 86401"]);
  assert.deepEqual(refresh(1e300).problems, ["x.v: must be at most 1d, got 1e+300"]);
  assert.deepEqual(refresh("soon").problems, ['x.v: expected whole seconds (e.g. 2) or a string like "2s", got "soon"']);
});

test("unknown keys: the closest known key is named when it is at most 2 edits away (a third of the key's length)", () => {
  const at = new Scope(new Report(), "checkers[0]");
  const raw = { threshold_rtt: 1, endpoint_url: "x", treshold_rtt: 1, Endpoint_URL: "x", tags: ["a"], ttl2: 1, xx: 1 };
  for (const key of ["threshold_rtt", "endpoint_url", "ttl"]) at.used.add(key);
  at.warnUnknownKeys(raw);
  assert.deepEqual(at.report.warnings.map((w) => `${w.path}: ${w.message}`), [
    `checkers[0].treshold_rtt: unknown key, ignored (did you mean "threshold_rtt"?)`,
    `checkers[0].Endpoint_URL: unknown key, ignored (did you mean "endpoint_url"?)`,
    "checkers[0].tags: unknown key, ignored",
    `checkers[0].ttl2: unknown key, ignored (did you mean "ttl"?)`,
    "checkers[0].xx: unknown key, ignored",
  ]);
});
