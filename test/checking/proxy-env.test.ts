/** Go's ProxyFromEnvironment rules, as a table: which URL goes through which proxy. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { noProxyMatcher, parseProxyUrl, proxyFromEnv } from "../../lib/checking/proxy-env.js";

test("proxy-env: the scheme picks the variable; upper case first; loopback and localhost stay direct", () => {
  const choose = proxyFromEnv({ HTTP_PROXY: "http://h:1", http_proxy: "http://lower:1", https_proxy: "s:2" });
  const via = (u: string) => choose(new URL(u))?.href;
  assert.equal(via("http://example.com/"), "http://h:1/");
  assert.equal(via("https://example.com/"), "http://s:2/", "a value without a scheme is http://");
  for (const local of ["http://localhost:8080/", "http://127.0.0.1/", "http://127.8.9.10/", "http://[::1]:80/"]) assert.equal(via(local), undefined, local);
  assert.equal(via("http://[2001:db8::1]/"), "http://h:1/");
  assert.equal(proxyFromEnv({})(new URL("http://example.com/")), undefined);
  assert.equal(parseProxyUrl(""), undefined);
});

test("proxy-env: NO_PROXY entries: names, dotted and starred suffixes, ports, IPs, CIDRs, *", () => {
  const exempt = noProxyMatcher(" Example.com, .sub.org, *.star.net, api.io:8443, 10.1.2.3, 192.168.0.0/16, [2001:db8::1]:443, fd00::/8 ");
  const cases: [string, string, boolean][] = [
    ["example.com", "80", true], ["www.example.com", "80", true], ["badexample.com", "80", false],
    ["sub.org", "80", false], ["a.sub.org", "80", true], ["star.net", "80", false], ["x.star.net", "80", true],
    ["api.io", "8443", true], ["api.io", "443", false], ["10.1.2.3", "80", true], ["10.1.2.4", "80", false],
    ["192.168.44.1", "80", true], ["2001:db8::1", "443", true], ["2001:db8::1", "80", false], ["fd12::5", "80", true],
  ];
  for (const [host, port, expected] of cases) assert.equal(exempt(host, port), expected, `${host}:${port}`);
  assert.equal(noProxyMatcher("*")("anything", "1"), true);
  assert.equal(noProxyMatcher("")("example.com", "80"), false);
});
