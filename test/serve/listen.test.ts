import assert from "node:assert/strict";
import { test } from "node:test";
import { boundAddress, listenUrl, parseListen } from "../../lib/serve/listen.js";

test("--listen takes Go's address forms", () => {
  assert.deepEqual(parseListen(":3000"), { host: undefined, port: 3000 });
  assert.deepEqual(parseListen("3000"), { host: undefined, port: 3000 });
  assert.deepEqual(parseListen("127.0.0.1:8080"), { host: "127.0.0.1", port: 8080 });
  assert.deepEqual(parseListen("localhost:0"), { host: "localhost", port: 0 });
  assert.deepEqual(parseListen("[::1]:3000"), { host: "::1", port: 3000 });
  for (const bad of ["", "localhost", ":99999", "::1:3000", "http://x:1"]) {
    assert.throws(() => parseListen(bad), /invalid --listen address/, bad);
  }
});

test("the printed URL is one a browser on this machine can open", () => {
  assert.equal(listenUrl(undefined, 3000), "http://localhost:3000/");
  assert.equal(listenUrl("0.0.0.0", 3000), "http://localhost:3000/");
  assert.equal(listenUrl("::1", 3000), "http://[::1]:3000/");
  assert.equal(listenUrl("127.0.0.1", 80), "http://127.0.0.1:80/");
});

test("the bound address says when it is every interface", () => {
  assert.equal(boundAddress({ address: "::", family: "IPv6", port: 3000 }), "[::]:3000, every interface");
  assert.equal(boundAddress({ address: "0.0.0.0", family: "IPv4", port: 3000 }), "0.0.0.0:3000, every IPv4 interface");
  assert.equal(boundAddress({ address: "::1", family: "IPv6", port: 80 }), "[::1]:80");
  assert.equal(boundAddress({ address: "127.0.0.1", family: "IPv4", port: 80 }), "127.0.0.1:80");
});
