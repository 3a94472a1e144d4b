import assert from "node:assert/strict";
import { cp, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLValidator } from "fast-xml-parser";
import { FsStorage } from "../../lib/storage/fs.js";
import { at, DAY1, ERROR, MESSAGE, ROUND_MS, ROUNDS, roundOf, writeOutageStore } from "../helpers/outage-history.js";
import { tmpDir } from "../helpers/tmp.js";

/** The constructed history, stored once; a test that adds rounds works on a copy. */
const shared = tmpDir().then(async (dir) => (await writeOutageStore(dir), dir));

async function storeHistory(): Promise<string> {
  const dir = await tmpDir();
  await cp(await shared, dir, { recursive: true });
  return dir;
}

const iso = (round: number) => new Date(DAY1 + round * ROUND_MS).toISOString();

test("status.json: each check's status, uptime over 1/7/30/90 days and its outage going on, beside the summaries", async () => {
  const dir = await storeHistory();
  const status = JSON.parse(await readFile(path.join(dir, "summaries", "status.json"), "utf8"));
  const ongoing = status.checks[0].incident;
  assert.match(ongoing.id, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  // The last day: 144 rounds of 2026-11-02 (one down) and API's down round at 11-03 00:00.
  const api1d = (143 / 145) * 100;
  const apiAll = (283 / 289) * 100;
  assert.deepEqual(status, {
    version: 1,
    updated_at: iso(ROUNDS),
    status: { indicator: "major", description: "Partial System Outage" },
    checks: [
      {
        id: "API", name: "API", endpoint: "https://api.example/health", group: null, status: "major_outage", updated_at: iso(ROUNDS),
        uptime: { "1d": api1d, "7d": apiAll, "30d": apiAll, "90d": apiAll },
        incident: { id: ongoing.id, started_at: iso(ROUNDS), status: "major_outage", reason: ERROR },
      },
      {
        id: "Web", name: "Web", endpoint: "https://www.example/", group: null, status: "operational", updated_at: iso(ROUNDS),
        uptime: { "1d": 100, "7d": 100, "30d": 100, "90d": 100 }, incident: null,
      },
    ],
  });
});

test("feed.xml: an Atom feed with one entry per outage start, message and recovery, newest first, text escaped", async () => {
  const dir = await storeHistory();
  const xml = await readFile(path.join(dir, "summaries", "feed.xml"), "utf8");
  assert.equal(XMLValidator.validate(xml), true, "well-formed XML");
  assert.doesNotMatch(xml, /<script>|\u0007/, "stored text is escaped, and a control character XML cannot hold is replaced");
  const feed = parseFeed(xml);
  assert.equal(feed.meta.type, "atom");
  assert.equal(feed.meta.version, "1.0");
  const cleaned = ERROR.replace("\u0007", "\uFFFD");
  assert.deepEqual(feed.items.map((e) => [e.title, e.updated?.toISOString(), e.content]), [
    [`API is down: ${cleaned}`, iso(288), cleaned],
    ["API is back up (was down for 20m)", iso(145), "API is back up (was down for 20m)"],
    [`API is down: ${cleaned}`, iso(143), cleaned],
    ["API is back up (was down for 30m)", iso(63), "API is back up (was down for 30m)"],
    [`API: ${MESSAGE}`, iso(61), MESSAGE],
    [`API is down: ${cleaned}`, iso(60), cleaned],
  ]);
  const ids = feed.items.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length, "ids are unique");
  assert.equal(feed.updated?.toISOString(), iso(288));
  assert.ok(ids.every((id) => id?.startsWith("urn:uuid:")));
});

test("feed.xml: entry ids stay the same as rounds are added", async () => {
  const dir = await storeHistory();
  const before = parseFeed(await readFile(path.join(dir, "summaries", "feed.xml"), "utf8")).items.map((e) => e.id);
  await new FsStorage({ dir, url: "", checkExpiry: 0 }).store(roundOf(ROUNDS + 1), at(ROUNDS + 1));
  const after = parseFeed(await readFile(path.join(dir, "summaries", "feed.xml"), "utf8")).items.map((e) => e.id);
  assert.deepEqual(after.slice(1), before, "the recovery is new; every earlier entry keeps its id");
});
