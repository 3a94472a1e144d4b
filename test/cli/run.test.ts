/** `checkup`, `--json`, `--store`, `message` and `validate`, run as a user runs them. */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { parseResults } from "../../lib/result.js";
import { runCli } from "../helpers/cli.js";
import { closedPort, startHttpServer } from "../helpers/http-server.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

async function setup(): Promise<{ config: string; dir: string }> {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const down = await closedPort();
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({
    checkers: [
      { type: "http", endpoint_name: "Web", endpoint_url: `${ok.url}/` },
      { type: "tcp", endpoint_name: "Database", endpoint_url: `127.0.0.1:${down}` },
    ],
    storage: { type: "fs", dir },
    spool_dir: path.join(dir, "..", "spool"),
  });
  return { config, dir };
}

test("checkup prints each result and exits 1 when something is down", async () => {
  const { config } = await setup();
  const run = await runCli(["-c", config]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /^== Web - http:\/\/127\.0\.0\.1:\d+\/\n/);
  assert.match(run.stdout, /^ Assessment: healthy$/m);
  assert.match(run.stdout, /== Database - 127\.0\.0\.1:\d+\n(.*\n)*? Assessment: down\n/);
  assert.match(run.stdout, /^ {8}All: \[\{[\d.]+[µm]?s dial tcp 127\.0\.0\.1:\d+: connect: connection refused\}\]$/m);
  assert.doesNotMatch(run.stdout, /\x1b\[/, "no colour when not a TTY");
  assert.equal(run.stderr, "", "no progress line when not a TTY");
});

test("checkup prints the trace id of a down http check, to find its request in the target's logs", async () => {
  const traces: string[] = [];
  const server = await startHttpServer((req, res) => {
    traces.push(String(req.headers.traceparent));
    res.writeHead(req.url === "/down" ? 503 : 200);
    res.end();
  });
  const config = await writeConfig({
    checkers: [
      { type: "http", endpoint_name: "Up", endpoint_url: `${server.url}/` },
      { type: "http", endpoint_name: "Down", endpoint_url: `${server.url}/down` },
    ],
    concurrent_checks: 1,
  });
  const run = await runCli(["-c", config]);
  assert.equal(run.code, 1, run.stderr);
  const ids = traces.map((t) => t.split("-")[1]);
  assert.match(run.stdout, new RegExp(`== Down - .*\\n(.*\\n)*? {3}Trace ID: ${ids[1]}\\n Assessment: down\\n`));
  assert.equal(run.stdout.match(/Trace ID/g)?.length, 1, "only the down check shows one");
});

test("checkup exits 0 when everything is healthy", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_url: ok.url }] });
  const run = await runCli(["-c", config]);
  assert.equal(run.code, 0, run.stderr);
});

test("--json prints the results array in checkup's format, in config order", async () => {
  const { config } = await setup();
  const run = await runCli(["-c", config, "--json"]);
  assert.equal(run.code, 1);
  const results = parseResults(run.stdout);
  assert.deepEqual(results.map((r) => [r.title, r.healthy ?? false, r.down ?? false]), [["Web", true, false], ["Database", false, true]]);
  assert.match(run.stdout, /"timestamp":\d{19},/);
});

test("--store writes a check file and index.json, prints nothing, exits 0 despite a down check", async () => {
  const { config, dir } = await setup();
  const run = await runCli(["-c", config, "--store"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "");
  const files = (await readdir(dir)).sort();
  assert.equal(files.length, 3);
  assert.match(files[0]!, /^\d{19}-check\.json$/);
  assert.deepEqual(files.slice(1), ["index.json", "summaries"]);
  const index = JSON.parse(await readFile(path.join(dir, "index.json"), "utf8")) as Record<string, number>;
  // Beside the check file, the entry that tells the page the store has summaries (docs/summaries.md).
  assert.deepEqual(Object.keys(index), [files[0], "summaries/index.json"]);
  const stored = parseResults(await readFile(path.join(dir, files[0]!), "utf8"));
  assert.deepEqual(stored.map((r) => r.title), ["Web", "Database"]);
});

test("--store without storage is a clear runtime error", async () => {
  const config = await writeConfig({ checkers: [{ type: "exec", name: "true", command: "true" }] });
  const run = await runCli(["-c", config, "--store"]);
  assert.equal(run.code, 3);
  assert.equal(run.stderr, `checkup: no storage configured: add a "storage" section to checkup.json\n`);
});

test("message attaches the text to the matching title (any case) and stores the round", async () => {
  const { config, dir } = await setup();
  const run = await runCli(["-c", config, "message", "--about", "database", "Restoring from backup <b>now</b>"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "Message posted\n");
  const [file] = (await readdir(dir)).filter((f) => f.endsWith("-check.json"));
  const stored = parseResults(await readFile(path.join(dir, file!), "utf8"));
  assert.equal(stored[1]!.message, "Restoring from backup <b>now</b>");
  assert.equal(stored[0]!.message, undefined);
});

test("message with an unknown title or an ambiguous target fails with exit 2", async () => {
  const { config } = await setup();
  const unknown = await runCli(["-c", config, "message", "--about", "Cache", "hi"]);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, "checkup: no result for endpoint with title 'Cache'\n");
  const ambiguous = await runCli(["-c", config, "message", "hi"]);
  assert.equal(ambiguous.code, 2);
  assert.equal(ambiguous.stderr, "checkup: more than one result; unable to guess which one to attach message to (use --about TITLE)\n");
});

test("message without --about goes to the only result", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_url: ok.url }], storage: { type: "fs", dir } });
  const run = await runCli(["-c", config, "message", "All good"]);
  assert.equal(run.code, 0, run.stderr);
  const [file] = (await readdir(dir)).filter((f) => f.endsWith("-check.json"));
  assert.equal(parseResults(await readFile(path.join(dir, file!), "utf8"))[0]!.message, "All good");
});

test("validate runs nothing and summarises the config", async () => {
  const hits = await startHttpServer((_req, res) => res.end("ok"));
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_url: hits.url }], storage: { type: "fs", dir: "x" } });
  const run = await runCli(["-c", config, "--node", "eu-1", "validate"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, `${config}: OK (1 checker, storage fs, 0 notifiers, node eu-1)\n`);
  assert.equal(hits.requests.length, 0, "validate must not run checks");
});

test("--version and --help exit 0", async () => {
  const version = await runCli(["--version"]);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  const help = await runCli(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /every \[options\] <interval>/);
});
