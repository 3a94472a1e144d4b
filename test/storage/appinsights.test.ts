import assert from "node:assert/strict";
import { test } from "node:test";
import { Report, Scope } from "../../lib/config/fields.js";
import appinsights, { timeSpan } from "../../lib/storage/appinsights.js";
import type { Result } from "../../lib/types.js";
import { startHttpServer } from "../helpers/http-server.js";
import { storageContract } from "./contract.js";
import { openStorage } from "./sql-cases.js";

const KEY = "11111111-2222-3333-4444-555555555555";
const accepted = (n: number) => JSON.stringify({ itemsReceived: n, itemsAccepted: n, errors: [] });

const ROUND: Result[] = [
  { title: "API", endpoint: "https://api.example.org/health", timestamp: 1718000000123456789n,
    times: [{ rtt: 81234567 }, { rtt: 100000000 }], threshold: 300000000, healthy: true },
  { title: "DB", endpoint: "db:5432", timestamp: 1718000000123456789n, times: [{ rtt: 1500, error: "connection refused" }],
    down: true, degraded: true, notice: "slow" },
];

test("appinsights: one availability item per result, posted to <endpoint>/v2/track", async () => {
  const receiver = await startHttpServer((_req, res, body) => res.end(accepted(JSON.parse(body).length)));
  const storage = await openStorage({ type: "appinsights", instrumentation_key: KEY, endpoint: `${receiver.url}/`, tags: { env: "prod" } });
  assert.equal(await storage.store(ROUND, 1718000000999999999n), "1718000000999999999-check.json");
  assert.equal(receiver.requests.length, 1);
  const [req] = receiver.requests;
  assert.equal(req!.method, "POST");
  assert.equal(req!.url, "/v2/track");
  assert.equal(req!.headers["content-type"], "application/json");
  const item = (id: string, name: string, rest: object) => ({
    name: "Microsoft.ApplicationInsights.Availability", time: "2024-06-10T06:13:20.123Z", iKey: KEY,
    data: { baseType: "AvailabilityData", baseData: { ver: 2, id, name, ...rest } },
  });
  assert.equal(req!.body, JSON.stringify([
    item("1718000000123456789", "API", { duration: "0.00:00:00.090", success: true, runLocation: "Checkup Monitor", message: "healthy",
      properties: { env: "prod", ThresholdRTT: "300ms" }, measurements: { 0: 81234567, 1: 100000000 } }),
    item("1718000000123456789", "DB", { duration: "0.00:00:00.000", success: false, runLocation: "Checkup Monitor", message: "down - slow",
      properties: { env: "prod", ThresholdRTT: "0s" }, measurements: { 0: 1500 } }),
  ]));
});

test("appinsights: a failed send is retried max_retries times, then reported", async () => {
  let calls = 0;
  const flaky = await startHttpServer((_req, res, body) => {
    calls++;
    if (calls === 1) res.writeHead(503).end("busy");
    else res.end(accepted(JSON.parse(body).length));
  });
  const retrying = await openStorage({ type: "appinsights", instrumentation_key: KEY, endpoint: flaky.url, max_retries: 1, retry_interval: 0 });
  await retrying.store(ROUND);
  assert.equal(flaky.requests.length, 2);
  assert.equal(flaky.requests[1]!.body, flaky.requests[0]!.body);

  const down = await startHttpServer((_req, res) => res.writeHead(503).end("busy"));
  const once = await openStorage({ type: "appinsights", instrumentation_key: KEY, endpoint: down.url });
  await assert.rejects(once.store(ROUND), { message: `appinsights: telemetry not accepted: ${new URL(down.url).origin} answered HTTP 503 Service Unavailable: busy` });
  const twice = await openStorage({ type: "appinsights", instrumentation_key: KEY, endpoint: down.url, max_retries: 2 });
  await assert.rejects(twice.store(ROUND), /^Error: appinsights: telemetry not accepted after 3 tries: /);
  assert.equal(down.requests.length, 4);
});

test("appinsights: only the items the service rejected are sent again", async () => {
  const partial = await startHttpServer((_req, res, body) => {
    const n = JSON.parse(body).length;
    if (n === 2) res.writeHead(206).end(JSON.stringify({ itemsReceived: 2, itemsAccepted: 1, errors: [{ index: 1, statusCode: 500, message: "try later" }] }));
    else res.end(accepted(n));
  });
  const storage = await openStorage({ type: "appinsights", instrumentation_key: KEY, endpoint: partial.url, max_retries: 1 });
  await storage.store(ROUND);
  assert.equal(partial.requests.length, 2);
  assert.deepEqual(JSON.parse(partial.requests[1]!.body).map((i: { data: { baseData: { name: string } } }) => i.data.baseData.name), ["DB"]);

  const noRetry = await openStorage({ type: "appinsights", instrumentation_key: KEY, endpoint: partial.url });
  await assert.rejects(noRetry.store(ROUND), { message: "appinsights: telemetry not accepted: 1 of 2 items rejected: try later" });
});

test("appinsights: checkup's defaults and field checks (seconds, not nanoseconds)", () => {
  const at = new Scope(new Report(), "storage");
  assert.deepEqual(appinsights.parse({ instrumentation_key: KEY }, at), {
    instrumentationKey: KEY, testLocation: "Checkup Monitor", tags: {}, maxRetries: 0, retryInterval: 0, timeout: 2,
    endpoint: "https://dc.services.visualstudio.com",
  });
  assert.equal(appinsights.parse({ instrumentation_key: KEY, timeout: 5, retry_interval: "3s" }, at).retryInterval, 3);
  appinsights.parse({ instrumentation_key: KEY, max_retries: -1, timeout: -2, tags: { n: 1 } }, at);
  assert.deepEqual(at.report.problems.map((p) => `${p.path}: ${p.message}`), [
    "storage.tags: expected an object of strings like {\"env\": \"prod\"}, got {\"n\":1}",
    "storage.max_retries: expected a whole number from 0 to 10, got -1",
    "storage.timeout: expected whole seconds (e.g. 2) or a string like \"2s\", got -2",
  ]);
});

test("appinsights: durations as .NET TimeSpan text", () => {
  assert.equal(timeSpan(0), "0.00:00:00.000");
  assert.equal(timeSpan(81_234_567), "0.00:00:00.081");
  assert.equal(timeSpan(90_061_001_000_000), "1.01:01:01.001");
});

storageContract("appinsights", {
  create: async () => {
    const receiver = await startHttpServer((_req, res, body) => res.end(accepted(JSON.parse(body).length)));
    return openStorage({ type: "appinsights", instrumentation_key: KEY, endpoint: receiver.url });
  },
});
