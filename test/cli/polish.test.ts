/** The command line's conveniences: help, versions, colour switches, completion and init. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { PACKAGE } from "../../lib/package-info.js";
import { useColour } from "../../cmd/output.js";
import { runCli } from "../helpers/cli.js";
import { startHttpServer } from "../helpers/http-server.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

test("checkup help <command> prints that command's help; --help lists the exit codes", async () => {
  const help = await runCli(["help", "every"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: checkup every \[options\] <interval>/m);
  assert.match(help.stdout, /--log-format <format>/);
  const top = await runCli(["--help"]);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /Exit codes:\n {2}0 .*\n {2}1 .*degraded or down\n {2}2 .*\n {2}3 /);
});

test("-V, -v and --version print the version", async () => {
  for (const flag of ["-V", "-v", "--version"]) {
    const run = await runCli([flag]);
    assert.equal(run.code, 0, `${flag}: ${run.stderr}`);
    assert.equal(run.stdout, `${PACKAGE.version}\n`);
  }
});

test("colour: FORCE_COLOR turns it on without a terminal, NO_COLOR turns it off on one", async () => {
  assert.equal(useColour({ isTTY: true }, {}), true);
  assert.equal(useColour({ isTTY: true }, { NO_COLOR: "1" }), false);
  assert.equal(useColour({ isTTY: true }, { NO_COLOR: "" }), true, "an empty NO_COLOR does not count (no-color.org)");
  assert.equal(useColour({ isTTY: false }, { FORCE_COLOR: "1" }), true);
  assert.equal(useColour({ isTTY: false }, { FORCE_COLOR: "0" }), false);
  assert.equal(useColour({ isTTY: true }, { TERM: "dumb" }), false);
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: ok.url }] });
  const forced = await runCli(["-c", config], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
  assert.match(forced.stdout, /\x1b\[32m Assessment: healthy\x1b\[0m/);
});

test("--store --json prints the round that was stored", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: ok.url }], storage: { type: "fs", dir } });
  const run = await runCli(["-c", config, "--store", "--json"]);
  assert.equal(run.code, 0, run.stderr);
  const printed = JSON.parse(run.stdout) as { title: string; timestamp: number }[];
  const index = JSON.parse(await readFile(path.join(dir, "index.json"), "utf8")) as Record<string, number>;
  const [name] = Object.keys(index);
  assert.deepEqual(JSON.parse(await readFile(path.join(dir, name!), "utf8")), printed);
  assert.equal(printed[0]!.title, "Web");
});

test("completion bash completes commands, their flags and config files", async () => {
  const script = (await runCli(["completion", "bash"])).stdout;
  const dir = await tmpDir();
  await writeFile(path.join(dir, "script.sh"), script);
  const complete = async (...words: string[]) => {
    const { stdout } = await promisify(execFile)("bash", ["-c",
      `checkup() { :; }; source ./script.sh; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _checkup; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: dir });
    return stdout.trim().split("\n");
  };
  assert.deepEqual(await complete("checkup", "ev"), ["every"]);
  assert.deepEqual(await complete("checkup", "every", "--log"), ["--log-format"]);
  assert.deepEqual(await complete("checkup", "-c", "scr"), ["script.sh"]);
  assert.ok((await complete("checkup", "")).includes("serve"));
  const zsh = await runCli(["completion", "zsh"]);
  assert.match(zsh.stdout, /^autoload -U \+X bashcompinit && bashcompinit\n_checkup\(\)/);
  const bad = await runCli(["completion", "fish"]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'checkup: no completion for shell "fish": use bash or zsh\n');
});

test("init writes a starter config that runs, and refuses to overwrite it", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const dir = await tmpDir();
  const config = path.join(dir, "checkup.json");
  const made = await runCli(["-c", config, "init", `${ok.url}/a`, `${ok.url}/b`, "https://example.org/"]);
  assert.equal(made.code, 0, made.stderr);
  const written = JSON.parse(await readFile(config, "utf8")) as { checkers: { endpoint_name: string }[]; storage: { type: string } };
  assert.deepEqual(written.checkers.map((c) => c.endpoint_name), [`${new URL(ok.url).host}/a`, `${new URL(ok.url).host}/b`, "example.org"]);
  assert.equal(written.storage.type, "fs");
  const validate = await runCli(["-c", config, "validate"], { cwd: dir });
  assert.equal(validate.code, 0, validate.stderr);
  const again = await runCli(["-c", config, "init"]);
  assert.equal(again.code, 2);
  assert.equal(again.stderr, `checkup: ${config} already exists: edit it, or pass --force to replace it\n`);
  const bad = await runCli(["-c", path.join(dir, "other.json"), "init", "example.com"]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'checkup: init: expected an absolute http(s) URL like "https://example.com/health", got "example.com"\n');
});
