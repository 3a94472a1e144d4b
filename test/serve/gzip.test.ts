/**
 * `checkup serve` gzips text responses for clients that take it: the page's own files and the
 * JSON routes, each with its own ETag and `Vary: Accept-Encoding`, so no cache mixes them up.
 * Raw node:http requests, since fetch() would unzip behind the test's back.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { acceptsGzip, GZIP_MIN_BYTES } from "../../lib/serve/http.js";
import { PACKAGE_PAGE_DIR } from "../../lib/serve/static.js";
import { FsStorage } from "../../lib/storage/fs.js";
import type { Result } from "../../lib/types.js";
import { tmpDir } from "../helpers/tmp.js";
import { fakeChecker, serve } from "./fixtures.js";

interface Raw { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

const T = 1_718_000_000_123_456_789n;
const round = (i: number): Result[] => Array.from({ length: 20 }, (_, c) => ({
  title: `Service ${c}`, endpoint: `https://service-${c}.example.org/health`, timestamp: T + BigInt(i) * 600_000_000_000n,
  times: [{ rtt: 20_000_000 + c * 1000 }], healthy: true,
}));

const running = await (async () => {
  const storage = new FsStorage({ dir: await tmpDir(), url: "", checkExpiry: 0 });
  for (let i = 0; i < 3; i++) await storage.store(round(i), T + BigInt(i) * 600_000_000_000n);
  return serve({ checkers: [fakeChecker("Web")], reader: storage });
})();

test("Accept-Encoding: gzip named or by *, with a q above 0", () => {
  assert.equal(acceptsGzip("gzip, deflate, br"), true);
  assert.equal(acceptsGzip("br;q=1.0, GZIP;q=0.5"), true);
  assert.equal(acceptsGzip("*"), true);
  assert.equal(acceptsGzip("gzip;q=0"), false);
  assert.equal(acceptsGzip("gzip;q=0, *"), false, "a named q=0 wins over *");
  assert.equal(acceptsGzip("*;q=0"), false);
  assert.equal(acceptsGzip("deflate, br"), false);
  assert.equal(acceptsGzip("identity"), false);
  assert.equal(acceptsGzip(undefined), false);
});

test("the page's files go out gzipped to clients that take it, with their own ETag", async () => {
  const url = `${running.base}/js/data.js`;
  const file = await readFile(path.join(PACKAGE_PAGE_DIR, "js", "data.js"));
  assert.ok(file.length > GZIP_MIN_BYTES);
  const plain = await get(url);
  const zipped = await get(url, { "Accept-Encoding": "gzip, deflate" });
  assert.equal(plain.headers["content-encoding"], undefined);
  assert.deepEqual(plain.body, file);
  assert.equal(zipped.headers["content-encoding"], "gzip");
  assert.equal(zipped.headers["content-type"], "text/javascript; charset=utf-8");
  assert.equal(Number(zipped.headers["content-length"]), zipped.body.length);
  assert.ok(zipped.body.length < file.length / 2);
  assert.deepEqual(gunzipSync(zipped.body), file);
  assert.equal(plain.headers.vary, "Accept-Encoding");
  assert.equal(zipped.headers.vary, "Accept-Encoding");
  assert.notEqual(zipped.headers.etag, plain.headers.etag);
  // Each tag revalidates its own representation only.
  const same = await get(url, { "Accept-Encoding": "gzip", "If-None-Match": zipped.headers.etag! });
  assert.equal(same.status, 304);
  assert.equal(same.headers.vary, "Accept-Encoding");
  assert.equal((await get(url, { "If-None-Match": zipped.headers.etag! })).status, 200, "the gzip tag does not validate the plain bytes");
  assert.equal((await get(url, { "Accept-Encoding": "gzip", "If-None-Match": plain.headers.etag! })).status, 200);
  assert.equal((await get(url, { "If-None-Match": plain.headers.etag! })).status, 304);
});

test("JSON routes (/api/history, /index.json) are gzipped too; small bodies (index, badges) are not", async () => {
  const history = `${running.base}/api/history?from=0&to=${T + 3_600_000_000_000n}`;
  const plain = await get(history);
  const zipped = await get(history, { "Accept-Encoding": "gzip" });
  assert.equal(zipped.headers["content-encoding"], "gzip");
  assert.deepEqual(gunzipSync(zipped.body), plain.body);
  assert.equal((JSON.parse(plain.body.toString()) as { days: unknown[] }).days.length, 1);
  assert.notEqual(zipped.headers.etag, plain.headers.etag);
  assert.equal((await get(history, { "Accept-Encoding": "gzip", "If-None-Match": zipped.headers.etag! })).status, 304);
  const index = await get(`${running.base}/index.json`, { "Accept-Encoding": "gzip" });
  assert.ok(index.body.length < GZIP_MIN_BYTES);
  assert.equal(index.headers["content-encoding"], undefined, "too small to be worth it");
  assert.equal(index.headers.vary, "Accept-Encoding");
  const badge = await get(`${running.base}/badge/Web.svg`, { "Accept-Encoding": "gzip" });
  assert.equal(badge.headers["content-encoding"], undefined);
});
