import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, test } from "node:test";
import { healthHandler, type HealthReport } from "../../lib/health/index.js";
import { fakeChecker, fakeClock } from "../serve/fixtures.js";

/** Mounts `handler` on a real node:http server on loopback; returns its base URL. */
async function mount(handler: http.RequestListener, onRequest?: () => void): Promise<string> {
  const server = http.createServer(handler);
  if (onRequest) server.on("request", onRequest);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  after(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function get(url: string): Promise<{ status: number; type: string | null; body: HealthReport }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get("content-type"), body: await res.json() as HealthReport };
}

describe("healthHandler on node:http", () => {
  test("200 and every check listed when all pass; checkers and functions side by side", async () => {
    const base = await mount(healthHandler({
      checks: [fakeChecker("Database"), async function redis() { return { ok: true, output: "PONG" }; }],
    }));
    const { status, type, body } = await get(base);
    assert.equal(status, 200);
    assert.equal(type, "application/json; charset=utf-8");
    assert.equal(body.status, "success");
    assert.deepEqual(body.results.map((r) => [r.checker, r.passed, r.output]), [["Database", true, "healthy"], ["redis", true, "PONG"]]);
  });

  test("503 when any check fails; exceptions and rejections become failures with their message", async () => {
    const base = await mount(healthHandler({
      checks: {
        fine: () => ({ ok: true }),
        throws: () => { throw new Error("'NoneType' object has no attribute"); },
        rejects: () => Promise.reject(new Error("ECONNREFUSED 127.0.0.1:6379")),
        says_no: async () => ({ ok: false, output: { lag_seconds: 42 } }),
        mail: fakeChecker("Mail", "down"),
        wrong_shape: (() => "yes") as never,
      },
      successTtl: 0,
      failedTtl: 0,
    }));
    const { status, body } = await get(base);
    assert.equal(status, 503);
    assert.equal(body.status, "failure");
    assert.deepEqual(body.results.map((r) => [r.checker, r.passed, r.output]), [
      ["fine", true, null],
      ["throws", false, "'NoneType' object has no attribute"],
      ["rejects", false, "ECONNREFUSED 127.0.0.1:6379"],
      ["says_no", false, { lag_seconds: 42 }],
      ["mail", false, "down: connection refused"],
      ["wrong_shape", false, "check function must return { ok: boolean, output?: … }"],
    ]);
  });

  test("outputs and errors lose the credentials they quote", async () => {
    const base = await mount(healthHandler({
      checks: {
        says: () => ({ ok: true, output: { via: "mysql://app:hunter2@db:3306/app", token: "t0k" } }),
        throws: () => { throw new Error("cannot connect with host=db user=app password=hunter2"); },
      },
    }));
    const text = await (await fetch(base)).text();
    assert.ok(!/hunter2|t0k/.test(text), text);
    const body = JSON.parse(text) as HealthReport;
    assert.deepEqual(body.results.map((r) => r.output), [
      { via: "mysql://[scrubbed]@db:3306/app", token: "[scrubbed]" },
      "cannot connect with host=db user=app password=[scrubbed]",
    ]);
  });

  test("a check that never answers fails after the timeout instead of hanging the endpoint", async () => {
    const base = await mount(healthHandler({ checks: { hangs: () => new Promise(() => undefined) }, timeout: "50ms" }));
    const { status, body } = await get(base);
    assert.equal(status, 503);
    assert.equal(body.results[0]!.output, "timed out after 50 ms");
  });
});

