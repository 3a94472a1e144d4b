import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { FsStorage } from "../../lib/storage/fs.js";
import { dayStart, type RunsDay } from "../../lib/summary/format.js";
import { HistoryMirror } from "../../lib/summary/mirror.js";
import type { Result, StorageReader } from "../../lib/types.js";
import { tmpDir } from "../helpers/tmp.js";

const MIN = 60_000_000_000n;
const DAYS = ["2024-06-10", "2024-06-11", "2024-06-12"];
const ROUNDS_PER_DAY = 30;
const result = (at: bigint, down = false): Result =>
  ({ title: "API", endpoint: "https://api.example/health", timestamp: at, times: [{ rtt: 2_000_000 }], ...(down ? { down: true } : { healthy: true }) });

/** 90 rounds over three days, every 10 minutes from midnight; the one at 02:00 on the 11th is down. */
async function store(summaries: boolean) {
  const storage = new FsStorage({ dir: path.join(await tmpDir(), "checks"), url: "", checkExpiry: 0, summaries });
  for (const day of DAYS) {
    for (let i = 0; i < ROUNDS_PER_DAY; i++) {
      const at = dayStart(day) + BigInt(i) * 10n * MIN;
      await storage.store([result(at, day === DAYS[1] && i === 12)], at);
    }
  }
  const fetched: string[] = [];
  /** Rounds the index stops listing, as check_expiry removes them. */
  const removed = new Set<string>();
  const reader: StorageReader = {
    index: async () => new Map([...await storage.index()].filter(([name]) => !removed.has(name))),
    fetch: (name) => (fetched.push(name), storage.fetch(name)),
  };
  return { storage, reader, fetched, removed };
}
const statuses = (days: RunsDay[]) => days.map((d) => d.checks.map((c) => c.s).join("")).join("|");
const ALL = [0n, 9_999_999_999_999_999_999n] as const;

test("mirror: whole days come from the storage's summaries, without fetching a round", async () => {
  const { storage, reader, fetched } = await store(true);
  const mirror = new HistoryMirror(reader, storage.summaries());
  const h = await mirror.history(...ALL);
  assert.deepEqual((h.days as RunsDay[]).map((d) => d.files.length), [30, 30, 30]);
  assert.equal(statuses(h.days as RunsDay[]), `${"h".repeat(30)}|${"h".repeat(12)}x${"h".repeat(17)}|${"h".repeat(30)}`);
  assert.equal(fetched.length, 0);
  const hours = await mirror.history(...ALL, "hours");
  assert.equal(hours.days.length, 3);
  assert.equal(fetched.length, 0);
});

test("mirror: part of a day fetches that day's rounds once; a new round is fetched alone", async () => {
  const { storage, reader, fetched } = await store(true);
  const mirror = new HistoryMirror(reader, storage.summaries());
  const from = dayStart(DAYS[1]!) + 60n * MIN; // 01:00 on the 11th: its rounds from 01:00 on
  const part = await mirror.history(from, ALL[1]);
  assert.deepEqual((part.days as RunsDay[]).map((d) => d.files.length), [24, 30]);
  assert.equal(fetched.length, 30, "the 11th's rounds only");
  const ns = (name: string) => BigInt(name.split("-")[0]!);
  assert.ok(fetched.every((name) => ns(name) >= dayStart(DAYS[1]!) && ns(name) < dayStart(DAYS[2]!)));
  await mirror.history(from + 1n, ALL[1]);
  assert.equal(fetched.length, 30, "nothing again");
  const at = dayStart(DAYS[1]!) + 23n * 60n * MIN;
  const name = await storage.store([result(at, true)], at);
  const after = await mirror.history(from, ALL[1]);
  assert.deepEqual(fetched.slice(30), [name]);
  assert.equal((after.days as RunsDay[])[0]!.checks[0]!.s.at(-1), "x");
});

test("mirror: a store without summaries (Go-written) fetches each round once over many requests; deleted rounds leave", async () => {
  const { storage, reader, fetched, removed } = await store(false);
  const mirror = new HistoryMirror(reader);
  for (let i = 0; i < 3; i++) await mirror.history(...ALL);
  await mirror.history(dayStart(DAYS[2]!) + 5n * MIN, ALL[1]);
  assert.equal(fetched.length, 90);
  assert.equal(new Set(fetched).size, 90);
  for (const name of (await storage.index()).keys()) if (name < String(dayStart(DAYS[1]!))) removed.add(name);
  const left = await mirror.history(...ALL);
  assert.deepEqual(left.days.map((d) => d.day), DAYS.slice(1));
  assert.equal(fetched.length, 90);
});
