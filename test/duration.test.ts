import assert from "node:assert/strict";
import { test } from "node:test";
import { formatGoDuration, formatHumanDuration, parseDuration } from "../lib/duration.js";

test("Go's Duration.String() forms", () => {
  const cases: [number, string][] = [
    [0, "0s"], [1, "1ns"], [1500, "1.5µs"], [81234567, "81.234567ms"], [200_000_000, "200ms"],
    [1_500_000_000, "1.5s"], [90e9, "1m30s"], [3600e9, "1h0m0s"], [14 * 86400e9, "336h0m0s"], [-2e9, "-2s"],
  ];
  for (const [ns, text] of cases) assert.equal(formatGoDuration(ns), text, `${ns}`);
});

test("durations parse from Go's compound form and ms's words", () => {
  const cases: [string, number][] = [
    ["200ms", 200e6], ["1h30m", 5400e9], ["1.5s", 1.5e9], ["250µs", 250e3], ["300ns", 300],
    ["14d", 14 * 86400e9], ["2 days", 2 * 86400e9], ["10 minutes", 600e9], ["1w", 7 * 86400e9],
  ];
  for (const [text, ns] of cases) assert.equal(parseDuration(text), ns, text);
  for (const bad of ["", "100", "soon", "10 parsecs", "1h30"]) assert.equal(parseDuration(bad), undefined, bad);
});

test("human durations for outage lengths", () => {
  assert.equal(formatHumanDuration(750e9), "12m 30s");
  assert.equal(formatHumanDuration(3 * 86400e9 + 4 * 3600e9 + 5e9), "3d 4h");
  assert.equal(formatHumanDuration(250e6), "250ms");
});
