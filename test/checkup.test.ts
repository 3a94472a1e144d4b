/** The library: the same names as the CLI, from a config object or from instances. */
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { test } from "node:test";
import { CheckErrors, Checkup, createChecker, FsStorage, UsageError, parseResults, resultsJson, type Checker, type Notifier, type Result, type Storage } from "../lib/index.js";
import { within } from "./helpers/hostile.js";
import { closedPort, startHttpServer } from "./helpers/http-server.js";
import { tmpDir } from "./helpers/tmp.js";

test("Checkup.fromConfig: a checkup.json object, with ${ENV} expanded", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const checkup = await Checkup.fromConfig(
    { checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: "${WEB_URL}" }], concurrent_checks: 2 },
    { env: { WEB_URL: ok.url } },
  );
  const [result] = await checkup.check();
  assert.equal(result!.title, "Web");
  assert.equal(result!.endpoint, ok.url);
  assert.equal(result!.healthy, true);
});

test("Checkup from instances: checkers and storage a program built itself", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const own: Checker = {
    type: "custom", title: "Queue depth", endpoint: "queue://jobs",
    check: async () => ({ title: "Queue depth", endpoint: "queue://jobs", timestamp: 1n, times: [{ rtt: 10 }], degraded: true, notice: "42 waiting" }),
  };
  const dir = await tmpDir();
  const checkup = new Checkup({
    checkers: [await createChecker({ type: "http", endpoint_url: ok.url }), own],
    storage: new FsStorage({ dir, url: "", checkExpiry: 0 }),
    spoolDir: false,
  });
  const { results, name } = await checkup.checkAndStore();
  assert.deepEqual(results.map((r) => r.healthy ?? r.degraded), [true, true]);
  assert.match(name, /^\d{19}-check\.json$/);
  assert.equal(parseResults(resultsJson(await (checkup.storage as FsStorage).fetch(name)))[1]!.notice, "42 waiting");
});

test("a program's own Checkup: node on every result (a program's own checker too), in the User-Agent, one shard of the checks", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const own: Checker = { type: "custom", title: "Own", endpoint: "x://own", check: async () => ({ title: "Own", timestamp: 1n, times: [{ rtt: 1 }], healthy: true }) };
  const web = await createChecker({ type: "http", endpoint_name: "Web", endpoint_url: ok.url }, { node: "eu-1" });
  const results = await new Checkup({ checkers: [web, own], node: "eu-1", spoolDir: false }).check();
  assert.deepEqual(results.map((r) => r.node), ["eu-1", "eu-1"]);
  assert.match(ok.requests[0]!.headers["user-agent"] ?? "", /^checkup\/\S+ \(node eu-1\)$/);
  const sharded = [1, 2].map((index) => new Checkup({ checkers: [web, own], shard: { index, count: 2 }, spoolDir: false }).checkers);
  assert.deepEqual(sharded.flat().map((c) => c.title).sort(), ["Own", "Web"], "two shards split the checks between them");
});

