/** `json` conditions on a real server's body: healthy, each kind of failure with its exact text, and bad configs. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createChecker } from "../../lib/checking/create.js";
import { ConfigError } from "../../lib/errors.js";
import type { Result } from "../../lib/types.js";
import { startHttpServer } from "../helpers/http-server.js";

/** Answers `/<name>` with that body. */
async function jsonServer(bodies: Record<string, string>) {
  return startHttpServer((req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(bodies[req.url?.slice(1) ?? ""] ?? "{}");
  });
}

const HEALTHY = JSON.stringify({ status: "ok", queue: [1, 2, 3], version: "2.4.1", services: [{ status: "ok" }, { status: "ok" }], load: 0.5 });
const SICK = JSON.stringify({ status: "degraded", queue: new Array(150).fill(0), version: "1.9", services: [{ status: "ok" }, { status: "down" }], load: 0, error: "disk" });

const CONDITIONS = [
  { path: "$.status", equals: "ok" },
  { path: "$.queue.length", below: 100 },
  { path: "$.version", matches: "^2\\." },
  { path: "$.services[*].status", equals: "ok" },
  { path: "$.load", above: 0.1 },
  { path: "$.error", exists: false },
];

async function check(url: string, json: unknown): Promise<Result> {
  return (await createChecker({ type: "http", endpoint_url: url, json })).check();
}

test("json: a body meeting every condition is healthy", async () => {
  const server = await jsonServer({ healthy: HEALTHY });
  const r = await check(`${server.url}/healthy`, CONDITIONS);
  assert.equal(r.healthy, true, r.times[0]!.error);
});

test("json: each failing condition says which path, what was expected and what came", async () => {
  const server = await jsonServer({ sick: SICK, healthy: HEALTHY, text: "<html>ok</html>" });
  const cases: [unknown, string][] = [
    [{ path: "$.status", equals: "ok" }, `json $.status: expected "ok", got "degraded"`],
    [{ path: "$.queue.length", below: 100 }, "json $.queue.length: expected below 100, got 150"],
    [{ path: "$.version", matches: "^2\\." }, "json $.version: expected a match for /^2\\./, got \"1.9\""],
    [{ path: "$.services[*].status", equals: "ok" }, `json $.services[*].status: expected "ok", got "down" at $['services'][1]['status']`],
    [{ path: "$.load", above: 0.1 }, "json $.load: expected above 0.1, got 0"],
    [{ path: "$.error", exists: false }, `json $.error: expected nothing, got "disk"`],
    [{ path: "$.missing", equals: { a: 1 } }, `json $.missing: expected {"a":1}, got nothing`],
    [{ path: "$.status", below: 1 }, `json $.status: expected below 1, got "degraded"`],
  ];
  for (const [condition, error] of cases) {
    const r = await check(`${server.url}/sick`, [condition]);
    assert.equal(r.down, true, JSON.stringify(condition));
    assert.equal(r.times[0]!.error, error);
  }
  const first = await check(`${server.url}/sick`, CONDITIONS);
  assert.equal(first.times[0]!.error, `json $.status: expected "ok", got "degraded"`, "the first failing condition is reported");
  const text = await check(`${server.url}/text`, [{ path: "$.status", equals: "ok" }]);
  assert.match(text.times[0]!.error ?? "", /^json: response is not JSON: Unexpected token '?<'?/);
  const missing = await check(`${server.url}/healthy`, [{ path: "$.gone", exists: true }]);
  assert.equal(missing.times[0]!.error, "json $.gone: expected a value, got nothing");
});

test("json: the status is judged first, then must_contain, then json", async () => {
  const server = await startHttpServer((_req, res) => {
    res.writeHead(503);
    res.end(SICK);
  });
  const r = await createChecker({ type: "http", endpoint_url: server.url, must_contain: "nope", json: [{ path: "$.status", equals: "ok" }] });
  assert.equal((await r.check()).times[0]!.error, "response status 503 Service Unavailable");
  const ok = await jsonServer({ sick: SICK });
  const both = await createChecker({ type: "http", endpoint_url: `${ok.url}/sick`, must_contain: "nope", json: [{ path: "$.status", equals: "ok" }] });
  assert.equal((await both.check()).times[0]!.error, "response does not contain 'nope'");
});

test("json: bad conditions are config errors at their path", async () => {
  const error = await createChecker({
    type: "http",
    endpoint_url: "http://127.0.0.1:1",
    json: [{ path: "status", equals: "ok" }, { path: "$.a" }, { path: "$.b", equals: 1, below: 2 }, { path: "$.c", below: "100" }, { path: "$.d", matches: "[" }, "x", { path: "$.e", exists: "yes" }],
  }).catch((e: unknown) => e);
  assert.ok(error instanceof ConfigError);
  assert.deepEqual(error.problems.map((p) => `${p.path}: ${p.message}`), [
    `json[0].path: expected a JSONPath starting with "$", like "$.status", got "status"`,
    "json[1]: expected exactly one test of equals, below, above, matches, exists, got none",
    `json[2]: expected exactly one test of equals, below, above, matches, exists, got "equals" and "below"`,
    `json[3].below: expected a number, got "100"`,
    `json[4].matches: expected a regular expression like "^ok", got "["`,
    `json[5]: expected a condition like {"path": "$.status", "equals": "ok"}, got "x"`,
    `json[6].exists: expected true or false, got "yes"`,
  ]);
  const notList = await createChecker({ type: "http", endpoint_url: "http://127.0.0.1:1", json: { path: "$.a" } }).catch((e: unknown) => e);
  assert.ok(notList instanceof ConfigError);
  assert.equal(notList.problems[0]!.message, `expected a list of conditions like [{"path": "$.status", "equals": "ok"}], got {"path":"$.a"}`);
});
