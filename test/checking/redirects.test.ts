/** follow_redirects on real loopback servers: Go's hop limit, methods, headers, and the final answer judged. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createChecker } from "../../lib/checking/create.js";
import type { Result } from "../../lib/types.js";
import { startHttpServer, type TestServer } from "../helpers/http-server.js";

async function check(config: Record<string, unknown>): Promise<Result> {
  return (await createChecker({ type: "http", ...config })).check();
}

/** `/to/<status>?<location>` redirects there with that status; `/status/<n>` answers n; anything else 200 "final". */
function redirectingServer(): Promise<TestServer> {
  return startHttpServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const to = /^\/to\/(\d+)$/.exec(url.pathname);
    if (to) {
      res.writeHead(Number(to[1]), { Location: decodeURIComponent(url.search.slice(1)) });
      return res.end();
    }
    if (url.pathname === "/loop") {
      res.writeHead(302, { Location: "/loop" });
      return res.end();
    }
    const status = /^\/status\/(\d+)$/.exec(url.pathname);
    res.writeHead(status ? Number(status[1]) : 200);
    res.end("final page");
  });
}

test("follow_redirects: the final URL's answer is judged, status and body", async () => {
  const server = await redirectingServer();
  const healthy = await check({ endpoint_url: `${server.url}/to/302?/ok`, follow_redirects: true, must_contain: "final" });
  assert.equal(healthy.healthy, true, healthy.times[0]!.error);
  assert.equal(healthy.endpoint, `${server.url}/to/302?/ok`, "the result keeps the configured URL");
  const down = await check({ endpoint_url: `${server.url}/to/301?/status/503`, follow_redirects: true });
  assert.equal(down.times[0]!.error, "response status 503 Service Unavailable");
  assert.deepEqual(server.requests.map((q) => q.url), ["/to/302?/ok", "/ok", "/to/301?/status/503", "/status/503"]);
});

test("follow_redirects: off by default, as in checkup: the 3xx is the answer", async () => {
  const server = await redirectingServer();
  const r = await check({ endpoint_url: `${server.url}/to/302?/ok` });
  assert.equal(r.times[0]!.error, "response status 302 Found");
  assert.deepEqual(server.requests.map((q) => q.url), ["/to/302?/ok"]);
});

test("follow_redirects: stops after 10 redirects, as Go's client", async () => {
  const server = await redirectingServer();
  const r = await check({ endpoint_url: `${server.url}/loop`, follow_redirects: true });
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, `Get "${server.url}/loop": stopped after 10 redirects`);
  assert.equal(server.requests.length, 11, "the first request and 10 redirects");
});

test("follow_redirects: 302 turns a POST into a body-less GET; 307 repeats it with the body", async () => {
  const server = await redirectingServer();
  const post = { method: "POST", body: '{"ping":1}', headers: { "Content-Type": ["application/json"] }, follow_redirects: true };
  assert.equal((await check({ endpoint_url: `${server.url}/to/302?/a`, ...post })).healthy, true);
  assert.equal((await check({ endpoint_url: `${server.url}/to/307?/b`, ...post })).healthy, true);
  const seen = server.requests.map((q) => [q.url, q.method, q.body, q.headers["content-type"]]);
  assert.deepEqual(seen, [
    ["/to/302?/a", "POST", '{"ping":1}', "application/json"], ["/a", "GET", "", undefined],
    ["/to/307?/b", "POST", '{"ping":1}', "application/json"], ["/b", "POST", '{"ping":1}', "application/json"],
  ]);
});

test("follow_redirects: Authorization goes to the same host only; no Location means no redirect", async () => {
  const [first, second] = await Promise.all([redirectingServer(), redirectingServer()]);
  const headers = { Authorization: ["Bearer t"], "X-Probe": ["1"] };
  await check({ endpoint_url: `${first.url}/to/302?/same`, headers, follow_redirects: true });
  await check({ endpoint_url: `${first.url}/to/302?${encodeURIComponent(`http://localhost:${second.port}/other`)}`, headers, follow_redirects: true });
  assert.equal(first.requests[1]!.headers.authorization, "Bearer t");
  assert.equal(second.requests[0]!.headers.authorization, undefined, "127.0.0.1 → localhost is another host");
  assert.equal(second.requests[0]!.headers["x-probe"], "1");
  const r = await check({ endpoint_url: `${first.url}/to/302?`, follow_redirects: true });
  assert.equal(r.times[0]!.error, "response status 302 Found");
});

test("follow_redirects: a Location that cannot be followed is down with the reason", async () => {
  const server = await redirectingServer();
  const r = await check({ endpoint_url: `${server.url}/to/302?ftp://example.com/x`, follow_redirects: true });
  assert.equal(r.times[0]!.error, `Get "${server.url}/to/302?ftp://example.com/x": unsupported protocol scheme "ftp"`);
});
