/** Many nodes, one store: --node in results and User-Agents, --shard splitting checks, serve's per-node views. */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { Checkup } from "../../lib/checkup.js";
import { parseResults } from "../../lib/result.js";
import { startServer } from "../../lib/serve/server.js";
import { isStorageReader } from "../../lib/types.js";
import { runCli } from "../helpers/cli.js";
import { startHttpServer } from "../helpers/http-server.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

test("--shard 1/3, 2/3 and 3/3 together run every check exactly once", async () => {
  const target = await startHttpServer((_req, res) => res.end("ok"));
  const titles = Array.from({ length: 12 }, (_, i) => `check-${i}`);
  const config = await writeConfig({
    checkers: titles.map((t) => ({ type: "http", endpoint_name: t, endpoint_url: `${target.url}/${t}` })),
  });
  const ran: string[] = [];
  for (const shard of ["1/3", "2/3", "3/3"]) {
    const run = await runCli(["-c", config, "--json", "--shard", shard]);
    assert.equal(run.code, 0, run.stderr);
    ran.push(...parseResults(run.stdout).map((r) => r.title!));
  }
  assert.deepEqual([...ran].sort(), [...titles].sort(), "each title in exactly one shard");
  const hits = target.requests.map((r) => r.url.slice(1)).sort();
  assert.deepEqual(hits, [...titles].sort(), "each target hit once in the round");
});

test("a bad --shard, --node, CHECKUP_NODE or \"node\" is a clear error, exit 2, nothing run", async () => {
  const target = await startHttpServer((_req, res) => res.end("ok"));
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_url: target.url }] });
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [["--shard", "4/3"], {}, /option '--shard <i\/N>' argument '4\/3' is invalid\. i must be from 1 to 3 \(shards are counted from 1\), got "4\/3"\./],
    [["--shard", "0/3"], {}, /argument '0\/3' is invalid\. i must be from 1 to 3/],
    [["--shard", "two"], {}, /argument 'two' is invalid\. expected i\/N like "1\/3"/],
    [["--node", "eu 1"], {}, /option '--node <name>' argument 'eu 1' is invalid\. expected a name of letters, digits/],
    [[], { CHECKUP_NODE: "(eu)" }, /'\(eu\)' from env 'CHECKUP_NODE' is invalid\. expected a name of letters/],
  ];
  for (const [args, env, message] of cases) {
    const run = await runCli(["-c", config, ...args], { env });
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
  const badNode = await writeConfig({ node: "eu/1", checkers: [{ type: "http", endpoint_url: target.url }] });
  const run = await runCli(["-c", badNode]);
  assert.equal(run.code, 2);
  assert.equal(run.stderr, `${badNode}: node: expected a name of letters, digits, ".", "_" or "-" (starting with a letter or digit, at most 253), like "eu-1", got "eu/1"\n`);
  assert.equal(target.requests.length, 0, "nothing was checked");
});

test("the node: flag over CHECKUP_NODE over \"node\" over the host name; printed, in --json and the User-Agent", async () => {
  const target = await startHttpServer((_req, res) => res.end("ok"));
  const config = await writeConfig({ node: "from-config", checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: target.url }] });
  const nodeOf = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const run = await runCli(["-c", config, "--json", ...args], { env });
    assert.equal(run.code, 0, run.stderr);
    return parseResults(run.stdout)[0]!.node;
  };
  assert.equal(await nodeOf(["--node", "flag-1"], { CHECKUP_NODE: "env-1" }), "flag-1");
  assert.equal(await nodeOf([], { CHECKUP_NODE: "env-1" }), "env-1");
  assert.equal(await nodeOf([]), "from-config");
  assert.deepEqual(target.requests.map((r) => r.headers["user-agent"]?.replace(/^checkup\/\S+ /, "")),
    ["(node flag-1)", "(node env-1)", "(node from-config)"]);

  const plain = await runCli(["-c", config, "--node", "eu-1"]);
  assert.match(plain.stdout, /^ {7}Node: eu-1$/m);
  const untitled = await writeConfig({ checkers: [{ type: "http", endpoint_url: target.url }] });
  const host = await runCli(["-c", untitled, "--json"], { env: { CHECKUP_NODE: "" } });
  assert.equal(parseResults(host.stdout)[0]!.node, (await import("node:os")).hostname());
});

test("a target failing only for node eu-1: each node stores its own view; /api/status and /api/checks/{title} show each and the combined verdict", async () => {
  const target = await startHttpServer((req, res) => {
    res.statusCode = /\(node eu-1\)/.test(req.headers["user-agent"] ?? "") ? 503 : 200;
    res.end();
  });
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({
    checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: target.url }],
    storage: { type: "fs", dir },
  });
  // eu-1 stores last: the newest result says down, the verdict of the three does not.
  for (const node of ["eu-2", "us-1", "eu-1"]) {
    const run = await runCli(["-c", config, "--node", node, "--store"]);
    assert.equal(run.code, 0, run.stderr);
  }
  const rounds = (await readdir(dir)).filter((f) => f.endsWith("-check.json")).sort();
  const stored = await Promise.all(rounds.map(async (f) => parseResults(await readFile(path.join(dir, f), "utf8"))[0]!));
  assert.deepEqual(stored.map((r) => [r.node, r.down ?? false, r.healthy ?? false]), [["eu-2", false, true], ["us-1", false, true], ["eu-1", true, false]]);

  const checkup = await Checkup.load(config, { node: "serve-1" });
  const reader = checkup.storage && isStorageReader(checkup.storage) ? checkup.storage : undefined;
  const running = await startServer({ checkers: checkup.checkers, reader, listen: "127.0.0.1:0", node: checkup.node, warn: () => undefined });
  try {
    const status = await (await fetch(`http://127.0.0.1:${running.port}/api/status`)).json() as
      { status: string; checks: { title: string; node: string; status: string; nodes: { node: string; status: string }[] }[] };
    assert.equal(status.checks.length, 1, "one check, however many nodes ran it");
    const [web] = status.checks;
    assert.equal(web!.node, "eu-1", "the newest view is the last node's");
    assert.deepEqual(web!.nodes.map((v) => [v.node, v.status]), [["eu-1", "down"], ["eu-2", "healthy"], ["us-1", "healthy"]]);
    assert.equal(web!.status, "healthy", "two of three see it healthy: the combined verdict, as the page shows it");
    assert.equal(status.status, "healthy");
    const live = await (await fetch(`http://127.0.0.1:${running.port}/api/checks/Web`)).json() as { node: string; stored: unknown };
    assert.equal(live.node, "serve-1", "a live check is this server's own view");
    assert.deepEqual(live.stored, { status: web!.status, nodes: web!.nodes }, "and says what the nodes stored, as /api/status");
  } finally {
    await running.close(100);
    await checkup.close();
  }
});
