/** `checkup serve`'s /status.json and /feed.xml: the same documents the store writes, also for stores without summaries. */
import assert from "node:assert/strict";
import { cp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { parseFeed } from "@rowanmanning/feed-parser";
import { FsStorage } from "../../lib/storage/fs.js";
import { writeOutageStore } from "../helpers/outage-history.js";
import { tmpDir } from "../helpers/tmp.js";
import { serve } from "./fixtures.js";

const now = () => Date.parse("2026-11-03T01:00:00Z");
const store = await writeOutageStore(await tmpDir());
const stored = (name: string) => readFile(path.join(store.options.dir, "summaries", name), "utf8");

test("serve: /status.json and /feed.xml answer what the store wrote beside its summaries, with ETags", async () => {
  const { base } = await serve({ checkers: [], reader: store, summaries: store.summaries(), now, corsOrigins: ["*"] });
  const status = await fetch(`${base}/status.json`);
  assert.equal(status.status, 200);
  assert.equal(status.headers.get("access-control-allow-origin"), "*");
  assert.equal(await status.text(), await stored("status.json"));
  const feed = await fetch(`${base}/feed.xml`);
  assert.equal(feed.headers.get("content-type"), "application/atom+xml; charset=utf-8");
  const xml = await feed.text();
  assert.equal(xml, await stored("feed.xml"));
  assert.equal(parseFeed(xml).items.length, 6);
  const again = await fetch(`${base}/feed.xml`, { headers: { "if-none-match": feed.headers.get("etag")! } });
  assert.equal(again.status, 304);
});

test("serve: a store without summaries (as the Go checkup writes it) gets the same documents from its rounds", async () => {
  const dir = await tmpDir();
  await cp(store.options.dir, dir, { recursive: true });
  await rm(path.join(dir, "summaries"), { recursive: true });
  const { base } = await serve({ checkers: [], reader: new FsStorage({ dir, url: "", checkExpiry: 0, summaries: false }), now });
  assert.equal(await (await fetch(`${base}/status.json`)).text(), await stored("status.json"));
  assert.equal(await (await fetch(`${base}/feed.xml`)).text(), await stored("feed.xml"));
});

test("serve: without stored rounds both answer valid, empty documents", async () => {
  const { base } = await serve({ checkers: [], reader: new FsStorage({ dir: await tmpDir(), url: "", checkExpiry: 0 }), now });
  assert.deepEqual(await (await fetch(`${base}/status.json`)).json(), {
    version: 1, updated_at: null, status: { indicator: "none", description: "All Systems Operational" }, checks: [],
  });
  const feed = parseFeed(await (await fetch(`${base}/feed.xml`)).text());
  assert.deepEqual([feed.items.length, feed.updated?.toISOString()], [0, "2026-11-03T01:00:00.000Z"]);
});
