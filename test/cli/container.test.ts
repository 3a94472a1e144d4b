/** The container's entry point, run as the image runs it (the image itself cannot be built here: docs/container.md). */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { REPO } from "../helpers/paths.js";
import { startHttpServer } from "../helpers/http-server.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

const ENTRYPOINT = path.join(REPO, "scripts", "container-entrypoint.sh");

function entrypoint(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", [ENTRYPOINT, ...args], { env: { ...process.env, NO_COLOR: "1", CHECKUP_HOME: REPO, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("container: without a mounted config it exits 2 and names the mount", async () => {
  const missing = path.join(await tmpDir(), "checkup.json");
  const run = await entrypoint([], { CHECKUP_CONFIG: missing });
  assert.equal(run.code, 2);
  assert.equal(run.stderr, `checkup: no config at ${missing}: mount one, e.g. -v "$PWD/checkup.json:${missing}:ro" (or set CHECKUP_CONFIG)\n`);
});

test("container: arguments are checkup's, run against the mounted config", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: ok.url }] });
  const run = await entrypoint(["--json"], { CHECKUP_CONFIG: config });
  assert.equal(run.code, 0, run.stderr);
  assert.equal((JSON.parse(run.stdout) as { title: string }[])[0]!.title, "Web");
});

test("container: CHECKUP_CONFIG may be a fleet's config URL, and CHECKUP_NODE names the node", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const served = await startHttpServer((_req, res) => res.end(JSON.stringify({ checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: ok.url }] })));
  const run = await entrypoint(["--json"], { CHECKUP_CONFIG: `${served.url}/checkup.json`, CHECKUP_NODE: "eu-1" });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual((JSON.parse(run.stdout) as { title: string; node: string }[]).map((r) => [r.title, r.node]), [["Web", "eu-1"]]);
});

test("container: the compose config validates", async () => {
  const run = await entrypoint(["validate"], { CHECKUP_CONFIG: path.join(REPO, "docs", "container", "checkup.json"), POSTGRES_PASSWORD: "x" });
  assert.equal(run.code, 0, run.stderr);
});

test("container: with no arguments it runs every 1m, and SIGTERM stops it", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: ok.url }], storage: { type: "fs", dir } });
  const child = spawn("sh", [ENTRYPOINT], { env: { ...process.env, NO_COLOR: "1", CHECKUP_HOME: REPO, CHECKUP_CONFIG: config } });
  let stdout = "";
  await new Promise<void>((resolve) => child.stdout.on("data", (d: Buffer) => { stdout += d; if (stdout.includes("\n")) resolve(); }));
  assert.match(stdout, /stored \d{19}-check\.json/);
  child.kill("SIGTERM");
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  assert.equal(code, 0);
});
