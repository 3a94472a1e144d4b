import assert from "node:assert/strict";
import net from "node:net";
import { after, test } from "node:test";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { createChecker } from "../../lib/checking/create.js";
import { testCerts } from "../helpers/certs.js";
import { closedPort } from "../helpers/http-server.js";
import { startTlsServer } from "../helpers/tls-server.js";

async function listening(): Promise<number> {
  const server = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  after(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as net.AddressInfo).port;
}

test("tcp: an open port is healthy, with one attempt per try", async () => {
  const port = await listening();
  const checker = await createChecker({ type: "tcp", endpoint_name: "db", endpoint_url: `127.0.0.1:${port}`, attempts: 3 });
  const r = await checker.check();
  assert.equal(r.healthy, true);
  assert.equal(r.title, "db");
  assert.equal(r.endpoint, `127.0.0.1:${port}`);
  assert.equal(r.times.length, 3);
  assert.ok(r.times.every((t) => t.rtt > 0 && t.error === undefined));
});

test("tcp: a refused port is down with Go's dial error", async () => {
  const port = await closedPort();
  const r = await (await createChecker({ type: "tcp", endpoint_url: `127.0.0.1:${port}` })).check();
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, `dial tcp 127.0.0.1:${port}: connect: connection refused`);
});

test("tcp: median above threshold_rtt is degraded with checkup's notice", async () => {
  const port = await listening();
  const r = await (await createChecker({ type: "tcp", endpoint_url: `127.0.0.1:${port}`, threshold_rtt: 1 })).check();
  assert.equal(r.degraded, true);
  assert.equal(r.threshold, 1);
  assert.equal(r.notice, "median round trip time exceeded threshold (1ns)");
});

test("tcp: allowed_failures tolerates flaky attempts but not all failing", async () => {
  const port = await closedPort();
  const r = await (await createChecker({ type: "tcp", endpoint_url: `127.0.0.1:${port}`, attempts: 2, allowed_failures: 1 })).check();
  assert.equal(r.down, true, "every attempt failed");
});

test("tcp tls: tls_ca_file trusts the test CA; without it the handshake is refused", async () => {
  const certs = testCerts();
  const server = await startTlsServer(certs.valid);
  const base = { type: "tcp", endpoint_url: server.address, tls: true };
  const trusted = await (await createChecker({ ...base, tls_ca_file: certs.ca.certFile })).check();
  assert.equal(trusted.healthy, true, trusted.times[0]!.error);
  const untrusted = await (await createChecker(base)).check();
  assert.equal(untrusted.down, true);
  assert.equal(untrusted.times[0]!.error, "tls: failed to verify certificate: x509: certificate signed by unknown authority");
});

test("tcp tls: tls_skip_verify accepts a self-signed certificate", async () => {
  const certs = testCerts();
  const server = await startTlsServer(certs.selfSigned);
  const r = await (await createChecker({ type: "tcp", endpoint_url: server.address, tls: true, tls_skip_verify: true })).check();
  assert.equal(r.healthy, true, r.times[0]!.error);
  assert.equal(server.connections, 1);
});

test("tcp tls: an expired certificate is down with Go's x509 text", async () => {
  const certs = testCerts();
  const server = await startTlsServer(certs.expired);
  const r = await (await createChecker({ type: "tcp", endpoint_url: server.address, tls: true, tls_ca_file: certs.ca.certFile })).check();
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, "tls: failed to verify certificate: x509: certificate has expired or is not yet valid");
});

test("tcp tls: a missing or non-PEM tls_ca_file is an attempt error, as in checkup", async () => {
  const certs = testCerts();
  const server = await startTlsServer(certs.valid);
  const notPem = path.join(certs.dir, "tcp-not-pem.txt");
  await writeFile(notPem, "not a certificate\n");
  const base = { type: "tcp", endpoint_url: server.address, tls: true, attempts: 2 };
  const missing = await (await createChecker({ ...base, tls_ca_file: path.join(certs.dir, "nope.pem") })).check();
  assert.equal(missing.down, true);
  assert.deepEqual(missing.times, [{ rtt: 0, error: "error reading root certificate" }, { rtt: 0, error: "error reading root certificate" }]);
  const garbled = await (await createChecker({ ...base, tls_ca_file: notPem })).check();
  assert.equal(garbled.down, true);
  assert.equal(garbled.times[0]!.error, "error parsing root certificate");
  assert.equal(server.connections, 0, "no connection is made without usable roots");
});
