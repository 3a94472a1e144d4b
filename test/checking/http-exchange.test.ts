/**
 * The http checker through proxies: HTTP_PROXY / HTTPS_PROXY / NO_PROXY as Go's client read them
 * (localhost and loopback never proxied, so targets are `*.checkup.test` names only the test
 * proxy can reach), a per-checker `proxy` that beats the environment, and proxy failures.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createChecker } from "../../lib/checking/create.js";
import { resultsJson } from "../../lib/result.js";
import type { Result } from "../../lib/types.js";
import { testCerts } from "../helpers/certs.js";
import { closedPort, startHttpServer } from "../helpers/http-server.js";
import { within } from "../helpers/hostile.js";
import { startProxy } from "../helpers/proxy.js";
import { startHttpsServer } from "../helpers/tls-server.js";

const PROXY_VARS = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "REQUEST_METHOD"];

/** Runs one check of `config` with exactly `env` as the proxy environment (read when the checker is made). */
async function checkWithEnv(env: Record<string, string>, config: Record<string, unknown>): Promise<Result> {
  const saved = PROXY_VARS.map((name) => [name, process.env[name]] as const);
  for (const name of PROXY_VARS) delete process.env[name];
  Object.assign(process.env, env);
  let checker;
  try {
    checker = await createChecker({ type: "http", ...config });
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  // The environment is back as it was: the checker keeps what it read at load time, as Go did.
  return checker.check();
}

const okServer = () => startHttpServer((_req, res) => res.end("ok"));

test("proxy: HTTP_PROXY carries an http check as an absolute-URI request", async () => {
  const [server, proxy] = await Promise.all([okServer(), startProxy()]);
  const target = `http://app.checkup.test:${server.port}/health?x=1`;
  const r = await checkWithEnv({ HTTP_PROXY: proxy.url }, { endpoint_url: target });
  assert.equal(r.healthy, true, r.times[0]!.error);
  assert.deepEqual(proxy.asked, [`GET ${target}`]);
  assert.equal(server.requests[0]!.headers.host, `app.checkup.test:${server.port}`);
  assert.equal(server.requests[0]!.url, "/health?x=1");
  await within(proxy.drained(), 2_000, "proxy sees the socket closed");
});

test("proxy: HTTPS_PROXY tunnels an https check with CONNECT, verified end to end", async () => {
  const certs = testCerts();
  const [server, proxy] = await Promise.all([startHttpsServer(certs.valid, (_req, res) => res.end("ok")), startProxy()]);
  const target = `https://app.checkup.test:${server.port}/`;
  const r = await checkWithEnv({ HTTPS_PROXY: proxy.url, HTTP_PROXY: "http://127.0.0.1:1" }, { endpoint_url: target, tls_ca_file: certs.ca.certFile });
  assert.equal(r.healthy, true, r.times[0]!.error);
  assert.deepEqual(proxy.asked, [`CONNECT app.checkup.test:${server.port}`]);
  await within(proxy.drained(), 2_000, "proxy sees the tunnel closed");
  await within(server.drained(), 2_000, "target sees the socket closed");
  // Through the tunnel the certificate is still checked against the target's name.
  const untrusted = await checkWithEnv({ HTTPS_PROXY: proxy.url }, { endpoint_url: target });
  assert.equal(untrusted.times[0]!.error, `Get "${target}": tls: failed to verify certificate: x509: certificate signed by unknown authority`);
});

test("proxy: lower-case names work, and localhost and loopback addresses are never proxied, as in Go", async () => {
  const [server, proxy] = await Promise.all([okServer(), startProxy()]);
  for (const host of ["127.0.0.1", "localhost"]) {
    const r = await checkWithEnv({ http_proxy: proxy.url }, { endpoint_url: `http://${host}:${server.port}/` });
    assert.equal(r.healthy, true, r.times[0]!.error);
  }
  assert.deepEqual(proxy.asked, []);
  assert.equal((await checkWithEnv({ http_proxy: proxy.url }, { endpoint_url: `http://app.checkup.test:${server.port}/` })).healthy, true);
  assert.equal(proxy.asked.length, 1);
});

test("proxy: NO_PROXY exempts hosts, subdomains and ports as Go reads it", async () => {
  const [server, proxy] = await Promise.all([okServer(), startProxy()]);
  const noProxy = `skip.checkup.test, .inner.checkup.test, app.checkup.test:1, 10.0.0.0/8`;
  const cases: [string, boolean][] = [
    ["skip.checkup.test", false], ["deep.skip.checkup.test", false], ["x.inner.checkup.test", false],
    ["inner.checkup.test", true], ["app.checkup.test", true], ["other.checkup.test", true],
  ];
  for (const [host, proxied] of cases) {
    const before = proxy.asked.length;
    const r = await checkWithEnv({ HTTP_PROXY: proxy.url, NO_PROXY: noProxy }, { endpoint_url: `http://${host}:${server.port}/` });
    assert.equal(proxy.asked.length - before, proxied ? 1 : 0, host);
    // Unproxied, a .test name does not resolve: the direct attempt is what fails.
    if (proxied) assert.equal(r.healthy, true, `${host}: ${r.times[0]!.error}`);
    else assert.equal(r.times[0]!.error, `Get "http://${host}:${server.port}/": dial tcp: lookup ${host}: no such host`);
  }
  await checkWithEnv({ HTTP_PROXY: proxy.url, NO_PROXY: "*" }, { endpoint_url: `http://app.checkup.test:${server.port}/` });
  assert.equal(proxy.asked.length, 3, "NO_PROXY=* exempts everything");
});

test("proxy: a checker's own proxy beats the environment, for every host", async () => {
  const [server, envProxy, own] = await Promise.all([okServer(), startProxy(), startProxy()]);
  const env = { HTTP_PROXY: envProxy.url, NO_PROXY: "app.checkup.test" };
  const r = await checkWithEnv(env, { endpoint_url: `http://app.checkup.test:${server.port}/`, proxy: own.url });
  assert.equal(r.healthy, true, r.times[0]!.error);
  const local = await checkWithEnv(env, { endpoint_url: `${server.url}/`, proxy: own.url });
  assert.equal(local.healthy, true, local.times[0]!.error);
  assert.deepEqual(own.asked, [`GET http://app.checkup.test:${server.port}/`, `GET ${server.url}/`]);
  assert.deepEqual(envProxy.asked, []);
});

test("proxy: credentials in the proxy URL go in Proxy-Authorization and never into a result", async () => {
  const [server, proxy] = await Promise.all([okServer(), startProxy()]);
  const r = await checkWithEnv({}, { endpoint_url: server.url, proxy: `http://probe:s%3Acret@127.0.0.1:${proxy.port}` });
  assert.equal(r.healthy, true, r.times[0]!.error);
  assert.equal(proxy.headers[0]!["proxy-authorization"], `Basic ${Buffer.from("probe:s:cret").toString("base64")}`);
  const port = await closedPort();
  const refused = await checkWithEnv({}, { endpoint_url: server.url, proxy: `http://probe:secret@127.0.0.1:${port}` });
  assert.equal(refused.times[0]!.error, `Get "${server.url}": proxyconnect tcp: dial tcp 127.0.0.1:${port}: connect: connection refused`);
  assert.doesNotMatch(resultsJson([refused]), /secret/);
});

test("proxy: a CONNECT the proxy refuses, and an unsupported proxy scheme, are down with the reason", async () => {
  const proxy = await startProxy({ refuseConnect: 403 });
  const target = "https://app.checkup.test:8443/";
  const r = await checkWithEnv({ HTTPS_PROXY: proxy.url }, { endpoint_url: target });
  assert.equal(r.times[0]!.error, `Get "${target}": proxyconnect: the proxy answered CONNECT with 403 Forbidden`);
  await within(proxy.drained(), 2_000, "proxy sees the socket closed");
  const socks = await checkWithEnv({ HTTPS_PROXY: "socks5://127.0.0.1:1080" }, { endpoint_url: target });
  assert.equal(socks.times[0]!.error, `Get "${target}": proxy scheme "socks5" is not supported: use an http:// or https:// proxy`);
});

test("proxy: HTTP_PROXY is ignored in a CGI environment (REQUEST_METHOD set), as Go does", async () => {
  const [server, proxy] = await Promise.all([okServer(), startProxy()]);
  const r = await checkWithEnv({ HTTP_PROXY: proxy.url, REQUEST_METHOD: "GET" }, { endpoint_url: `http://app.checkup.test:${server.port}/` });
  assert.deepEqual(proxy.asked, []);
  assert.match(r.times[0]!.error ?? "", /no such host$/);
});
