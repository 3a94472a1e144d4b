import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { COMPAT } from "./helpers/paths.js";
import { median, parseResults, resultsJson, statsOf, statusOf } from "../lib/result.js";

test("writes checkup's keys in Go's order, omitting empties but never rtt", () => {
  const json = resultsJson([{
    title: "API <&>", endpoint: "https://api.example.org/health", timestamp: 1718000000123456789n,
    times: [{ rtt: 81234567 }, { rtt: 0, error: "response status 502 Bad Gateway" }], threshold: 300000000, down: true,
  }]);
  assert.equal(json, '[{"title":"API \\u003c\\u0026\\u003e","endpoint":"https://api.example.org/health","timestamp":1718000000123456789,' +
    '"times":[{"rtt":81234567},{"rtt":0,"error":"response status 502 Bad Gateway"}],"threshold":300000000,"down":true}]');
});

test("a written round reads back identical", () => {
  const results = [{ title: "a", timestamp: 1718000000123456789n, times: [{ rtt: 5 }], healthy: true, message: "<b>hi</b>" },
    { timestamp: 1n, times: [], degraded: true, notice: "n" }];
  assert.deepEqual(parseResults(resultsJson(results)), results);
});

test("reads Go-written files from real stores unchanged", async () => {
  const dir = path.join(COMPAT, "stores", "tobru__fwu-pos-statuspage");
  const index = JSON.parse(await readFile(path.join(dir, "index.json"), "utf8")) as Record<string, number>;
  const names = Object.keys(index).slice(0, 20);
  for (const name of names) {
    const text = await readFile(path.join(dir, name), "utf8");
    const results = parseResults(text, name);
    assert.equal(results.length, 6);
    // Re-encoding gives Go's bytes back (fs files end with a newline).
    assert.equal(`${resultsJson(results)}\n`.trim(), text.trim(), name);
  }
});

test("median and stats follow checkup's integer rules", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2);
  assert.equal(median([]), 0);
  assert.deepEqual(statsOf([{ rtt: 10 }, { rtt: 21 }]), { total: 31, mean: 15, median: 15, min: 10, max: 21 });
  assert.equal(statusOf({ down: true, degraded: true }), "down");
  assert.equal(statusOf({}), "unknown");
});

test("rejects what is not a result file", () => {
  assert.throws(() => parseResults("{}", "x.json"), /x.json: not a checkup result file: expected a JSON array/);
  assert.throws(() => parseResults("[1]", "x.json"), /x.json\[0\]: not a checkup result file/);
});

test("the cert_expiry extension is written last, as Unix seconds, and read back", () => {
  const r = { title: "tls", timestamp: 5n, times: [{ rtt: 1 }], degraded: true, notice: "n", message: "m", certExpiry: 1795646899 };
  const json = resultsJson([r]);
  assert.equal(json, '[{"title":"tls","timestamp":5,"times":[{"rtt":1}],"degraded":true,"notice":"n","message":"m","cert_expiry":1795646899}]');
  assert.deepEqual(parseResults(json), [r]);
  assert.equal(parseResults('[{"timestamp":5,"cert_expiry":"soon"}]')[0]!.certExpiry, undefined);
});

test("the node extension is written after cert_expiry and read back; a Go reader's keys are unchanged", () => {
  const r = { title: "tls", timestamp: 5n, times: [{ rtt: 1 }], healthy: true, certExpiry: 7, node: "eu-1" };
  const json = resultsJson([r]);
  assert.equal(json, '[{"title":"tls","timestamp":5,"times":[{"rtt":1}],"healthy":true,"cert_expiry":7,"node":"eu-1"}]');
  assert.deepEqual(parseResults(json), [r]);
  assert.equal(parseResults('[{"timestamp":5,"node":42}]')[0]!.node, undefined, "a node that is not a string is ignored");
});

test("the quorum extension is written after description, as {down, of, window ns}, and read back; malformed ones are ignored", () => {
  const r = { title: "API", timestamp: 5n, times: [{ rtt: 1 }], down: true, description: "Card payments", quorum: { down: 2, of: 3, window: 180_000_000_000 }, node: "eu-1" };
  const json = resultsJson([r]);
  assert.equal(json, '[{"title":"API","timestamp":5,"times":[{"rtt":1}],"down":true,"description":"Card payments","quorum":{"down":2,"of":3,"window":180000000000},"node":"eu-1"}]');
  assert.deepEqual(parseResults(json), [r]);
  for (const bad of ['"2 of 3"', '{"down":2,"of":3}', '{"down":0,"of":3,"window":1}', '{"down":2.5,"of":3,"window":1}', "null"]) {
    assert.equal(parseResults(`[{"timestamp":5,"quorum":${bad}}]`)[0]!.quorum, undefined, bad);
  }
});
