/** On a terminal, a round over a second shows "checking done/total"; piped, nothing (run.test.ts). */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { CLI } from "../helpers/cli.js";
import { startHttpServer } from "../helpers/http-server.js";
import { writeConfig } from "../helpers/tmp.js";

const skip = existsSync("/usr/bin/script") ? false : "util-linux `script` is needed for a pseudo-terminal";

test("progress shows on a TTY once a round passes a second", { skip }, async () => {
  const quick = await startHttpServer((_req, res) => res.end("ok"));
  const slow = await startHttpServer((_req, res) => setTimeout(() => res.end("ok"), 1500));
  const config = await writeConfig({ checkers: [
    { type: "http", endpoint_name: "quick", endpoint_url: quick.url },
    { type: "http", endpoint_name: "slow", endpoint_url: slow.url },
  ], concurrent_checks: 1 });
  // `script` gives the CLI a pseudo-terminal; its output (stdout and stderr together) is the screen.
  const command = [process.execPath, CLI, "-c", config].map((a) => `'${a}'`).join(" ");
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: "xterm" };
  delete env.NO_COLOR;
  const child = spawn("script", ["-qec", command, "/dev/null"], { stdio: ["ignore", "pipe", "pipe"], env });
  let screen = "";
  child.stdout.on("data", (d: Buffer) => (screen += d));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  assert.equal(code, 0, screen);
  assert.match(screen, /checking 2\/2/);
  assert.match(screen, /\x1b\[32m Assessment: healthy\x1b\[0m/, "colour on a terminal");
});
