import assert from "node:assert/strict";
import { test } from "node:test";
import { createChecker } from "../../lib/checking/create.js";
import { parseDuration } from "../../lib/duration.js";
import { resultJson } from "../../lib/result.js";
import type { Result } from "../../lib/types.js";
import { configProblems } from "../helpers/config-problems.js";
import { closedPort, startHttpServer, type TestServer } from "../helpers/http-server.js";
import { startSilentServer } from "../helpers/hostile.js";

const DAY_MS = 86_400_000;

/** A local RDAP server (RFC 9083 replies): `expires` maps a domain to its expiry, null = no event. */
async function rdapServer(expires: Record<string, Date | null>): Promise<TestServer> {
  return startHttpServer((req, res) => {
    const name = /^\/rdap\/domain\/(.+)$/.exec(req.url ?? "")?.[1];
    if (req.url === "/moved/domain/example.com") return res.writeHead(302, { location: "/rdap/domain/example.com" }).end();
    if (name === "huge.example") return res.writeHead(200).end(JSON.stringify({ events: [], padding: "x".repeat(2 * 1024 * 1024) }));
    if (name === "garbled.example") return res.writeHead(200, { "content-type": "application/rdap+json" }).end("{ not json");
    if (name === undefined || !(name in expires)) return res.writeHead(404, { "content-type": "application/rdap+json" }).end("{}");
    const expiry = expires[name];
    const events = [{ eventAction: "registration", eventDate: "2001-05-01T00:00:00Z" }];
    if (expiry) events.push({ eventAction: "expiration", eventDate: expiry.toISOString() });
    res.writeHead(200, { "content-type": "application/rdap+json" });
    res.end(JSON.stringify({ objectClassName: "domain", ldhName: name.toUpperCase(), events }));
  });
}

const inDays = (days: number) => new Date(Math.floor((Date.now() + days * DAY_MS) / 1000) * 1000);
const expires = {
  "example.com": inDays(365), "soon.example": inDays(10), "lapsed.example": inDays(-2), "quiet.example": null,
};

async function check(server: TestServer | string, domain: string, extra: Record<string, unknown> = {}): Promise<Result> {
  const rdap_url = typeof server === "string" ? server : `${server.url}/rdap/`;
  return (await createChecker({ type: "domain", endpoint_name: domain, endpoint_url: domain, rdap_url, ...extra })).check();
}

test("domain: a registration a year from expiry is healthy; the query is RDAP's", async () => {
  const server = await rdapServer(expires);
  const r = await check(server, "example.com", { attempts: 2 });
  assert.equal(r.healthy, true, resultJson(r));
  assert.equal(r.times.length, 2);
  assert.deepEqual(server.requests.map((q) => [q.method, q.url, q.headers.accept]),
    [["GET", "/rdap/domain/example.com", "application/rdap+json"], ["GET", "/rdap/domain/example.com", "application/rdap+json"]]);
});

test("domain: rdap_url without a trailing slash, a trailing dot and a redirect all work", async () => {
  const server = await rdapServer(expires);
  assert.equal((await check(`${server.url}/rdap`, "example.com.")).healthy, true);
  assert.equal((await check(`${server.url}/moved/`, "example.com")).healthy, true, "the redirect is followed");
});

test("domain: expiring within expiry_threshold (30 days by default) is degraded", async () => {
  const server = await rdapServer(expires);
  const r = await check(server, "soon.example");
  assert.equal(r.degraded, true, resultJson(r));
  const shown = /^registration expiring soon \((.+)\)$/.exec(r.notice ?? "");
  assert.ok(shown, r.notice);
  const leftMs = parseDuration(shown[1]!)! / 1e6;
  assert.ok(leftMs > 9 * DAY_MS && leftMs <= 10 * DAY_MS, shown[1]);
  assert.equal((await check(server, "soon.example", { expiry_threshold: "7d" })).healthy, true);
});

test("domain: an expired registration is down with how long ago", async () => {
  const r = await check(await rdapServer(expires), "lapsed.example");
  assert.equal(r.down, true);
  assert.match(r.times[0]!.error ?? "", /^registration expired 4[78]h\d+m[\d.]+s ago$/);
});

test("domain: unknown domains, replies without an expiration or not JSON are down", async () => {
  const server = await rdapServer(expires);
  assert.equal((await check(server, "nobody.example")).times[0]!.error, "RDAP: the registry does not know this domain (404)");
  assert.equal((await check(server, "quiet.example")).times[0]!.error, "RDAP: the reply has no expiration event");
  assert.equal((await check(server, "garbled.example")).times[0]!.error, "RDAP: the reply is not JSON");
  assert.equal((await check(server, "huge.example")).times[0]!.error, "RDAP: the reply is larger than 1048576 bytes");
});

test("domain: median above threshold_rtt is degraded", async () => {
  const r = await check(await rdapServer(expires), "example.com", { threshold_rtt: 1 });
  assert.equal(r.degraded, true);
  assert.equal(r.notice, "median round trip time exceeded threshold (1ns)");
});

test("domain: an RDAP server refusing or never answering is down", async () => {
  const port = await closedPort();
  const refused = await check(`http://127.0.0.1:${port}/`, "example.com");
  assert.equal(refused.times[0]!.error, "RDAP: request failed: connect: connection refused");
  const silent = await startSilentServer();
  const hung = await check(`http://${silent.address}/`, "example.com", { timeout: "300ms" });
  assert.equal(hung.down, true);
  assert.equal(hung.times[0]!.error, "timed out after 300ms");
});

test("domain: bad fields are config errors at their path", async () => {
  assert.deepEqual(await configProblems({
    type: "domain", endpoint_url: "https://example.com", rdap_url: "rdap.example", expiry_threshold: "a month",
  }), [
    { path: "checkers[0].endpoint_url", message: `expected a domain name like "example.com" (no scheme, port or path), got "https://example.com"` },
    { path: "checkers[0].rdap_url", message: `expected an absolute URL like "https://rdap.verisign.com/com/v1/", got "rdap.example"` },
    {
      path: "checkers[0].expiry_threshold",
      message: `expected a duration: integer nanoseconds (200ms = 200000000) or a string like "200ms", "10s", "14d", got "a month"`,
    },
  ]);
  assert.deepEqual(await configProblems({ type: "domain", endpoint_url: "192.0.2.1" }), [
    { path: "checkers[0].endpoint_url", message: `expected a domain name like "example.com" (no scheme, port or path), got "192.0.2.1"` },
  ]);
});
