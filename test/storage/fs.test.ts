import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { FsStorage } from "../../lib/storage/fs.js";
import { tmpDir } from "../helpers/tmp.js";
import { storageContract } from "./contract.js";
import { pingContract } from "./ping-contract.js";

pingContract("fs", {
  create: async () => {
    const options = { dir: await tmpDir(), url: "", checkExpiry: 0 };
    return { storage: new FsStorage(options), again: async () => new FsStorage(options) };
  },
});

test("fs: a heartbeat's pings are one small file named by the key, beside the rounds, never in index.json", async () => {
  const dir = await tmpDir();
  const fs = new FsStorage({ dir, url: "", checkExpiry: 60_000_000_000 });
  const key = "b".repeat(64);
  await fs.recordPing(key, { at: 1718000000987654321n, status: 0, message: "ok" });
  assert.deepEqual(await readdir(path.join(dir, "heartbeats")), [`${key}.json`], "no temp file left");
  assert.equal(await readFile(path.join(dir, "heartbeats", `${key}.json`), "utf8"), '{"at":1718000000987654321,"status":0,"message":"ok"}\n');
  assert.deepEqual((await fs.maintain(1818000000000000000n)).removed, []);
  assert.deepEqual(await fs.index(), new Map());
  await assert.rejects(fs.lastPing("../index"), /invalid heartbeat key/);
});

const round = (title: string) => [{ title, timestamp: 1718000000123456789n, times: [{ rtt: 1 }], healthy: true }];

test("fs: stores <ns>-check.json plus index.json, as checkup does", async () => {
  const dir = await tmpDir();
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  const name = await fs.store(round("a"), 1718000000987654321n);
  assert.equal(name, "1718000000987654321-check.json");
  assert.equal(await readFile(path.join(dir, name), "utf8"),
    '[{"title":"a","timestamp":1718000000123456789,"times":[{"rtt":1}],"healthy":true}]\n');
  const index = await fs.index();
  assert.deepEqual([...index.keys()], [name]);
  assert.ok(index.get(name)! >= 1718000000987654321n);
  assert.deepEqual(await fs.fetch(name), round("a"));
  assert.deepEqual((await readdir(dir)).sort(), [name, "index.json", "summaries"]);
});

test("fs: rewriting index.json keeps other writers' digits exactly", async () => {
  const dir = await tmpDir();
  await writeFile(path.join(dir, "index.json"), '{"1533485310451449272-check.json":1533485310452963611}\n');
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  await fs.store(round("a"));
  const text = await readFile(path.join(dir, "index.json"), "utf8");
  assert.match(text, /"1533485310451449272-check.json":1533485310452963611[,}]/);
});

test("fs: maintain removes only indexed files older than check_expiry", async () => {
  const dir = await tmpDir();
  const fs = new FsStorage({ dir, url: "", checkExpiry: 1_000_000_000 });
  const now = 1_800_000_000_000_000_000n;
  await writeFile(path.join(dir, "old-check.json"), "[]");
  await writeFile(path.join(dir, "stray-check.json"), "[]");
  await writeFile(path.join(dir, "new-check.json"), "[]");
  await writeFile(path.join(dir, "index.json"),
    `{"old-check.json":${now - 5_000_000_000n},"new-check.json":${now - 10n}}`);
  const { removed } = await fs.maintain(now);
  assert.deepEqual(removed, ["old-check.json"]);
  assert.deepEqual((await readdir(dir)).sort(), ["index.json", "new-check.json", "stray-check.json"]);
  assert.deepEqual([...(await fs.index()).keys()], ["new-check.json"]);
});

test("fs: concurrent stores in one process lose no index entry", async () => {
  const dir = await tmpDir();
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  const at = 1718000000000000000n;
  const names = await Promise.all(Array.from({ length: 20 }, (_, i) => fs.store(round(`r${i}`), at)));
  assert.equal(new Set(names).size, 20, "same nanosecond → distinct names");
  assert.equal((await fs.index()).size, 20);
});

test("fs: fetch refuses names that leave the folder", async () => {
  const fs = new FsStorage({ dir: await tmpDir(), url: "", checkExpiry: 0 });
  await assert.rejects(fs.fetch("../etc/passwd"), /invalid check file name/);
});

storageContract("fs", { create: async (checkExpiry) => new FsStorage({ dir: await tmpDir(), url: "", checkExpiry }) });

test("fs: a file where the folder should be fails the store naming storage.dir and the fix", async () => {
  const base = await tmpDir();
  const file = path.join(base, "checks");
  await writeFile(file, "not a folder");
  await assert.rejects(new FsStorage({ dir: file, url: "", checkExpiry: 0 }).store([]),
    { message: `storage.dir: ${JSON.stringify(file)} is a file, not a folder: point it at a folder (created if missing), or move the file away` });
  const under = path.join(file, "inner");
  await assert.rejects(new FsStorage({ dir: under, url: "", checkExpiry: 0 }).store([]),
    { message: `storage.dir: ${JSON.stringify(under)} is under a file, not a folder: point it at a folder (created if missing), or move the file away` });
  assert.equal(await readFile(file, "utf8"), "not a folder", "the file is left alone");
});

test("fs: index.json says when the store keeps summaries (an entry Go's map of ns takes as a file it never finds), and readers never list it", async () => {
  const dir = await tmpDir();
  const at = 1718000000987654321n;
  const plain = new FsStorage({ dir, url: "", checkExpiry: 60_000_000_000, summaries: false });
  const first = await plain.store(round("a"), at);
  const text = () => readFile(path.join(dir, "index.json"), "utf8");
  assert.doesNotMatch(await text(), /summaries/);
  const fs = new FsStorage({ dir, url: "", checkExpiry: 60_000_000_000 });
  const second = await fs.store(round("a"), at + 1n);
  const written = JSON.parse(await text()) as Record<string, number>;
  assert.equal(written["summaries/index.json"], 1);
  assert.ok(Number.isInteger(written["summaries/index.json"]), "an integer, as Go's map[string]int64 needs");
  await readFile(path.join(dir, "summaries", "index.json"), "utf8");
  assert.deepEqual([...(await fs.index()).keys()].sort(), [first, second], "no reader sees the entry as a round");
  // maintain (here: everything expired; index values are the real time of storing) keeps the entry; turning summaries off clears it.
  await fs.maintain(BigInt(Date.now() + 120_000) * 1_000_000n);
  assert.deepEqual(JSON.parse(await text()), { "summaries/index.json": 1 });
  await plain.store(round("a"), at + 200_000_000_000n);
  assert.doesNotMatch(await text(), /summaries/);
  // `checkup summarize` sets it again.
  await fs.summarize();
  assert.match(await text(), /"summaries\/index\.json":1\}/);
});