describe("healthHandler caching", () => {
  test("passing results are reused for 27 s and failures for 9 s by default", async () => {
    const clock = fakeClock();
    const calls = { ok: 0, bad: 0 };
    const health = healthHandler({
      checks: { ok: () => (calls.ok++, { ok: true }), bad: () => (calls.bad++, { ok: false }) },
      now: clock.now,
    });
    const first = await health.run();
    assert.deepEqual(first.results.map((r) => [r.cached, Date.parse(r.expires) - Date.parse(r.timestamp)]), [[false, 27_000], [false, 9_000]]);
    clock.advance(8_999);
    assert.deepEqual((await health.run()).results.map((r) => r.cached), [true, true]);
    assert.deepEqual(calls, { ok: 1, bad: 1 });
    clock.advance(1);
    assert.deepEqual((await health.run()).results.map((r) => r.cached), [true, false]);
    assert.deepEqual(calls, { ok: 1, bad: 2 }, "the failure expired at 9 s");
    clock.advance(17_999);
    await health.run();
    assert.deepEqual(calls, { ok: 1, bad: 3 }, "the second failure expired at 18 s; the success holds until 27 s");
    clock.advance(1);
    await health.run();
    assert.deepEqual(calls, { ok: 2, bad: 3 });
  });

  test("custom TTLs as ms or durations; a checker's own ttl wins; 0 turns caching off", async () => {
    const clock = fakeClock();
    const db = Object.assign(fakeChecker("DB"), { ttl: 120_000_000_000 });
    let plain = 0;
    const health = healthHandler({ checks: [db, function plainCheck() { plain++; return { ok: true }; }], successTtl: "1m", failedTtl: 0, now: clock.now });
    await health.run();
    clock.advance(60_000);
    await health.run();
    assert.equal(plain, 2, "1m success TTL expired");
    assert.equal(db.runs, 1, "the checker's own 2 minutes hold");
    assert.throws(() => healthHandler({ checks: [], successTtl: "soon" }), /successTtl: expected milliseconds or a duration like "30s", got "soon"/);
    assert.throws(() => healthHandler({ checks: [fakeChecker("A"), fakeChecker("A")] }), /two checks are named "A"/);
  });

  test("concurrent requests share one run", async () => {
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let arrived = 0;
    const base = await mount(healthHandler({ checks: { slow: async () => { runs++; await gate; return { ok: true }; } }, successTtl: 0 }), () => arrived++);
    const requests = Array.from({ length: 50 }, () => get(base));
    while (arrived < 50) await new Promise((r) => setTimeout(r, 5));
    release();
    const answers = await Promise.all(requests);
    assert.ok(answers.every((a) => a.status === 200));
    assert.equal(runs, 1);
    assert.equal(answers.filter((a) => !a.body.results[0]!.cached).length, 1, "one fresh answer, 49 shared");
  });
});

describe("mounting in Express and Fastify style", () => {
  test("as Express middleware: (req, res, next) under a mount path, next never called", async () => {
    const health = healthHandler({ checks: { ok: () => ({ ok: true }) } });
    let nextCalled = false;
    // What Express does for app.use("/ops", router) + router.get("/health", handler): strip the mount path.
    const base = await mount((req, res) => {
      const original = req.url ?? "/";
      if (original !== "/ops/health") {
        res.statusCode = 404;
        return res.end();
      }
      Object.assign(req, { originalUrl: original, baseUrl: "/ops", url: "/health" });
      void health(req, res, () => (nextCalled = true));
    });
    const { status, body } = await get(`${base}/ops/health`);
    assert.equal(status, 200);
    assert.equal(body.results[0]!.checker, "ok");
    assert.equal(nextCalled, false);
  });

  test("run() gives the report for frameworks that send replies themselves (Fastify's reply.send)", async () => {
    const health = healthHandler({ checks: { down: () => ({ ok: false, output: "nope" }) } });
    const report = await health.run();
    assert.equal(report.status, "failure");
    assert.equal(report.results[0]!.output, "nope");
  });
});

describe("package entry", () => {
  /** Imports `specifier` in a fresh Node and reports whether prom-client got loaded. */
  async function loadsPromClient(specifier: string): Promise<boolean> {
    const { execFile } = await import("node:child_process");
    const script = `import(${JSON.stringify(specifier)}).then(async (m) => {
      if (typeof m.healthHandler !== "function" && typeof m.createMetrics !== "function") throw new Error("wrong module");
      const { createRequire } = await import("node:module");
      const cache = createRequire(${JSON.stringify(import.meta.url)}).cache;
      process.stdout.write(String(Object.keys(cache).some((k) => k.includes("prom-client"))));
    });`;
    return new Promise((resolve, reject) => execFile(process.execPath, ["--input-type=module", "-e", script],
      { cwd: new URL("../../../", import.meta.url) }, (e, stdout) => (e ? reject(e) : resolve(stdout === "true"))));
  }

  test("checkup/health resolves through the package's exports and loads no prom-client", async () => {
    assert.equal(await loadsPromClient("checkup/health"), false);
    assert.equal(await loadsPromClient(new URL("../../lib/serve/metrics.js", import.meta.url).href), true, "the probe sees it when it is loaded");
  });
});