test("check(): concurrent up to concurrent_checks, results in config order, a hang costs only its own timeout", async () => {
  let inFlight = 0;
  let peak = 0;
  const slow = await startHttpServer((_req, res) => {
    peak = Math.max(peak, ++inFlight);
    setTimeout(() => { inFlight--; res.end("ok"); }, 50);
  });
  const hang = await startHttpServer(() => undefined);
  const checkers = [
    { type: "http", endpoint_name: "hang", endpoint_url: hang.url, timeout: "300ms" },
    ...Array.from({ length: 8 }, (_, i) => ({ type: "http", endpoint_name: `s${i}`, endpoint_url: `${slow.url}/${i}` })),
  ];
  const checkup = await Checkup.fromConfig({ checkers, concurrent_checks: 3 });
  const progress: number[] = [];
  const results = await checkup.check({ onProgress: (done) => progress.push(done) });
  assert.deepEqual(results.map((r) => r.title), checkers.map((c) => c.endpoint_name));
  assert.equal(results[0]!.down, true);
  assert.match(results[0]!.times[0]!.error!, /Client\.Timeout exceeded/);
  assert.ok(results.slice(1).every((r) => r.healthy));
  // The hang holds one of the 3 slots for its 300 ms; how many slow checks share the other two
  // meanwhile depends on the machine's speed, so only the pool's own bound is asserted.
  assert.ok(peak <= 3, `at most concurrent_checks in flight, saw ${peak}`);
  assert.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test("config timestamp overrides every result's timestamp", async () => {
  const port = await closedPort();
  const checkup = await Checkup.fromConfig({ timestamp: "2024-06-10T12:00:00.123456789Z", checkers: [{ type: "tcp", endpoint_url: `127.0.0.1:${port}` }] });
  const [r] = await checkup.check();
  assert.equal(r!.timestamp, 1718020800123456789n);
});

test("a failing storage keeps the round in the spool and the next store replays it with its name", async () => {
  const dir = await tmpDir();
  const good = new FsStorage({ dir: `${dir}/store`, url: "", checkExpiry: 0 });
  let broken = true;
  const flaky: Storage = {
    type: "flaky",
    store: (results: Result[], at?: bigint) => (broken ? Promise.reject(new Error("disk on fire")) : good.store(results, at)),
  };
  const one: Checker = { type: "x", title: "t", endpoint: "e", check: async () => ({ title: "t", timestamp: 5n, times: [{ rtt: 1 }], healthy: true }) };
  const warnings: string[] = [];
  const checkup = new Checkup({ checkers: [one], storage: flaky, spoolDir: `${dir}/spool`, warn: (m) => warnings.push(m) });
  const failed = await checkup.checkAndStore().then(() => undefined, (e: Error) => e.message);
  const spooled = /^storing to flaky failed: disk on fire; the round is kept in .*spool\/(\d{19}-check\.json) and will be stored by the next successful run$/.exec(failed ?? "");
  assert.ok(spooled, failed);
  broken = false;
  const { name } = await checkup.checkAndStore();
  assert.deepEqual([...(await good.index()).keys()].sort(), [spooled[1], name].sort(), "the spooled round keeps its name");
  assert.deepEqual(warnings, [`stored ${spooled[1]}, kept in the spool while storing to flaky failed`]);
  assert.deepEqual(await readdir(`${dir}/spool`), [], "the spool is empty again");
});

test("every(): runs at once, again on the interval, and stop() ends it", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const dir = await tmpDir();
  const checkup = await Checkup.fromConfig({ checkers: [{ type: "http", endpoint_url: ok.url }], storage: { type: "fs", dir }, spool_dir: `${dir}/spool` });
  const rounds: string[] = [];
  let third!: () => void;
  const thirdRound = new Promise<void>((r) => (third = r));
  const handle = checkup.every("1s", { onRound: (r) => rounds.push(r.stored ?? String(r.failure)) === 3 && third() });
  await within(thirdRound, 10_000, "three rounds at 1 s");
  await handle.stop();
  const seen = rounds.length;
  // The loop has ended (no timer is left: test/schedule/every.test.ts proves it with mock timers).
  await within(handle.done, 5_000, "the schedule ends after stop()");
  assert.equal(rounds.length, seen, "no round after stop()");
  assert.ok(rounds.every((n) => /^\d{19}-check\.json$/.test(n)), rounds.join());
});

test("a round is stored before the notifiers are told: a hanging notifier delays no result", async () => {
  const dir = await tmpDir();
  const storage = new FsStorage({ dir, url: "", checkExpiry: 0 });
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let telling!: () => void;
  const toldOnce = new Promise<void>((r) => (telling = r));
  const notifier: Notifier = {
    type: "slow", id: "slow:1", batch: "event",
    policy: { failureThreshold: 1, successThreshold: 1, renotify: 0, digest: false, timeout: 60e9 },
    deliver: async () => { telling(); await released; },
  };
  const down: Checker = { type: "x", title: "API", endpoint: "e", check: async () => ({ title: "API", endpoint: "e", timestamp: 5n, times: [{ rtt: 1, error: "boom" }], down: true }) };
  const checkup = new Checkup({ checkers: [down], storage, notifiers: [notifier], spoolDir: false });
  const round = checkup.checkAndStore();
  await within(toldOnce, 10_000, "the notifier told");
  assert.equal((await storage.index()).size, 1, "stored while the notifier is still busy");
  release();
  const { name } = await round;
  assert.deepEqual([...(await storage.index()).keys()], [name]);
});

test("check(): checkers that throw are all reported, joined as checkup's Errors, once every check has finished; nobody is told", async () => {
  const finished: string[] = [];
  const told: unknown[] = [];
  const checker = (title: string, fail?: string, delayMs = 0): Checker => ({
    type: "custom", title, endpoint: `queue://${title}`,
    check: async () => {
      await new Promise((r) => setTimeout(r, delayMs));
      finished.push(title);
      if (fail) throw new Error(fail);
      return { title, endpoint: `queue://${title}`, timestamp: 1n, times: [{ rtt: 1 }], healthy: true };
    },
  });
  const notifier: Notifier = {
    type: "spy", id: "spy", batch: "run", policy: { failureThreshold: 1, successThreshold: 1, renotify: 0, digest: false, timeout: 1e9 },
    deliver: async (notice) => void told.push(notice),
  };
  // The first to fail finishes first; the slow healthy check still runs to the end before the error.
  const checkup = new Checkup({
    checkers: [checker("late", "broker gone", 30), checker("early", "no queue"), checker("slow", undefined, 60)],
    notifiers: [notifier], concurrentChecks: 3, spoolDir: false,
  });
  const error = await checkup.check().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof CheckErrors, String(error));
  assert.equal(error.message, "late: broker gone; early: no queue");
  assert.equal(error.errors.length, 2);
  assert.deepEqual(finished.sort(), ["early", "late", "slow"]);
  await checkup.settle();
  assert.deepEqual(told, []);
});

test("new Checkup({ concurrentChecks }) refuses values below 0 (and fractions), as checkup's Check() does", () => {
  for (const value of [-1, 1.5]) {
    assert.throws(() => new Checkup({ checkers: [], concurrentChecks: value }), (e: Error) => e instanceof UsageError
      && e.message === `invalid value for concurrentChecks: ${value} (must be a whole number above 0, or 0 for the default of 5)`);
  }
  assert.equal(new Checkup({ checkers: [], concurrentChecks: 0 }).concurrentChecks, 5);
});
