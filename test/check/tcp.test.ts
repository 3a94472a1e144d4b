import assert from "node:assert/strict";
import net from "node:net";
import { after, test } from "node:test";
import { createChecker } from "../../lib/check/create.js";
import { closedPort } from "../helpers/http-server.js";

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
