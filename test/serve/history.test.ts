import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { XMLParser } from "fast-xml-parser";
import { nowUnixNanos } from "../../lib/nanos.js";
import type { History, RunsDay, HoursDay } from "../../lib/summary/format.js";
import { FsStorage } from "../../lib/storage/fs.js";
import type { Result, StorageReader } from "../../lib/types.js";
import { tmpDir } from "../helpers/tmp.js";
import { fakeChecker, serve } from "./fixtures.js";

const HOUR = 3_600_000_000_000n;
const now = nowUnixNanos();
const api = fakeChecker("API");
const result = (at: bigint, up: boolean): Result => ({
  title: "API", endpoint: api.endpoint, timestamp: at, times: [{ rtt: 5_000_000 }], ...(up ? { healthy: true } : { down: true }),
});

// Four rounds over the last four hours, one of them down; plain check files only.
const { base, reader, fetched } = await (async () => {
  const dir = await tmpDir();
  const storage = new FsStorage({ dir: path.join(dir, "checks"), url: "", checkExpiry: 0, summaries: false });
  for (const [i, up] of [true, false, true, true].entries()) {
    const at = now - BigInt(4 - i) * HOUR;
    await storage.store([result(at, up)], at);
  }
  const counted = { n: 0 };
  const countingReader: StorageReader = {
    index: () => storage.index(),
    fetch: (name) => (counted.n++, storage.fetch(name)),
  };
  const running = await serve({ checkers: [api, fakeChecker("Fresh")], reader: countingReader });
  return { base: running.base, reader: storage, fetched: counted };
})();

describe("/api/history", () => {
  test("runs of every stored round in [from, to], built from plain check files, in docs/summaries.md's shape", async () => {
    const res = await fetch(`${base}/api/history?from=${now - 5n * HOUR}&to=${now}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
    const body = await res.json() as History;
    assert.equal(body.v, 3);
    assert.equal(body.res, "runs");
    assert.equal(body.from, String(now - 5n * HOUR));
    const runs = (body.days as RunsDay[]).flatMap((d) => d.checks.filter((c) => c.endpoint === api.endpoint).map((c) => c.s)).join("");
    assert.equal(runs, "hxhh");
  });

  test("from/to select rounds by store time; hours roll them up", async () => {
    const body = await (await fetch(`${base}/api/history?from=${now - 2n * HOUR - 1n}&res=hours`)).json() as History;
    assert.equal(body.res, "hours");
    const checks = (body.days as HoursDay[]).flatMap((d) => d.checks);
    assert.equal(checks.reduce((sum, c) => sum + c.n.reduce((a, b) => a + b, 0), 0), 2, "only the last two rounds");
  });

  test("answers 304 to a page that already has this history, and re-reads no round it has read", async () => {
    const url = `${base}/api/history?from=${now - 5n * HOUR}&to=${now}`;
    const first = await fetch(url);
    await first.arrayBuffer();
    const before = fetched.n;
    const again = await fetch(url, { headers: { "If-None-Match": first.headers.get("etag")! } });
    assert.equal(again.status, 304);
    assert.equal(fetched.n, before, "rounds come from memory");
    assert.equal((await reader.index()).size, 4);
  });

  test("bad parameters are 400 with a reason", async () => {
    for (const [query, reason] of [["from=yesterday", /nanoseconds/], ["res=minutes", /res must be runs or hours/], [`from=${now}&to=1`, /from is after to/]] as const) {
      const res = await fetch(`${base}/api/history?${query}`);
      assert.equal(res.status, 400, query);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, reason);
    }
  });
});

describe("uptime badge", () => {
  const parse = (svg: string) => String((new XMLParser().parse(svg) as { svg: { title: string } }).svg.title);

  test("?uptime=7d shows the share of up runs over the window, floored to one decimal", async () => {
    const res = await fetch(`${base}/badge/API.svg?uptime=7d`);
    assert.equal(res.status, 200);
    assert.equal(parse(await res.text()), "API uptime: 75.0%");
    assert.equal(parse(await (await fetch(`${base}/badge/API.svg?uptime=3h&label=${encodeURIComponent("API (3h)")}`)).text()), "API (3h): 100.0%");
  });

  test("no stored runs, a bad window, an unknown check", async () => {
    assert.equal(parse(await (await fetch(`${base}/badge/Fresh.svg?uptime=1d`)).text()), "Fresh uptime: no data");
    const bad = await fetch(`${base}/badge/API.svg?uptime=forever`);
    assert.equal(bad.status, 400);
    assert.equal(parse(await bad.text()), "API uptime: bad window");
    assert.equal((await fetch(`${base}/badge/Nope.svg?uptime=1d`)).status, 404);
  });
});

describe("/api/history over a store with summaries", () => {
  test("whole days come from the summaries: many rounds, none fetched, however many requests", async () => {
    const storage = new FsStorage({ dir: path.join(await tmpDir(), "checks"), url: "", checkExpiry: 0 });
    const rounds = 60;
    for (let i = 0; i < rounds; i++) {
      const at = now - BigInt(rounds - i) * HOUR; // two and a half days, hourly
      await storage.store([result(at, i % 7 !== 3)], at);
    }
    const counted = { n: 0 };
    const reader: StorageReader = { index: () => storage.index(), fetch: (name) => (counted.n++, storage.fetch(name)) };
    const running = await serve({ checkers: [api], reader, summaries: storage.summaries() });
    for (let i = 0; i < 3; i++) {
      const body = await (await fetch(`${running.base}/api/history?from=0`)).json() as History;
      assert.equal((body.days as RunsDay[]).reduce((n, d) => n + d.files.length, 0), rounds);
    }
    assert.equal(counted.n, 0, "no round fetched");
  });
});
