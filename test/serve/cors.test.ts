/** `serve --cors-origin`: which other sites' scripts may read the API and live checks (poucave's CORS_ORIGIN). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCorsOrigins } from "../../lib/serve/http.js";
import { runCli, startServe } from "../helpers/cli.js";
import { writeConfig } from "../helpers/tmp.js";
import { fakeChecker, serve } from "./fixtures.js";

const PAGES = "https://octo.github.io";

test("cors: off by default; a named origin is answered with itself, others get nothing, and the answer varies by Origin", async () => {
  const off = await serve({ checkers: [fakeChecker("Web")], listen: "127.0.0.1:0" });
  const plain = await fetch(`${off.base}/api/checks`, { headers: { Origin: PAGES } });
  assert.equal(plain.headers.get("access-control-allow-origin"), null);
  await off.close();

  const on = await serve({ checkers: [fakeChecker("Web")], listen: "127.0.0.1:0", corsOrigins: [PAGES] });
  try {
    for (const path of ["/api/checks", "/api/checks/Web", "/api/status", "/metrics"]) {
      const res = await fetch(`${on.base}${path}`, { headers: { Origin: PAGES } });
      assert.equal(res.headers.get("access-control-allow-origin"), PAGES, path);
      assert.equal(res.headers.get("access-control-expose-headers"), "ETag", path);
      assert.match(res.headers.get("vary") ?? "", /\bOrigin\b/, path);
    }
    const other = await fetch(`${on.base}/api/checks`, { headers: { Origin: "https://evil.example" } });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    const page = await fetch(`${on.base}/`, { headers: { Origin: PAGES } });
    assert.equal(page.headers.get("access-control-allow-origin"), null, "the page itself stays same-origin");
  } finally {
    await on.close();
  }
});

test("cors: * lets any origin read; bad origins are usage errors", async () => {
  const any = await serve({ checkers: [fakeChecker("Web")], listen: "127.0.0.1:0", corsOrigins: ["*"] });
  try {
    const res = await fetch(`${any.base}/api/checks`, { headers: { Origin: "https://anyone.example" } });
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
  } finally {
    await any.close();
  }
  assert.deepEqual(parseCorsOrigins(["https://a.example/", "http://127.0.0.1:8080", "*"]), ["https://a.example", "http://127.0.0.1:8080", "*"]);
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_url: "http://127.0.0.1:1/" }] });
  const bad = await runCli(["-c", config, "serve", "--listen", "127.0.0.1:0", "--cors-origin", "https://a.example/status"]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'checkup: invalid --cors-origin "https://a.example/status": use an origin like https://status.example.com (no path), or *\n');
});

test("cors: the CLI flag reaches the server", async () => {
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: "http://127.0.0.1:1/" }] });
  const served = await startServe(["-c", config, "serve", "--listen", "127.0.0.1:0", "--cors-origin", PAGES]);
  try {
    const res = await fetch(`${served.url}api/checks`, { headers: { Origin: PAGES } });
    assert.equal(res.headers.get("access-control-allow-origin"), PAGES);
  } finally {
    served.child.kill("SIGTERM");
    await served.exited;
  }
});
