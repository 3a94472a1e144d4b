/** The README's first command: the bundled checkup.json checks, stores and serves on this machine. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { test } from "node:test";
import { REPO } from "../helpers/paths.js";
import { tmpDir } from "../helpers/tmp.js";

async function runDemo(port: string): Promise<{ code: number | null; stdout: string; stderr: string; dir: string }> {
  const dir = await tmpDir();
  const child = spawn("bash", [path.join(REPO, "scripts", "demo.sh")], {
    env: { ...process.env, DEMO_ONCE: "1", DEMO_DIR: dir, DEMO_PORT: port, NODE: process.execPath, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d));
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  return { code, stdout, stderr, dir };
}

test("demo: every bundled check is healthy and a round is stored", async () => {
  const { code, stdout, stderr, dir } = await runDemo("0");
  assert.equal(code, 0, stderr);
  const assessments = [...stdout.matchAll(/^ Assessment: (\w+)$/gm)].map((m) => m[1]);
  assert.deepEqual(assessments, ["healthy", "healthy", "healthy", "healthy", "healthy"], stdout);
  assert.match(stdout, /Status page: http:\/\/127\.0\.0\.1:\d+\//);
  const stored = await readdir(path.join(dir, "checks"));
  assert.equal(stored.filter((f) => /^\d{19}-check\.json$/.test(f)).length, 1);
  assert.ok(stored.includes("index.json") && stored.includes("summaries"));
});

test("demo: a port held by another program is reported and a free one is used, and the checks watch the demo", async () => {
  let hits = 0;
  const other = createServer((_req, res) => { hits++; res.end("<title>another app</title>"); });
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
  const taken = (other.address() as AddressInfo).port;
  try {
    const { code, stdout, stderr } = await runDemo(String(taken));
    assert.equal(code, 0, stderr);
    assert.match(stderr, new RegExp(`port ${taken} is in use by another program; using (\\d+) instead`));
    const used = /using (\d+) instead/.exec(stderr)![1];
    assert.notEqual(used, String(taken));
    assert.match(stdout, new RegExp(`Status page: http://127\\.0\\.0\\.1:${used}/`));
    assert.match(stdout, new RegExp(`== Status page - http://127\\.0\\.0\\.1:${used}/`));
    assert.equal(hits, 0, "the checks must not reach the program that holds the port");
  } finally {
    other.close();
  }
});
