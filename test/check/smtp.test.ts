import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { after, test } from "node:test";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { createChecker } from "../../lib/checking/create.js";
import { resultJson } from "../../lib/result.js";
import type { Result } from "../../lib/types.js";
import { testCerts, type CertPair } from "../helpers/certs.js";
import { configProblems } from "../helpers/config-problems.js";
import { closedPort } from "../helpers/http-server.js";
import { startSilentServer } from "../helpers/hostile.js";

const certs = testCerts();

/** A real SMTP server (smtp-server) on loopback, offering STARTTLS with `pair` unless disabled. */
async function smtp(pair: CertPair, options: SMTPServerOptions = {}): Promise<{ address: string; sessions: () => number }> {
  let sessions = 0;
  const server = new SMTPServer({
    logger: false, authOptional: true, key: pair.key, cert: pair.cert, name: "mx.checkup.test",
    onConnect: (_s, cb) => { sessions++; cb(); },
    ...options,
  });
  server.on("error", () => {}); // clients hanging up mid-handshake are the test
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { address: `127.0.0.1:${(server.server.address() as AddressInfo).port}`, sessions: () => sessions };
}

async function check(address: string, extra: Record<string, unknown> = {}): Promise<Result> {
  return (await createChecker({ type: "smtp", endpoint_name: "mail", endpoint_url: address, ...extra })).check();
}

const starttls = { starttls: true, tls_ca_file: certs.ca.certFile };

test("smtp: greeting and EHLO answered is healthy, one session per attempt", async () => {
  const server = await smtp(certs.valid);
  const r = await check(server.address, { attempts: 2 });
  assert.equal(r.healthy, true, resultJson(r));
  assert.equal(r.times.length, 2);
  assert.equal(server.sessions(), 2);
  assert.equal(r.certExpiry, undefined, "no TLS, no certificate");
});

test("smtp: STARTTLS with a trusted certificate is healthy and records its expiry", async () => {
  const r = await check((await smtp(certs.valid)).address, starttls);
  assert.equal(r.healthy, true, resultJson(r));
  assert.equal(r.certExpiry, certs.valid.notAfter.getTime() / 1000);
});

test("smtp: STARTTLS with a certificate expiring within cert_expiry_threshold is degraded", async () => {
  const r = await check((await smtp(certs.expiring)).address, starttls);
  assert.equal(r.degraded, true, resultJson(r));
  assert.match(r.notice ?? "", /^certificate expiring soon \(7[01]h\d+m[\d.]+s\)$/);
  const relaxed = await check((await smtp(certs.expiring)).address, { ...starttls, cert_expiry_threshold: "2d" });
  assert.equal(relaxed.healthy, true, resultJson(relaxed));
});

test("smtp: STARTTLS with an expired certificate is down", async () => {
  const r = await check((await smtp(certs.expired)).address, starttls);
  assert.equal(r.down, true);
  assert.match(r.times[0]!.error ?? "", /^certificate expired 2[45]h\d+m[\d.]+s ago$/);
});

test("smtp: an untrusted certificate is down unless tls_skip_verify", async () => {
  const server = await smtp(certs.selfSigned);
  const r = await check(server.address, starttls);
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, "tls: failed to verify certificate: x509: certificate signed by unknown authority");
  const skipped = await check(server.address, { starttls: true, tls_skip_verify: true });
  assert.equal(skipped.healthy, true, resultJson(skipped));
});

test("smtp: starttls against a server that does not offer it is down", async () => {
  const r = await check((await smtp(certs.valid, { disabledCommands: ["STARTTLS"] })).address, starttls);
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, "STARTTLS: the server does not offer it");
});

test("smtp: a refusing greeting is down with the server's reply", async () => {
  const server = await smtp(certs.valid, {
    onConnect: (_s, cb) => cb(Object.assign(new Error("no service for you"), { responseCode: 554 })),
  });
  const r = await check(server.address);
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, "greeting: 554 no service for you");
});

test("smtp: median above threshold_rtt is degraded", async () => {
  const r = await check((await smtp(certs.valid)).address, { threshold_rtt: 1 });
  assert.equal(r.degraded, true);
  assert.equal(r.notice, "median round trip time exceeded threshold (1ns)");
});

test("smtp: a refused port, a non-SMTP peer and a silent server are down", async () => {
  const port = await closedPort();
  assert.equal((await check(`127.0.0.1:${port}`)).times[0]!.error, `dial tcp 127.0.0.1:${port}: connect: connection refused`);
  const http = net.createServer((s) => s.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  after(() => http.close());
  const other = await check(`127.0.0.1:${(http.address() as AddressInfo).port}`);
  assert.equal(other.times[0]!.error, `not an SMTP server: it sent "HTTP/1.1 400 Bad Request"`);
  const silent = await startSilentServer();
  const hung = await check(silent.address, { timeout: "200ms" });
  assert.equal(hung.down, true);
  assert.equal(hung.times[0]!.error, "timed out after 200ms");
});

test("smtp: bad fields are config errors at their path", async () => {
  assert.deepEqual(await configProblems({
    type: "smtp", endpoint_url: "mail.example.com", starttls: "yes", ehlo: 1, cert_expiry_threshold: "soon",
  }), [
    { path: "checkers[0].endpoint_url", message: `expected host:port like "mail.example.com:25", got "mail.example.com"` },
    { path: "checkers[0].ehlo", message: "expected a string, got 1" },
    { path: "checkers[0].starttls", message: `expected true or false, got "yes"` },
    {
      path: "checkers[0].cert_expiry_threshold",
      message: `expected a duration: integer nanoseconds (200ms = 200000000) or a string like "200ms", "10s", "14d", got "soon"`,
    },
  ]);
});
