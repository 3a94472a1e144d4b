import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { runCli, startServe } from "../helpers/cli.js";
import { closedPort, startHttpServer } from "../helpers/http-server.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

describe("checkup serve", () => {
  test("serves live checks and stored rounds from any directory, prints its URL, and exits 0 on SIGTERM", async () => {
    const target = await startHttpServer((_req, res) => res.end("ok"));
    const dir = await tmpDir();
    const config = await writeConfig({
      checkers: [{ type: "http", endpoint_name: "Target", endpoint_url: target.url }],
      storage: { type: "fs", dir: path.join(dir, "checks") },
    });
    assert.equal((await runCli(["-c", config, "--store"])).code, 0);
    const elsewhere = await tmpDir();
    const serve = await startServe(["-c", config, "serve", "--listen", "127.0.0.1:0"], elsewhere);
    assert.match(serve.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);

    const live = await fetch(new URL("api/checks/Target", serve.url));
    assert.equal(live.status, 200);
    assert.equal((await live.json() as { status: string }).status, "healthy");
    const page = await fetch(serve.url);
    assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8", "the package's page, whatever the cwd");
    assert.match(await page.text(), /<script type="module" src="js\/main\.js">/);
    const index = await (await fetch(new URL("index.json", serve.url))).text();
    assert.match(index, /^\{"\d{19}-check\.json":\d{19}\}\n$/);

    serve.child.kill("SIGTERM");
    const [code] = await serve.exited;
    assert.equal(code, 0);
    assert.match(serve.stderr(), /SIGTERM received, closing the server/);
    await assert.rejects(fetch(new URL("api/checks", serve.url)), "nothing listens any more");
  });

  test("without storage it says so and still serves live checks", async () => {
    const config = await writeConfig({ checkers: [{ type: "tcp", endpoint_name: "Nothing", endpoint_url: "127.0.0.1:1" }] });
    const serve = await startServe(["-c", config, "serve", "--listen", "127.0.0.1:0"], path.dirname(config));
    const res = await fetch(new URL("api/checks/Nothing", serve.url));
    assert.equal(res.status, 503);
    await res.arrayBuffer();
    serve.child.kill("SIGTERM");
    assert.equal((await serve.exited)[0], 0);
    assert.match(serve.stderr(), /no storage configured: serving live checks, metrics and health only/);
  });

  test("checkup.json's statuspage section sets the page's timeframe, refresh and texts", async () => {
    const config = await writeConfig({
      checkers: [],
      statuspage: { timeframe: "7d", refresh_interval: "30s", status_text: { healthy: "All good", down: "We are on it" } },
    });
    const serve = await startServe(["-c", config, "serve", "--listen", "127.0.0.1:0"], path.dirname(config));
    const js = await (await fetch(new URL("js/config.js", serve.url))).text();
    serve.child.kill("SIGTERM");
    await serve.exited;
    const value = JSON.parse(/checkup\.config = (\{[\s\S]*\});/.exec(js)![1]!) as Record<string, unknown>;
    assert.deepEqual(value, {
      timeframe: 7 * 86_400_000_000_000,
      refresh_interval: 30,
      storage: { type: "api", url: "/api/" },
      status_text: { healthy: "All good", degraded: "Degraded Service", down: "We are on it" },
    });
  });

  test("--listen :PORT says it listens on every interface, not only on localhost", async () => {
    const config = await writeConfig({ checkers: [] });
    const serve = await startServe(["-c", config, "serve", "--listen", ":0"]);
    serve.child.kill("SIGTERM");
    await serve.exited;
    const port = new URL(serve.url).port;
    assert.match(serve.stdout(), new RegExp(`^checkup serving on http://localhost:${port}/ \\(listening on (\\[::\\]|0\\.0\\.0\\.0):${port}, every (IPv4 )?interface\\)$`, "m"));
  });

  test("/__heartbeat__ tells a failing storage's user, host and database only to the log, or when asked", async () => {
    const port = await closedPort();
    const config = await writeConfig({
      checkers: [],
      storage: { type: "postgres", dsn: `postgres://dbuser:dbpass@127.0.0.1:${port}/statusdb?sslmode=disable` },
    });
    const quiet = await startServe(["-c", config, "serve", "--listen", "127.0.0.1:0"]);
    const asked = await startServe(["-c", config, "serve", "--listen", "127.0.0.1:0", "--heartbeat-detail"]);
    const beat = async (url: string) => {
      const res = await fetch(new URL("__heartbeat__", url));
      return { status: res.status, body: await res.json() as Record<string, unknown> };
    };
    const [first, second, detailed] = [await beat(quiet.url), await beat(quiet.url), await beat(asked.url)];
    for (const s of [quiet, asked]) s.child.kill("SIGTERM");
    await Promise.all([quiet.exited, asked.exited]);
    assert.deepEqual(first, { status: 503, body: { status: "error", storage: "error", checks: 0 } });
    assert.deepEqual(second, first);
    const why = `postgres storage (postgres://dbuser@127.0.0.1:${port}/statusdb): connect ECONNREFUSED 127.0.0.1:${port}`;
    assert.equal(quiet.stderr().split("\n").filter((l) => l.includes("heartbeat")).join("\n"), `warning: heartbeat: storage fails: ${why}`, "logged once");
    assert.deepEqual(detailed, { status: 503, body: { status: "error", storage: `error: ${why}`, checks: 0 } });
  });

  test("a bad --listen is a usage error (exit 2)", async () => {
    const config = await writeConfig({ checkers: [] });
    const run = await runCli(["-c", config, "serve", "--listen", "localhost"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /invalid --listen address "localhost": use :3000, 127\.0\.0\.1:3000 or \[::1\]:3000/);
  });
});
