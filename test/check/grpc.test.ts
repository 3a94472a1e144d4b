import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { HealthImplementation, type ServingStatusMap } from "grpc-health-check";
import { createChecker } from "../../lib/checking/create.js";
import { resultJson } from "../../lib/result.js";
import type { Result } from "../../lib/types.js";
import { testCerts } from "../helpers/certs.js";
import { configProblems } from "../helpers/config-problems.js";
import { closedPort } from "../helpers/http-server.js";
import { startSilentServer } from "../helpers/hostile.js";

const certs = testCerts();

/** A gRPC server on loopback serving the grpc project's own health service (grpc-health-check). */
async function healthServer(statuses: ServingStatusMap | undefined, secure = false): Promise<string> {
  const server = new Server();
  if (statuses) new HealthImplementation(statuses).addToServer(server);
  const creds = secure
    ? ServerCredentials.createSsl(null, [{ private_key: Buffer.from(certs.valid.key), cert_chain: Buffer.from(certs.valid.cert) }])
    : ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", creds, (e, p) => (e ? reject(e) : resolve(p))));
  after(() => new Promise<void>((resolve) => server.tryShutdown(() => resolve())));
  return `127.0.0.1:${port}`;
}

async function check(address: string, extra: Record<string, unknown> = {}): Promise<Result> {
  return (await createChecker({ type: "grpc", endpoint_name: "api", endpoint_url: address, ...extra })).check();
}

const statuses: ServingStatusMap = { "": "SERVING", "shop.Orders": "SERVING", "shop.Billing": "NOT_SERVING" };

test("grpc: a SERVING server is healthy, as a whole and for a named service", async () => {
  const address = await healthServer(statuses);
  const whole = await check(address, { attempts: 2 });
  assert.equal(whole.healthy, true, resultJson(whole));
  assert.equal(whole.times.length, 2);
  assert.ok(whole.times.every((t) => t.rtt > 0));
  assert.equal((await check(address, { service: "shop.Orders" })).healthy, true);
});

test("grpc: NOT_SERVING is down; an unknown service is down with the server's NOT_FOUND", async () => {
  const address = await healthServer(statuses);
  const billing = await check(address, { service: "shop.Billing" });
  assert.equal(billing.down, true);
  assert.equal(billing.times[0]!.error, "health status NOT_SERVING");
  const unknown = await check(address, { service: "shop.Nope" });
  assert.equal(unknown.down, true);
  assert.match(unknown.times[0]!.error ?? "", /^rpc error: NOT_FOUND: /);
});

test("grpc: a server without the health service is down with UNIMPLEMENTED", async () => {
  const r = await check(await healthServer(undefined));
  assert.equal(r.down, true);
  assert.match(r.times[0]!.error ?? "", /^rpc error: UNIMPLEMENTED: /);
});

test("grpc: median above threshold_rtt is degraded", async () => {
  const r = await check(await healthServer(statuses), { threshold_rtt: 1 });
  assert.equal(r.degraded, true);
  assert.equal(r.notice, "median round trip time exceeded threshold (1ns)");
});

test("grpc: tls with the test CA is healthy; an untrusted server is down unless tls_skip_verify", async () => {
  const address = await healthServer(statuses, true);
  const trusted = await check(address, { tls: true, tls_ca_file: certs.ca.certFile });
  assert.equal(trusted.healthy, true, resultJson(trusted));
  const untrusted = await check(address, { tls: true });
  assert.equal(untrusted.down, true);
  assert.match(untrusted.times[0]!.error ?? "", /^rpc error: UNAVAILABLE: No connection established\. Last error: Error: unable to verify the first certificate/);
  assert.equal((await check(address, { tls: true, tls_skip_verify: true })).healthy, true);
});

test("grpc: a refused port is down; a silent server times out", async () => {
  const port = await closedPort();
  const refused = await check(`127.0.0.1:${port}`);
  assert.equal(refused.down, true);
  assert.match(refused.times[0]!.error ?? "", /^rpc error: UNAVAILABLE: .*ECONNREFUSED/);
  const silent = await startSilentServer();
  const hung = await check(silent.address, { timeout: "300ms" });
  assert.equal(hung.down, true);
  assert.equal(hung.times[0]!.error, "timed out after 300ms");
});

test("grpc: bad fields are config errors at their path", async () => {
  assert.deepEqual(await configProblems({ type: "grpc", endpoint_url: "grpc://api:50051", service: ["a"], tls: 1 }), [
    { path: "checkers[0].endpoint_url", message: `expected host:port like "grpc.example.com:443", got "grpc://api:50051"` },
    { path: "checkers[0].service", message: `expected a string, got ["a"]` },
    { path: "checkers[0].tls", message: "expected true or false, got 1" },
  ]);
});
