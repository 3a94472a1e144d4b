/** The W3C traceparent on every request, one trace id per check, kept in the result and its JSON. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createChecker } from "../../lib/checking/create.js";
import { parseResults, resultsJson } from "../../lib/result.js";
import { startHttpServer } from "../helpers/http-server.js";

/** version 00, a 32-hex trace id, a 16-hex parent id, the flags byte (W3C Trace Context §3.2). */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

test("trace: every attempt sends a valid traceparent; one trace id per check, stored in the result", async () => {
  const server = await startHttpServer((_req, res) => res.end("ok"));
  const checker = await createChecker({ type: "http", endpoint_url: server.url, attempts: 3 });
  const r = await checker.check();
  const parts = server.requests.map((q) => TRACEPARENT.exec(String(q.headers.traceparent)));
  assert.ok(parts.every((p) => p !== null), JSON.stringify(server.requests.map((q) => q.headers.traceparent)));
  assert.deepEqual(new Set(parts.map((p) => p![1])), new Set([r.traceId]), "the result's trace id is the one sent");
  assert.equal(new Set(parts.map((p) => p![2])).size, 3, "a fresh parent id per request");
  assert.ok(parts.every((p) => p![1] !== "0".repeat(32) && p![2] !== "0".repeat(16) && p![3] === "01"));
  const next = await checker.check();
  assert.notEqual(next.traceId, r.traceId, "each check is its own trace");
});

test("trace: trace_query also appends the traceparent to the query, after what the URL had", async () => {
  const server = await startHttpServer((_req, res) => res.end("ok"));
  const r = await (await createChecker({ type: "http", endpoint_url: `${server.url}/health?a=1%202`, trace_query: true })).check();
  const q = server.requests[0]!;
  assert.equal(q.url, `/health?a=1%202&traceparent=${q.headers.traceparent}`);
  assert.match(q.url, new RegExp(`traceparent=00-${r.traceId}-`));
  assert.equal(r.endpoint, `${server.url}/health?a=1%202`, "the stored endpoint stays as configured");
  await (await createChecker({ type: "http", endpoint_url: server.url, trace_query: true })).check();
  assert.match(server.requests[1]!.url, /^\/\?traceparent=00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
});

test("trace: trace_id is written last in the result JSON and read back; checkers without traces write none", async () => {
  const r = { title: "api", timestamp: 5n, times: [{ rtt: 1, error: "e" }], down: true, certExpiry: 7, traceId: "4bf92f3577b34da6a3ce929d0e0e4736" };
  const json = resultsJson([r]);
  assert.equal(json, '[{"title":"api","timestamp":5,"times":[{"rtt":1,"error":"e"}],"down":true,"cert_expiry":7,"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}]');
  assert.deepEqual(parseResults(json), [r]);
  assert.equal(parseResults('[{"timestamp":5,"trace_id":12}]')[0]!.traceId, undefined);
  const tcp = await (await createChecker({ type: "tcp", endpoint_url: "127.0.0.1:1" })).check();
  assert.equal(tcp.traceId, undefined);
});
