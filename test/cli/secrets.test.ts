/**
 * A password in endpoint_url is used for the request and shown nowhere: not in the printed table,
 * --json, stored files, errors, the alert state, notifications, /api/status or /metrics.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { runCli, startServe } from "../helpers/cli.js";
import { closedPort, startHttpServer } from "../helpers/http-server.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

const SECRET = "S3CRET";
const BASIC = `Basic ${Buffer.from(`admin:${SECRET}`).toString("base64")}`;

test("endpoint_url credentials authenticate the request and appear in no output, file or API", async () => {
  const target = await startHttpServer((req, res) => {
    res.statusCode = req.headers.authorization === BASIC ? 200 : 401;
    res.end();
  });
  const receiver = await startHttpServer((_req, res) => res.end());
  const dir = await tmpDir();
  const checks = path.join(dir, "checks");
  const alertState = path.join(dir, "alerts.json");
  const config = await writeConfig({
    checkers: [
      { type: "http", endpoint_name: "Private", endpoint_url: `http://admin:${SECRET}@127.0.0.1:${target.port}/` },
      { type: "http", endpoint_name: "Gone", endpoint_url: `http://admin:${SECRET}@127.0.0.1:${await closedPort()}/` },
    ],
    storage: { type: "fs", dir: checks },
    notifiers: [{ type: "webhook", url: `${receiver.url}/hook` }],
    alert_state: alertState,
  });

  const table = await runCli(["-c", config]);
  const json = await runCli(["-c", config, "--json"]);
  const stored = await runCli(["-c", config, "--store"]);
  assert.equal(stored.code, 0, stored.stderr);
  const results = JSON.parse(json.stdout) as { title: string; endpoint: string; healthy?: boolean; times: { error?: string }[] }[];
  assert.equal(results[0]!.healthy, true, "the server saw the credentials");
  assert.equal(target.requests[0]!.headers.authorization, BASIC);
  assert.equal(results[0]!.endpoint, `http://[scrubbed]@127.0.0.1:${target.port}/`);
  assert.match(results[1]!.times[0]!.error!, /^Get "http:\/\/\[scrubbed\]@127\.0\.0\.1:\d+\/": dial tcp/, "the down case's error");
  assert.equal(receiver.requests.length, 1, "the down check was notified");

  const serve = await startServe(["-c", config, "serve", "--listen", "127.0.0.1:0"]);
  try {
    const seen: Record<string, string> = {
      table: table.stdout + table.stderr,
      json: json.stdout + json.stderr,
      store: stored.stdout + stored.stderr,
      "alert state": await readFile(alertState, "utf8"),
      notification: receiver.requests[0]!.body,
      "/api/status": await (await fetch(new URL("api/status", serve.url))).text(),
      "/api/checks": await (await fetch(new URL("api/checks", serve.url))).text(),
      "/metrics": await (await fetch(new URL("metrics", serve.url))).text(),
    };
    for (const entry of await readdir(checks, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) seen[entry.name] = await readFile(path.join(entry.parentPath, entry.name), "utf8");
    }
    assert.ok(Object.keys(seen).some((name) => name.endsWith("-check.json")), "a round was stored");
    assert.match(seen["/metrics"]!, /endpoint="http:\/\/\[scrubbed\]@127\.0\.0\.1:\d+\/"/);
    for (const [where, text] of Object.entries(seen)) assert.ok(!text.includes(SECRET), `${where} shows the password:\n${text}`);
  } finally {
    serve.child.kill("SIGTERM");
    await serve.exited;
  }
});
