import assert from "node:assert/strict";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, test } from "node:test";
import { parseResults } from "../../lib/result.js";
import { CSP } from "../../lib/serve/http.js";
import { FsStorage } from "../../lib/storage/fs.js";
import type { Result } from "../../lib/types.js";
import { tmpDir } from "../helpers/tmp.js";
import http from "node:http";
import { fakeChecker, serve } from "./fixtures.js";

const T1 = 1_718_000_000_123_456_789n;
const T2 = 1_718_000_600_987_654_321n;
const round = (at: bigint, down: boolean): Result[] => [
  { title: "API", endpoint: "https://api.example.org/health", timestamp: at, times: [{ rtt: 81_234_567 }], ...(down ? { down: true } : { healthy: true }) },
  { title: "DB", endpoint: "db.example.org:5432", timestamp: at, times: [{ rtt: 1_500 }], healthy: true, message: "<b>maintenance</b> at 10:00" },
];

// Set up at the top level: after() hooks registered here run when the whole file is done.
const { base, stored } = await (async () => {
  const dir = await tmpDir();
  const storage = new FsStorage({ dir: path.join(dir, "checks"), url: "", checkExpiry: 0 });
  const names = [await storage.store(round(T1, false), T1), await storage.store(round(T2, true), T2)];
  const page = path.join(dir, "page");
  await mkdir(path.join(page, "css"), { recursive: true });
  await mkdir(path.join(page, "js"), { recursive: true });
  await writeFile(path.join(page, "index.html"), "<!doctype html><title>status</title>");
  await writeFile(path.join(page, "css", "style.css"), "body{}");
  await writeFile(path.join(page, "js", "main.js"), "export {};");
  await writeFile(path.join(page, ".env"), "SECRET=1");
  const outside = path.join(dir, "outside.txt");
  await writeFile(outside, "not for the web");
  await symlink(outside, path.join(page, "escape.txt"));
  const running = await serve({
    checkers: [fakeChecker("Web"), fakeChecker("Queue", "degraded"), fakeChecker("Mail", "down")],
    reader: storage,
    pageDir: page,
  });
  return { base: running.base, stored: names };
})();

