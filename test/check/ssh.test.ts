import assert from "node:assert/strict";
import net from "node:net";
import { test } from "node:test";
import { createChecker } from "../../lib/checking/create.js";
import { resultJson } from "../../lib/result.js";
import { closedPort } from "../helpers/http-server.js";
import { SSHD_ADDENDUM, startSshd } from "../helpers/sshd.js";
import { startSilentServer } from "../helpers/hostile.js";
import { configProblems } from "../helpers/config-problems.js";

test("ssh: OpenSSH's banner is healthy, one connection per attempt; must_contain matches it", async () => {
  const sshd = await startSshd();
  const r = await (await createChecker({
    type: "ssh", endpoint_name: "bastion", endpoint_url: sshd.address, attempts: 2, must_contain: `OpenSSH_`,
  })).check();
  assert.equal(r.healthy, true, resultJson(r));
  assert.equal(r.endpoint, sshd.address);
  assert.equal(r.times.length, 2);
  assert.ok(r.times.every((t) => t.rtt > 0 && t.error === undefined));
});

test("ssh: a banner without must_contain is down, quoting the banner", async () => {
  const sshd = await startSshd();
  const r = await (await createChecker({ type: "ssh", endpoint_url: sshd.address, must_contain: "Dropbear" })).check();
  assert.equal(r.down, true);
  assert.match(r.times[0]!.error ?? "", new RegExp(`^banner "SSH-2\\.0-OpenSSH_[^"]* ${SSHD_ADDENDUM}" does not contain 'Dropbear'$`));
});

test("ssh: median above threshold_rtt is degraded", async () => {
  const sshd = await startSshd();
  const r = await (await createChecker({ type: "ssh", endpoint_url: sshd.address, threshold_rtt: 1 })).check();
  assert.equal(r.degraded, true);
  assert.equal(r.notice, "median round trip time exceeded threshold (1ns)");
});

test("ssh: a server speaking another protocol is down, naming what it sent", async () => {
  const server = net.createServer((s) => s.end("220 mail.example.com ESMTP\r\n"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  const r = await (await createChecker({ type: "ssh", endpoint_url: `127.0.0.1:${port}` })).check();
  server.close();
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, `not an SSH server: it sent "220 mail.example.com ESMTP"`);
});

test("ssh: a server that hangs up in silence is down", async () => {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  const r = await (await createChecker({ type: "ssh", endpoint_url: `127.0.0.1:${port}` })).check();
  server.close();
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, "reading the SSH banner: EOF");
});

test("ssh: a refused port is down with Go's dial error; a silent server times out", async () => {
  const port = await closedPort();
  const refused = await (await createChecker({ type: "ssh", endpoint_url: `127.0.0.1:${port}` })).check();
  assert.equal(refused.times[0]!.error, `dial tcp 127.0.0.1:${port}: connect: connection refused`);
  const silent = await startSilentServer();
  const hung = await (await createChecker({ type: "ssh", endpoint_url: silent.address, timeout: "200ms" })).check();
  assert.equal(hung.down, true);
  assert.equal(hung.times[0]!.error, "timed out after 200ms");
});

test("ssh: bad fields are config errors at their path", async () => {
  assert.deepEqual(await configProblems({ type: "ssh", endpoint_url: "bastion", must_contain: 7 }), [
    { path: "checkers[0].endpoint_url", message: `expected host:port like "example.com:22", got "bastion"` },
    { path: "checkers[0].must_contain", message: "expected a string, got 7" },
  ]);
});
