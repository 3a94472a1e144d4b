import assert from "node:assert/strict";
import type http from "node:http";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createChecker } from "../../lib/checking/create.js";
import { ConfigError } from "../../lib/errors.js";
import type { Result } from "../../lib/types.js";
import { testCerts } from "../helpers/certs.js";
import { closedPort, startHttpServer } from "../helpers/http-server.js";
import { startSilentServer } from "../helpers/hostile.js";
import { startHttpsServer } from "../helpers/tls-server.js";

async function check(config: Record<string, unknown>): Promise<Result> {
  return (await createChecker({ type: "http", ...config })).check();
}

/** Answers `/<status>` with that status and a short body; `/` with 200. */
async function statusServer() {
  return startHttpServer((req, res) => {
    const status = Number(req.url?.slice(1)) || 200;
    res.writeHead(status, status === 302 ? { Location: "/elsewhere" } : {});
    res.end(status === 204 || status === 205 ? undefined : "all systems go");
  });
}

test("http: a 200 is healthy; one GET per attempt, RTT measured", async () => {
  const server = await statusServer();
  const r = await check({ endpoint_name: "site", endpoint_url: server.url });
  assert.equal(r.healthy, true);
  assert.equal(r.title, "site");
  assert.equal(r.endpoint, server.url);
  assert.equal(r.times.length, 1);
  assert.ok(r.times[0]!.rtt > 0);
  assert.equal(r.times[0]!.error, undefined);
  assert.deepEqual(server.requests.map((q) => [q.method, q.url, q.body]), [["GET", "/", ""]]);
});

test("http: by default 200-204 are up and 205 is down with Go's status line", async () => {
  const server = await statusServer();
  for (const status of [200, 201, 202, 203, 204]) {
    assert.equal((await check({ endpoint_url: `${server.url}/${status}` })).healthy, true, `${status}`);
  }
  const r = await check({ endpoint_url: `${server.url}/205` });
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, "response status 205 Reset Content");
});

test("http: up_status as a number, a list, a wildcard and a range", async () => {
  const server = await statusServer();
  const cases: [unknown, number, boolean][] = [
    [404, 404, true], [404, 200, false], [[200, 404], 404, true], [[200, 404], 500, false],
    ["2xx", 206, true], ["2xx", 301, false], ["200-399", 399, true], ["200-399", 400, false],
    ["/^2\\d\\d$/", 204, true], ["/^2\\d\\d$/", 302, false], [["/^30[12]$/", 200], 301, true], ["/^(200|418)$/", 418, true],
  ];
  for (const [upStatus, status, up] of cases) {
    const r = await check({ endpoint_url: `${server.url}/${status}`, up_status: upStatus });
    assert.equal(r.healthy === true, up, `up_status ${JSON.stringify(upStatus)}, status ${status}`);
  }
  const bad = await createChecker({ type: "http", endpoint_url: server.url, up_status: "2x" }).catch((e: unknown) => e);
  assert.ok(bad instanceof ConfigError);
  assert.match(bad.message, /up_status: expected a status code/);
  const badRegex = await createChecker({ type: "http", endpoint_url: server.url, up_status: "/[2/" }).catch((e: unknown) => e);
  assert.ok(badRegex instanceof ConfigError);
  assert.match(badRegex.message, /up_status: expected .*a regular expression \("\/\^2\\d\\d\$\/"\).*got "\/\[2\/"/);
});

test("http: redirects are not followed: 302 is down unless up_status accepts it", async () => {
  const server = await statusServer();
  const r = await check({ endpoint_url: `${server.url}/302` });
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, "response status 302 Found");
  assert.equal((await check({ endpoint_url: `${server.url}/302`, up_status: 302 })).healthy, true);
  assert.deepEqual(server.requests.map((q) => q.url), ["/302", "/302"], "never fetched the Location");
});

