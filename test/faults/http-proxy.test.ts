/**
 * Proxies and redirects stay inside the attempt's one deadline: a proxy that never answers (a
 * forward request or a CONNECT), a body trickling through a tunnel, and a slow chain of
 * redirects all end at the timeout, and every socket they opened is closed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createChecker } from "../../lib/checking/create.js";
import { testCerts } from "../helpers/certs.js";
import { startHttpServer } from "../helpers/http-server.js";
import { startSilentServer, startTricklingServer, within } from "../helpers/hostile.js";
import { startProxy } from "../helpers/proxy.js";
import { startHttpsServer } from "../helpers/tls-server.js";

const HEADERS_DEADLINE = "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
const BODY_DEADLINE = "reading response body: context deadline exceeded (Client.Timeout or context cancellation while reading body)";

test("proxy faults: a proxy that accepts and never answers ends the attempt at its timeout", async () => {
  const silent = await startSilentServer();
  for (const endpoint of ["http://app.checkup.test/", "https://app.checkup.test/"]) {
    const checker = await createChecker({ type: "http", endpoint_url: endpoint, proxy: `http://${silent.address}`, timeout: "300ms" });
    const r = await within(checker.check(), 5_000, endpoint);
    assert.equal(r.times[0]!.error, `Get "${endpoint}": ${HEADERS_DEADLINE}`);
  }
  await within(silent.drained(), 2_000, "the proxy sees both sockets closed");
  assert.equal(silent.connections, 2);
});

test("proxy faults: a CONNECT the proxy takes and never answers ends at the timeout", async () => {
  const proxy = await startProxy({ stallConnect: true });
  const endpoint = "https://app.checkup.test/";
  const checker = await createChecker({ type: "http", endpoint_url: endpoint, proxy: proxy.url, timeout: "300ms", attempts: 2 });
  const r = await within(checker.check(), 5_000, "check");
  assert.deepEqual(r.times.map((t) => t.error), [`Get "${endpoint}": ${HEADERS_DEADLINE}`, `Get "${endpoint}": ${HEADERS_DEADLINE}`]);
  assert.deepEqual(proxy.asked, ["CONNECT app.checkup.test:443", "CONNECT app.checkup.test:443"]);
  await within(proxy.drained(), 2_000, "the proxy sees the sockets closed");
});

test("proxy faults: a body trickling through a CONNECT tunnel is cut at the timeout, tunnel closed", async () => {
  const certs = testCerts();
  const server = await startHttpsServer(certs.valid, (_req, res) => {
    res.writeHead(200);
    res.flushHeaders();
    const drip = setInterval(() => res.write("."), 50);
    res.once("close", () => clearInterval(drip));
  });
  const proxy = await startProxy();
  const endpoint = `https://app.checkup.test:${server.port}/`;
  const checker = await createChecker({
    type: "http", endpoint_url: endpoint, proxy: proxy.url, tls_ca_file: certs.ca.certFile, must_contain: "ready", timeout: "400ms",
  });
  const r = await within(checker.check(), 5_000, "check");
  assert.equal(r.times[0]!.error, BODY_DEADLINE);
  await within(proxy.drained(), 2_000, "the proxy sees the tunnel closed");
  await within(server.drained(), 2_000, "the target sees its socket closed");
});

test("proxy faults: a status-only check through a proxy closes the trickling body's sockets", async () => {
  const [server, proxy] = await Promise.all([startTricklingServer(), startProxy()]);
  const checker = await createChecker({ type: "http", endpoint_url: `http://app.checkup.test:${server.port}/`, proxy: proxy.url, timeout: "2s" });
  const r = await within(checker.check(), 5_000, "check");
  assert.equal(r.healthy, true, r.times[0]!.error);
  await within(proxy.drained(), 3_000, "the proxy sees the socket closed");
  await within(server.drained(), 3_000, "the target sees the socket closed");
});

test("redirect faults: slow redirects share one deadline, not one each", async () => {
  // Each hop answers after 150 ms; 10 hops would take 1.5 s, the timeout is 400 ms.
  const server = await startHttpServer((req, res) => {
    const n = Number(req.url?.slice(1)) || 0;
    void sleep(150).then(() => {
      res.writeHead(302, { Location: `/${n + 1}` });
      res.end();
    });
  });
  const checker = await createChecker({ type: "http", endpoint_url: `${server.url}/0`, follow_redirects: true, timeout: "400ms" });
  const r = await within(checker.check(), 5_000, "check");
  assert.equal(r.down, true);
  assert.match(r.times[0]!.error ?? "", new RegExp(`^Get "${server.url}/[1-3]": ${HEADERS_DEADLINE.replace(/[()]/g, "\\$&")}$`));
  assert.ok(server.requests.length <= 3, `${server.requests.length} hops fit in 400 ms`);
});
