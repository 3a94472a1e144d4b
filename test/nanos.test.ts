import assert from "node:assert/strict";
import { test } from "node:test";
import { nowUnixNanos, parseJsonExact, rfc3339ToUnixNanos, toUnixNanos } from "../lib/nanos.js";

test("19-digit integers keep every digit through parsing", () => {
  const data = parseJsonExact(`{"a":1718000000123456789,"b":[-1718000000123456789],"c":12,"d":1.5e300}`) as Record<string, unknown>;
  assert.equal(toUnixNanos(data.a), 1718000000123456789n);
  assert.equal(toUnixNanos((data.b as unknown[])[0]), -1718000000123456789n);
  assert.equal(data.c, 12);
  assert.equal(data.d, 1.5e300);
});

test("digits inside strings are left alone, escaped quotes included", () => {
  const data = parseJsonExact(`{"s":"x\\" 1718000000123456789 ","n":1718000000123456789}`) as Record<string, unknown>;
  assert.equal(data.s, `x" 1718000000123456789 `);
  assert.equal(toUnixNanos(data.n), 1718000000123456789n);
});

test("fractions and exponents with many digits stay numbers", () => {
  const data = parseJsonExact(`[0.12345678901234567890, 1e1234567890123456]`) as number[];
  assert.equal(typeof data[0], "number");
  assert.equal(data[1], Infinity);
});

test("now is 19 digits and close to Date.now()", () => {
  const ns = nowUnixNanos();
  assert.equal(ns.toString().length, 19);
  assert.ok(Math.abs(Number(ns / 1_000_000n) - Date.now()) < 50);
});

test("RFC 3339 keeps nanoseconds and offsets", () => {
  assert.equal(rfc3339ToUnixNanos("2024-06-10T12:00:00.123456789Z"), 1718020800123456789n);
  assert.equal(rfc3339ToUnixNanos("2024-06-10T14:00:00+02:00"), 1718020800000000000n);
  assert.equal(rfc3339ToUnixNanos("0001-01-01T00:00:00Z")! < 0n, true);
  assert.equal(rfc3339ToUnixNanos("yesterday"), undefined);
});

test("now never repeats or goes back within a process", () => {
  let previous = nowUnixNanos();
  for (let i = 0; i < 100_000; i++) {
    const next = nowUnixNanos();
    assert.ok(next > previous, `${next} after ${previous}`);
    previous = next;
  }
});