test("http: must_contain and must_not_contain, with checkup's texts", async () => {
  const server = await statusServer();
  assert.equal((await check({ endpoint_url: server.url, must_contain: "systems", must_not_contain: "down" })).healthy, true);
  const missing = await check({ endpoint_url: server.url, must_contain: "Systems" });
  assert.equal(missing.times[0]!.error, "response does not contain 'Systems'");
  const present = await check({ endpoint_url: server.url, must_not_contain: "go" });
  assert.equal(present.down, true);
  assert.equal(present.times[0]!.error, "response contains 'go'");
});

test("http: headers join values with \", \" and a Host header reaches the server", async () => {
  const server = await statusServer();
  const r = await check({
    endpoint_url: server.url,
    headers: { "X-Multi": ["a", "b"], Authorization: "Bearer t", Host: ["status.example.test", "ignored"], "X-Empty": [] },
  });
  assert.equal(r.healthy, true);
  const seen = server.requests[0]!.headers;
  assert.equal(seen["x-multi"], "a, b");
  assert.equal(seen.authorization, "Bearer t");
  assert.equal(seen.host, "status.example.test");
  assert.equal(seen["x-empty"], undefined);
  assert.match(seen["user-agent"] ?? "", /^checkup\/\d+\.\d+\.\d+$/, "a User-Agent unless the config sets one");
  const own = await statusServer();
  await check({ endpoint_url: own.url, headers: { "user-agent": ["probe/1"] } });
  assert.equal(own.requests[0]!.headers["user-agent"], "probe/1");
});

test("http: bad headers and methods are config errors at their path", async () => {
  const error = await createChecker({ type: "http", endpoint_url: "http://127.0.0.1:1", method: "GE T", headers: { "X-A": [1], "Bad Name": ["v"] } })
    .catch((e: unknown) => e);
  assert.ok(error instanceof ConfigError);
  assert.deepEqual(error.problems.map((p) => p.path), ["method", "headers.X-A", "headers.Bad Name"]);
});

test("http: method and body are sent", async () => {
  const server = await statusServer();
  const r = await check({ endpoint_url: `${server.url}/201`, method: "post", body: '{"ping":1}', headers: { "Content-Type": ["application/json"] } });
  assert.equal(r.healthy, true);
  const q = server.requests[0]!;
  assert.deepEqual([q.method, q.body, q.headers["content-length"], q.headers["content-type"]], ["POST", '{"ping":1}', "10", "application/json"]);
});

test("http: each attempt is a fresh connection", async () => {
  const ports = new Set<number>();
  const server = await startHttpServer((req, res) => {
    ports.add(req.socket.remotePort!);
    res.end("ok");
  });
  const r = await check({ endpoint_url: server.url, attempts: 3 });
  assert.equal(r.healthy, true);
  assert.equal(r.times.length, 3);
  assert.equal(server.requests.length, 3);
  assert.equal(ports.size, 3, "three distinct client sockets");
});

test("http: attempt_spacing separates answered attempts, but not failed connections", async () => {
  const arrivals: number[] = [];
  const server = await startHttpServer((_req, res) => {
    arrivals.push(performance.now());
    res.end();
  });
  await check({ endpoint_url: server.url, attempts: 3, attempt_spacing: "150ms" });
  assert.equal(arrivals.length, 3);
  for (let i = 1; i < arrivals.length; i++) assert.ok(arrivals[i]! - arrivals[i - 1]! >= 149, `gap ${i} honours the spacing`);
  // With a 20 s spacing, three refused attempts could not finish inside the test timeout if spaced.
  const port = await closedPort();
  const refused = await check({ endpoint_url: `http://127.0.0.1:${port}`, attempts: 3, attempt_spacing: "20s" });
  assert.equal(refused.times.length, 3);
  assert.equal(refused.down, true);
});

/** Fails the first `failing` requests with a 500, then answers 200. */
async function flakyServer(failing: number) {
  let count = 0;
  return startHttpServer((_req, res) => {
    res.writeHead(count++ < failing ? 500 : 200);
    res.end();
  });
}

