import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { createChecker } from "../../lib/checking/create.js";
import { parseCheckupConfig } from "../../lib/config/checkup-json.js";
import { parseDuration } from "../../lib/duration.js";
import { ConfigError } from "../../lib/errors.js";
import { resultJson } from "../../lib/result.js";
import type { Result } from "../../lib/types.js";
import { testCerts, type CertPair } from "../helpers/certs.js";
import { closedPort } from "../helpers/http-server.js";
import { startSilentServer } from "../helpers/hostile.js";
import { startTlsServer } from "../helpers/tls-server.js";

const certs = testCerts();

/** One check of a TLS server presenting `pair`, trusting the test CA unless told otherwise. */
async function checkServer(pair: CertPair, extra: Record<string, unknown> = {}): Promise<Result> {
  const server = await startTlsServer(pair);
  const checker = await createChecker({ type: "tls", endpoint_url: server.address, trusted_roots: [certs.ca.certFile], ...extra });
  return checker.check();
}

/**
 * Asserts `text` holds a Go duration (captured by `pattern`) equal to `ms(now)` for some `now`
 * between `before` and after this call: exact arithmetic, no timing assumptions.
 */
function assertDurationBetween(text: string | undefined, pattern: RegExp, before: number, ms: (now: number) => number): void {
  const match = pattern.exec(text ?? "");
  assert.ok(match, `${text} should match ${pattern}`);
  const shownMs = parseDuration(match[1]!)! / 1e6;
  const [a, b] = [ms(before), ms(Date.now())].sort((x, y) => x - y);
  assert.ok(shownMs >= a! - 1 && shownMs <= b! + 1, `${match[1]} should lie between ${a} ms and ${b} ms`);
}

test("tls: a certificate from a trusted root is healthy, with its expiry recorded", async () => {
  const server = await startTlsServer(certs.valid);
  const checker = await createChecker({
    type: "tls", endpoint_name: "web", endpoint_url: server.address, trusted_roots: [certs.ca.certFile], attempts: 3,
  });
  const r = await checker.check();
  assert.equal(r.healthy, true, resultJson(r));
  assert.equal(r.title, "web");
  assert.equal(r.endpoint, server.address);
  assert.equal(r.times.length, 3);
  assert.ok(r.times.every((t) => t.rtt > 0 && t.error === undefined));
  assert.equal(server.connections, 3, "one handshake per attempt");
  const expiry = certs.valid.notAfter.getTime() / 1000;
  assert.equal(r.certExpiry, expiry);
  assert.match(resultJson(r), new RegExp(`"healthy":true,"cert_expiry":${expiry}}$`));
});

test("tls: a leaf expiring within cert_expiry_threshold (14 days by default) is degraded", async () => {
  const before = Date.now();
  const r = await checkServer(certs.expiring);
  assert.equal(r.degraded, true, resultJson(r));
  assert.equal(r.times[0]!.error, undefined);
  const notAfter = certs.expiring.notAfter.getTime();
  assertDurationBetween(r.notice, /^certificate expiring soon \((7[01]h\d+m[\d.]+s)\)$/, before, (now) => notAfter - now);
  assert.equal(r.certExpiry, notAfter / 1000);
});

test("tls: a shorter cert_expiry_threshold makes the same leaf healthy", async () => {
  const r = await checkServer(certs.expiring, { cert_expiry_threshold: "2d" });
  assert.equal(r.healthy, true, resultJson(r));
  assert.equal(r.notice, undefined);
});

test("tls: an expired leaf is down with how long ago it expired", async () => {
  const before = Date.now();
  const r = await checkServer(certs.expired);
  assert.equal(r.down, true, resultJson(r));
  const notAfter = certs.expired.notAfter.getTime();
  assertDurationBetween(r.times[0]!.error, /^certificate expired (2[45]h\d+m[\d.]+s) ago$/, before, (now) => now - notAfter);
  assert.equal(r.certExpiry, notAfter / 1000);
});

test("tls: a self-signed certificate nobody trusts is down", async () => {
  const r = await checkServer(certs.selfSigned);
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, "tls: failed to verify certificate: x509: certificate signed by unknown authority");
  assert.equal(r.certExpiry, undefined);
});

test("tls: without trusted_roots only the system roots count, so the test CA is not trusted", async () => {
  const server = await startTlsServer(certs.valid);
  const r = await (await createChecker({ type: "tls", endpoint_url: server.address })).check();
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, "tls: failed to verify certificate: x509: certificate signed by unknown authority");
});

test("tls: trusted_roots that do not include the issuer make the check down", async () => {
  const r = await checkServer(certs.valid, { trusted_roots: [certs.selfSigned.certFile] });
  assert.equal(r.down, true);
  assert.match(r.times[0]!.error ?? "", /^tls: failed to verify certificate: x509: /);
});

test("tls: an unreadable or non-PEM trusted_roots file is a config error at its path", async () => {
  const missing = path.join(certs.dir, "missing.pem");
  const notPem = path.join(certs.dir, "not-pem.txt");
  await writeFile(notPem, "hello\n");
  const config = {
    checkers: [
      { type: "tcp", endpoint_url: "127.0.0.1:1" },
      { type: "tls", endpoint_url: "127.0.0.1:1", trusted_roots: [certs.ca.certFile, missing, notPem] },
    ],
  };
  const error = await parseCheckupConfig(config, "checkup.json").then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ConfigError);
  assert.deepEqual(error.problems, [
    {
      path: "checkers[1].trusted_roots[1]",
      message: `cannot read ${JSON.stringify(missing)} (no such file); point it at a PEM file of root certificates, or remove it`,
    },
    {
      path: "checkers[1].trusted_roots[2]",
      message: `${JSON.stringify(notPem)} holds no PEM certificate ("-----BEGIN CERTIFICATE-----"); ` +
        "point it at a PEM file of root certificates, or remove it",
    },
  ]);
});

test("tls: a server that never completes the handshake is down once the timeout passes", async () => {
  const server = await startSilentServer();
  const checker = await createChecker({ type: "tls", endpoint_url: server.address, timeout: "200ms", attempts: 2 });
  const r = await checker.check();
  assert.equal(r.down, true);
  assert.equal(server.connections, 2);
  for (const t of r.times) assert.equal(t.error, `dial tcp ${server.address}: i/o timeout`);
});

test("tls: a refused port is down with Go's dial error", async () => {
  const port = await closedPort();
  const r = await (await createChecker({ type: "tls", endpoint_url: `127.0.0.1:${port}` })).check();
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, `dial tcp 127.0.0.1:${port}: connect: connection refused`);
});

test("tls: median above threshold_rtt is degraded with checkup's notice", async () => {
  const r = await checkServer(certs.valid, { threshold_rtt: 1 });
  assert.equal(r.degraded, true);
  assert.equal(r.threshold, 1);
  assert.equal(r.notice, "median round trip time exceeded threshold (1ns)");
});

test("tls: the expiry notice wins over the threshold notice, as in checkup", async () => {
  const r = await checkServer(certs.expiring, { threshold_rtt: 1 });
  assert.equal(r.degraded, true);
  assert.match(r.notice ?? "", /^certificate expiring soon /);
});

