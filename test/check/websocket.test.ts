import assert from "node:assert/strict";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { after, test } from "node:test";
import { WebSocketServer, type WebSocket } from "ws";
import { createChecker } from "../../lib/checking/create.js";
import { resultJson } from "../../lib/result.js";
import type { Result } from "../../lib/types.js";
import { testCerts } from "../helpers/certs.js";
import { configProblems } from "../helpers/config-problems.js";
import { closedPort } from "../helpers/http-server.js";
import { startSilentServer } from "../helpers/hostile.js";

const certs = testCerts();

/** A real WebSocket server (ws) on loopback; `onSocket` plays the service. Counts connections. */
async function wsServer(onSocket: (s: WebSocket) => void, secure = false): Promise<{ url: string; opened: () => number }> {
  const server = secure ? https.createServer({ cert: certs.valid.cert, key: certs.valid.key }) : http.createServer();
  server.on("tlsClientError", () => {});
  const wss = new WebSocketServer({ server });
  let opened = 0;
  wss.on("connection", (s) => { opened++; onSocket(s); });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  after(() => new Promise<void>((resolve) => { for (const c of wss.clients) c.terminate(); wss.close(); server.close(() => resolve()); }));
  return { url: `${secure ? "wss" : "ws"}://127.0.0.1:${(server.address() as AddressInfo).port}/live`, opened: () => opened };
}

const echo = (s: WebSocket) => s.on("message", (m) => s.send(`echo: ${String(m)}`));

async function check(url: string, extra: Record<string, unknown> = {}): Promise<Result> {
  return (await createChecker({ type: "websocket", endpoint_name: "live", endpoint_url: url, ...extra })).check();
}

test("websocket: an opened connection is healthy, one per attempt", async () => {
  const server = await wsServer(() => {});
  const r = await check(server.url, { attempts: 2 });
  assert.equal(r.healthy, true, resultJson(r));
  assert.equal(r.times.length, 2);
  assert.ok(r.times.every((t) => t.rtt > 0));
  assert.equal(server.opened(), 2);
});

test("websocket: send, then must_contain on the first message", async () => {
  const server = await wsServer(echo);
  const r = await check(server.url, { send: "ping", must_contain: "echo: ping" });
  assert.equal(r.healthy, true, resultJson(r));
  const wrong = await check(server.url, { send: "ping", must_contain: "pong" });
  assert.equal(wrong.down, true);
  assert.equal(wrong.times[0]!.error, "response does not contain 'pong'");
});

test("websocket: a server that greets first is judged on its greeting", async () => {
  const server = await wsServer((s) => s.send(JSON.stringify({ status: "ok" })));
  assert.equal((await check(server.url, { must_contain: `"status":"ok"` })).healthy, true);
});

test("websocket: wss with the test CA is healthy; untrusted is down unless tls_skip_verify", async () => {
  const server = await wsServer(() => {}, true);
  const trusted = await check(server.url, { tls_ca_file: certs.ca.certFile });
  assert.equal(trusted.healthy, true, resultJson(trusted));
  const untrusted = await check(server.url);
  assert.equal(untrusted.times[0]!.error, "tls: failed to verify certificate: x509: certificate signed by unknown authority");
  assert.equal((await check(server.url, { tls_skip_verify: true })).healthy, true);
});

test("websocket: median above threshold_rtt is degraded", async () => {
  const r = await check((await wsServer(() => {})).url, { threshold_rtt: 1 });
  assert.equal(r.degraded, true);
  assert.equal(r.notice, "median round trip time exceeded threshold (1ns)");
});

test("websocket: a plain HTTP answer instead of the upgrade is down with its status", async () => {
  const server = http.createServer((_req, res) => res.writeHead(404).end("no socket here"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  after(() => server.close());
  const r = await check(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, "handshake: response status 404 (expected 101)");
});

test("websocket: a server closing before its first message, a refused port and a silent server are down", async () => {
  const closing = await wsServer((s) => s.close(1011, "busy"));
  const closed = await check(closing.url, { must_contain: "x" });
  assert.equal(closed.times[0]!.error, "closed by the server (code 1011) before its first message");
  const port = await closedPort();
  assert.equal((await check(`ws://127.0.0.1:${port}/`)).times[0]!.error, `dial tcp 127.0.0.1:${port}: connect: connection refused`);
  const silent = await startSilentServer();
  const hung = await check(`ws://${silent.address}/`, { timeout: "200ms" });
  assert.equal(hung.down, true);
  assert.equal(hung.times[0]!.error, "timed out after 200ms");
  const mute = await wsServer(() => {});
  const waiting = await check(mute.url, { must_contain: "hello", timeout: "200ms" });
  assert.equal(waiting.times[0]!.error, "timed out after 200ms");
});

test("websocket: bad fields are config errors at their path", async () => {
  assert.deepEqual(await configProblems({ type: "websocket", endpoint_url: "https://example.com/socket", send: 1 }), [
    { path: "checkers[0].endpoint_url", message: `expected an absolute URL like "wss://example.com/socket", got "https://example.com/socket"` },
    { path: "checkers[0].send", message: "expected a string, got 1" },
  ]);
  assert.deepEqual(await configProblems({ type: "websocket" }), [
    { path: "checkers[0].endpoint_url", message: `missing: set it to the socket's URL, e.g. "wss://example.com/socket"` },
  ]);
});