describe("checkup's routes", () => {
  test("/index.json lists the stored rounds with exact ns, as JSON", async () => {
    const res = await fetch(`${base}/index.json`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
    const text = await res.text();
    for (const name of stored) assert.match(text, new RegExp(`"${name}":\\d{19}`));
  });

  test("/<name>-check.json answers the stored round byte for byte, cacheable and revalidated by ETag", async () => {
    const res = await fetch(`${base}/${stored[1]}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
    assert.match(res.headers.get("cache-control") ?? "", /immutable/);
    const text = await res.text();
    assert.ok(text.includes(`"timestamp":${T2}`), text);
    assert.deepEqual(parseResults(text), round(T2, true));
    const again = await fetch(`${base}/${stored[1]}`, { headers: { "If-None-Match": res.headers.get("etag")! } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), "");
  });

  test("anything else is a 404 in JSON, not checkup's 200 with an error object", async () => {
    for (const p of ["/123-check.json", "/nope", "/api/unknown"]) {
      const res = await fetch(`${base}${p}`);
      assert.equal(res.status, 404, p);
      assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
      const body = await res.json() as { error: { status: number; message: string } };
      assert.equal(body.error.status, 404);
    }
  });

  test("only GET and HEAD; HEAD has the headers and no body", async () => {
    const post = await fetch(`${base}/index.json`, { method: "POST", body: "{}" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    const head = await fetch(`${base}/index.json`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.ok(Number(head.headers.get("content-length")) > 0);
    assert.equal(await head.text(), "");
  });
});

describe("/api/status", () => {
  test("the newest stored result of every check, with the overall status and an ETag", async () => {
    const res = await fetch(`${base}/api/status`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "no-cache");
    const text = await res.text();
    const body = JSON.parse(text) as { status: string; last_round: string; checks: { title: string; status: string; median_rtt: number }[] };
    assert.equal(body.status, "down");
    assert.equal(body.last_round, stored[1]);
    assert.deepEqual(body.checks.map((c) => [c.title, c.status, c.median_rtt]), [["API", "down", 81_234_567], ["DB", "healthy", 1_500]]);
    assert.ok(text.includes(`"timestamp":${T2}`), "timestamps keep all 19 digits");
    const again = await fetch(`${base}/api/status`, { headers: { "If-None-Match": res.headers.get("etag")! } });
    assert.equal(again.status, 304);
  });
});

describe("live checks", () => {
  test("/api/checks lists every check with its URLs", async () => {
    const res = await fetch(`${base}/api/checks`);
    const body = await res.json() as { checks: { name: string; url: string; badge: string }[] };
    assert.deepEqual(body.checks.map((c) => [c.name, c.url, c.badge]), [
      ["Web", "/api/checks/Web", "/badge/Web.svg"],
      ["Queue", "/api/checks/Queue", "/badge/Queue.svg"],
      ["Mail", "/api/checks/Mail", "/badge/Mail.svg"],
    ]);
    assert.equal(res.headers.get("access-control-allow-origin"), null, "no other site's script may read it unless --cors-origin says so");
    assert.equal(res.headers.get("cross-origin-resource-policy"), "cross-origin");
  });

  test("200 when healthy or degraded, 503 when down, 404 for an unknown title; titles match case-insensitively", async () => {
    for (const [name, code, status] of [["Web", 200, "healthy"], ["queue", 200, "degraded"], ["MAIL", 503, "down"]] as const) {
      const res = await fetch(`${base}/api/checks/${name}`);
      assert.equal(res.status, code, name);
      assert.equal(res.headers.get("cache-control"), "no-store");
      const body = await res.json() as { status: string; success: boolean; result: Result };
      assert.equal(body.status, status);
      assert.equal(body.success, code === 200);
      assert.equal(typeof body.result.timestamp, "number");
    }
    const missing = await fetch(`${base}/api/checks/${encodeURIComponent("No such")}`);
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { error: { message: string } }).error.message, /no check named "No such"/);
  });
});

describe("status page files", () => {
  test("files from the page folder with their Content-Type and an ETag", async () => {
    for (const [p, type] of [["/", "text/html; charset=utf-8"], ["/index.html", "text/html; charset=utf-8"],
      ["/css/style.css", "text/css; charset=utf-8"], ["/js/main.js", "text/javascript; charset=utf-8"]]) {
      const res = await fetch(`${base}${p}`);
      assert.equal(res.status, 200, p);
      assert.equal(res.headers.get("content-type"), type, p);
      const again = await fetch(`${base}${p}`, { headers: { "If-None-Match": res.headers.get("etag")! } });
      assert.equal(again.status, 304, p);
    }
  });

  test("config.js is generated to read this server's API", async () => {
    const res = await fetch(`${base}/js/config.js`);
    assert.equal(res.headers.get("content-type"), "text/javascript; charset=utf-8");
    const text = await res.text();
    assert.match(text, /"type": "api"/);
    assert.match(text, /"url": "\/api\/"/);
  });

  test("no way out of the folder: dot-dot, encoded slashes, dotfiles, symlinks", async () => {
    const attempts = ["/../outside.txt", "/%2e%2e/outside.txt", "/css/..%2f..%2foutside.txt", "/css%2f..%2f..%2foutside.txt",
      "/.env", "/escape.txt", "/%00", "/css/%5c..%5c..%5coutside.txt", "/css"];
    for (const p of attempts) {
      const res = await rawGet(base, p); // fetch() would normalise the dot segments away
      assert.equal(res.status, 404, p);
      assert.ok(!res.body.includes("not for the web") && !res.body.includes("SECRET"), p);
    }
  });
});

describe("request targets", () => {
  test("a path starting with // is a path, not a host; absolute-form targets are refused", async () => {
    assert.equal((await rawGet(base, "//index.json")).status, 404);
    const absolute = await rawGet(base, "http://elsewhere.example/api/checks");
    assert.equal(absolute.status, 400);
    assert.match(absolute.body, /request target must be a path/);
  });
});

describe("headers and Dockerflow endpoints", () => {
  test("every response carries the security headers and the strict CSP", async () => {
    for (const p of ["/", "/api/checks", "/nope", "/metrics", "/badge/Web.svg"]) {
      const res = await fetch(`${base}${p}`);
      await res.arrayBuffer();
      assert.equal(res.headers.get("content-security-policy"), CSP, p);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", p);
      assert.equal(res.headers.get("x-frame-options"), "DENY", p);
      assert.equal(res.headers.get("referrer-policy"), "no-referrer", p);
    }
    assert.match(CSP, /default-src 'none'/);
    assert.doesNotMatch(CSP, /unsafe-inline|unsafe-eval|\*/);
  });

  test("/__heartbeat__ reports the storage, /__lbheartbeat__ and /__version__ answer", async () => {
    const hb = await fetch(`${base}/__heartbeat__`);
    assert.equal(hb.status, 200);
    assert.deepEqual(await hb.json(), { status: "ok", storage: "ok", checks: 3 });
    assert.equal((await fetch(`${base}/__lbheartbeat__`)).status, 200);
    const version = await (await fetch(`${base}/__version__`)).json() as { name: string; version: string };
    assert.equal(version.name, "checkup");
    assert.match(version.version, /^\d+\.\d+\.\d+/);
  });
});

describe("without a readable storage", () => {
  test("live checks and health still work; stored routes explain why they are missing", async () => {
    const running = await serve({ checkers: [fakeChecker("Web")] });
    assert.equal((await fetch(`${running.base}/api/checks/Web`)).status, 200);
    assert.deepEqual(await (await fetch(`${running.base}/__heartbeat__`)).json(), { status: "ok", storage: "none", checks: 1 });
    const res = await fetch(`${running.base}/index.json`);
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /no readable storage configured/);
  });

  test("a storage that fails to read makes the heartbeat 503 and the stored routes 503", async () => {
    const broken = { index: () => Promise.reject(new Error("disk on fire")), fetch: () => Promise.reject(new Error("disk on fire")) };
    const running = await serve({ checkers: [], reader: broken });
    const hb = await fetch(`${running.base}/__heartbeat__`);
    assert.equal(hb.status, 503);
    assert.deepEqual(await hb.json(), { status: "error", storage: "error", checks: 0 }, "why is for the log, not for anyone");
    assert.ok(running.warnings.includes("heartbeat: storage fails: disk on fire"), running.warnings.join("\n"));
    const res = await fetch(`${running.base}/api/status`);
    assert.equal(res.status, 503);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /storage unavailable: disk on fire/);
  });
});

/** A GET with the path sent exactly as written. */
function rawGet(base: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    http.get({ hostname, port, path: rawPath, agent: false }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    }).on("error", reject);
  });
}
