/** The README's first command: the bundled checkup.json checks, stores and serves on this machine. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { REPO } from "../helpers/paths.js";
import { tmpDir } from "../helpers/tmp.js";

test("demo: every bundled check is healthy and a round is stored", async () => {
  const dir = await tmpDir();
  const child = spawn("bash", [path.join(REPO, "scripts", "demo.sh")], {
    env: { ...process.env, DEMO_ONCE: "1", DEMO_DIR: dir, NODE: process.execPath, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d));
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  assert.equal(code, 0, stderr);
  const assessments = [...stdout.matchAll(/^ Assessment: (\w+)$/gm)].map((m) => m[1]);
  assert.deepEqual(assessments, ["healthy", "healthy", "healthy", "healthy", "healthy"], stdout);
  assert.match(stdout, /Status page: http:\/\/127\.0\.0\.1:3000\//);
  const stored = await readdir(path.join(dir, "checks"));
  assert.equal(stored.filter((f) => /^\d{19}-check\.json$/.test(f)).length, 1);
  assert.ok(stored.includes("index.json") && stored.includes("summaries"));
});