test("http: allowed_failures tolerates that many failed attempts and no more", async () => {
  const once = await check({ endpoint_url: (await flakyServer(1)).url, attempts: 3, allowed_failures: 1 });
  assert.equal(once.healthy, true);
  assert.deepEqual(once.times.map((t) => t.error), ["response status 500 Internal Server Error", undefined, undefined]);
  const twice = await check({ endpoint_url: (await flakyServer(2)).url, attempts: 3, allowed_failures: 1 });
  assert.equal(twice.down, true);
  const strict = await check({ endpoint_url: (await flakyServer(1)).url, attempts: 3 });
  assert.equal(strict.down, true, "checkup's rule: one failed attempt is enough");
});

test("http: a median RTT above threshold_rtt is degraded", async () => {
  const server = await startHttpServer((_req, res) => void sleep(30).then(() => res.end()));
  const r = await check({ endpoint_url: server.url, threshold_rtt: 10_000_000, attempts: 2 });
  assert.equal(r.degraded, true);
  assert.equal(r.threshold, 10_000_000);
  assert.equal(r.notice, "median round trip time exceeded threshold (10ms)");
});

test("http: a server that never answers is down after the timeout", async () => {
  const server = await startSilentServer();
  const url = `http://${server.address}`;
  const r = await check({ endpoint_url: url, timeout: "200ms" });
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
});

test("http: a body that stalls is a body read error once the timeout passes", async () => {
  const server = await startHttpServer((_req, res) => {
    res.writeHead(200, { "Content-Length": "100" });
    res.write("partial");
  });
  const r = await check({ endpoint_url: server.url, timeout: "300ms", must_contain: "partial" });
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, "reading response body: context deadline exceeded (Client.Timeout or context cancellation while reading body)");
});

test("http: a body nobody needs may stall: the check is healthy at the headers and never waits for it", async () => {
  const server = await startHttpServer((_req, res) => {
    res.writeHead(200, { "Content-Length": "100" });
    res.write("partial");
  });
  const r = await check({ endpoint_url: server.url, timeout: "60s", attempts: 2 });
  assert.equal(r.healthy, true);
  assert.equal(r.times.length, 2);
});

test("http: a server hanging up without an answer is EOF", async () => {
  const server = await startHttpServer((req: http.IncomingMessage) => req.socket.destroy());
  const r = await check({ endpoint_url: server.url });
  assert.equal(r.times[0]!.error, `Get "${server.url}": EOF`);
});

test("http: a refused port is down with Go's dial error", async () => {
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}/health`;
  const r = await check({ endpoint_url: url });
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, `Get "${url}": dial tcp 127.0.0.1:${port}: connect: connection refused`);
});

test("http: https with tls_skip_verify accepts a self-signed certificate", async () => {
  const certs = testCerts();
  const server = await startHttpsServer(certs.selfSigned, (_req, res) => res.end("ok"));
  assert.equal((await check({ endpoint_url: server.url, tls_skip_verify: true })).healthy, true);
  const r = await check({ endpoint_url: server.url });
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, `Get "${server.url}": tls: failed to verify certificate: x509: certificate signed by unknown authority`);
});

test("http: https with tls_ca_file trusts the test CA, whatever the Host header says", async () => {
  const certs = testCerts();
  const server = await startHttpsServer(certs.valid, (_req, res) => res.end("ok"));
  const trusted = await check({ endpoint_url: server.url, tls_ca_file: certs.ca.certFile, headers: { Host: ["status.example.test"] } });
  assert.equal(trusted.healthy, true, trusted.times[0]!.error);
  assert.equal((await check({ endpoint_url: server.url })).down, true);
  const missing = await check({ endpoint_url: server.url, tls_ca_file: `${certs.dir}/missing.pem` });
  assert.equal(missing.times[0]!.error, `Get "${server.url}": error reading root certificate`);
});

test("http: an expired certificate is down with Go's x509 text", async () => {
  const certs = testCerts();
  const server = await startHttpsServer(certs.expired, (_req, res) => res.end("ok"));
  const r = await check({ endpoint_url: server.url, tls_ca_file: certs.ca.certFile });
  assert.equal(r.times[0]!.error, `Get "${server.url}": tls: failed to verify certificate: x509: certificate has expired or is not yet valid`);
});
