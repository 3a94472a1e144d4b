import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createChecker } from "../../lib/checking/create.js";
import { SECOND } from "../../lib/duration.js";
import { fakeChecker, fakeClock, serve } from "./fixtures.js";

const get = async (base: string, name: string) => {
  const res = await fetch(`${base}/api/checks/${encodeURIComponent(name)}`);
  return { status: res.status, body: await res.json() as { status: string; cached: boolean; expires_at: string; checked_at: string } };
};

describe("live check cache", () => {
  test("a healthy result is reused for 27 s, then the check runs again", async () => {
    const clock = fakeClock();
    const web = fakeChecker("Web");
    const { base } = await serve({ checkers: [web], now: clock.now });
    const first = await get(base, "Web");
    assert.equal(first.body.cached, false);
    assert.equal(Date.parse(first.body.expires_at) - Date.parse(first.body.checked_at), 27_000);
    clock.advance(26_999);
    assert.equal((await get(base, "Web")).body.cached, true);
    assert.equal(web.runs, 1);
    clock.advance(1);
    assert.equal((await get(base, "Web")).body.cached, false);
    assert.equal(web.runs, 2);
  });

  test("a down result is reused for 9 s only, so recovery shows quickly", async () => {
    const clock = fakeClock();
    const mail = fakeChecker("Mail", "down");
    const { base } = await serve({ checkers: [mail], now: clock.now });
    assert.equal((await get(base, "Mail")).status, 503);
    mail.status = "healthy";
    clock.advance(8_999);
    assert.equal((await get(base, "Mail")).status, 503, "still the cached failure");
    clock.advance(1);
    assert.equal((await get(base, "Mail")).status, 200);
    assert.equal(mail.runs, 2);
  });

  test("a check's own ttl overrides both defaults; the server's ttl options override the defaults", async () => {
    const clock = fakeClock();
    const slow = Object.assign(fakeChecker("Slow", "down"), { ttl: 60 * SECOND });
    const fast = fakeChecker("Fast");
    const { base } = await serve({ checkers: [slow, fast], now: clock.now, successTtl: 1_000 });
    await get(base, "Slow");
    await get(base, "Fast");
    clock.advance(59_000);
    await get(base, "Slow");
    await get(base, "Fast");
    assert.equal(slow.runs, 1, "down, but kept for its own 60 s");
    assert.equal(fast.runs, 2, "healthy, kept for the server's 1 s");
  });

  test("checkup.json's per-check ttl (a duration) reaches the checker; absent means the defaults", async () => {
    const own = await createChecker({ type: "tcp", endpoint_name: "DB", endpoint_url: "127.0.0.1:1", ttl: "5m" });
    const plain = await createChecker({ type: "tcp", endpoint_name: "DB", endpoint_url: "127.0.0.1:1" });
    assert.equal(own.ttl, 300 * SECOND);
    assert.equal(plain.ttl, 0);
  });

  test("a thousand concurrent requests for one check share one run, even with caching off", async () => {
    const web = fakeChecker("Web");
    let release!: () => void;
    web.gate = new Promise<void>((resolve) => (release = resolve));
    const { base, server } = await serve({ checkers: [web], successTtl: 0 });
    let arrived = 0;
    server.on("request", () => arrived++);
    const requests = Array.from({ length: 1000 }, () => fetch(`${base}/api/checks/Web`).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    }));
    // Hold the one run until every request has reached the server and joined it.
    while (arrived < 1000) await new Promise((r) => setTimeout(r, 5));
    release();
    const statuses = await Promise.all(requests);
    assert.equal(web.runs, 1);
    assert.ok(statuses.every((s) => s === 200));
    assert.equal((await get(base, "Web")).body.cached, false, "with caching off, the next request runs again");
    assert.equal(web.runs, 2);
  });

  test("a checker that throws is reported down with its message, not as a server error", async () => {
    const broken = fakeChecker("Broken");
    broken.check = () => Promise.reject(new Error("no route to the moon"));
    const { base } = await serve({ checkers: [broken] });
    const res = await fetch(`${base}/api/checks/Broken`);
    assert.equal(res.status, 503);
    const body = await res.json() as { status: string; result: { times: { error: string }[] } };
    assert.equal(body.status, "down");
    assert.equal(body.result.times[0]!.error, "no route to the moon");
  });

  test("closing the server abandons a check in flight: the waiting request gets 503, not a hang", async () => {
    const stuck = fakeChecker("Stuck");
    stuck.check = (signal) => new Promise((_resolve, reject) => signal?.addEventListener("abort", () => reject(new Error("server shutting down"))));
    const running = await serve({ checkers: [stuck] });
    const pending = fetch(`${running.base}/api/checks/Stuck`);
    while (running.live.runs.get("Stuck") === undefined) await new Promise((r) => setImmediate(r));
    await running.close(1_000);
    const res = await pending;
    assert.equal(res.status, 503);
    assert.equal((await res.json() as { status: string }).status, "down");
  });
});
