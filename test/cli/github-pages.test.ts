/**
 * `checkup init --github-pages` end to end: the workflow it writes is run step by step as a GitHub
 * runner would, against the local stand-in for GitHub's contents API, and the site it publishes is
 * opened in chromium. `uses:` steps (checkout, setup-node, the Pages upload) are GitHub's own and
 * are not run; of the `run:` steps, only npm and git are stood in for (see the shims).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { PACKAGE } from "../../lib/package-info.js";
import { launchChromium } from "../helpers/browser.js";
import { CLI, runCli } from "../helpers/cli.js";
import { startFakeGithub, type FakeGithub } from "../helpers/github-fake.js";
import { startHttpServer } from "../helpers/http-server.js";
import { tmpDir } from "../helpers/tmp.js";

interface Step { name?: string; run?: string; uses?: string; env?: Record<string, string> }

/** `checkup` is the built CLI; `npm install` is a no-op that checks what it was asked; `git pull` copies the fake's branch. */
async function shims(bin: string, remote: string): Promise<void> {
  await mkdir(bin, { recursive: true });
  const scripts: Record<string, string> = {
    checkup: `exec "${process.execPath}" "${CLI}" "$@"`,
    npm: `[ "$*" = "install --global --no-audit --no-fund ${PACKAGE.name}@${PACKAGE.version}" ] || { echo "unexpected npm $*" >&2; exit 9; }`,
    git: `[ "$1 $2 $3" = "pull --ff-only origin" ] || { echo "unexpected git $*" >&2; exit 9; }; cp -R "${remote}/." .`,
  };
  for (const [name, body] of Object.entries(scripts)) {
    await writeFile(path.join(bin, name), `#!/bin/sh\n${body}\n`);
    await chmod(path.join(bin, name), 0o755);
  }
}

/** The branch as `git pull` would bring it: every file the fake holds. */
async function dumpBranch(fake: FakeGithub, into: string): Promise<void> {
  for (const [file, text] of fake.files) {
    await mkdir(path.dirname(path.join(into, file)), { recursive: true });
    await writeFile(path.join(into, file), text);
  }
}

function runStep(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-e", "-c", script], { cwd, env });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (out += d));
    child.once("close", (code) => resolve({ code, out }));
  });
}

/** A plain static host for the site folder, as GitHub Pages serves it. */
async function serveSite(dir: string): Promise<{ url: string; close: () => void }> {
  const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml" };
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = path.join(dir, p.endsWith("/") ? `${p}index.html` : p);
    readFile(file).then((body) => res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" }).end(body),
      () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

test("init --github-pages: the workflow's steps store into the repository and publish a page that shows the checks", async () => {
  const target = await startHttpServer((_req, res) => res.end("ok"));
  const fake = await startFakeGithub({ owner: "octo", repo: "status", token: "ghs_test" });
  const repo = await tmpDir();
  const made = await runCli(["-c", path.join(repo, "checkup.json"), "init", "--github-pages", `${target.url}/health`]);
  assert.equal(made.code, 0, made.stderr);

  const workflow = parse(await readFile(path.join(repo, ".github", "workflows", "checkup.yml"), "utf8")) as {
    on: { schedule: { cron: string }[] }; permissions: Record<string, string>; jobs: { status: { steps: Step[] } };
  };
  assert.deepEqual(workflow.on.schedule, [{ cron: "*/10 * * * *" }]);
  assert.deepEqual(workflow.permissions, { contents: "write", pages: "write", "id-token": "write" });
  const steps = workflow.jobs.status.steps;
  assert.deepEqual(steps.filter((s) => s.uses).map((s) => s.uses),
    ["actions/checkout@v4", "actions/setup-node@v4", "actions/upload-pages-artifact@v3", "actions/deploy-pages@v4"]);

  const bin = path.join(await tmpDir(), "bin");
  const remote = await tmpDir();
  await shims(bin, remote);
  // What a runner sets, and what the workflow's ${{ }} expressions become.
  const runner = { GITHUB_API_URL: fake.baseUrl, GITHUB_REPOSITORY_OWNER: "octo", GITHUB_REF_NAME: "main", NO_COLOR: "1" };
  const expressions: Record<string, string> = { "secrets.GITHUB_TOKEN": "ghs_test", "github.event.repository.name": "status" };
  for (const step of steps.filter((s) => s.run)) {
    const env: NodeJS.ProcessEnv = { ...process.env, ...runner, PATH: `${bin}:${process.env.PATH}` };
    for (const [key, value] of Object.entries(step.env ?? {})) {
      env[key] = value.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_all, name: string) => expressions[name] ?? assert.fail(`unknown expression ${name}`));
    }
    await dumpBranch(fake, remote);
    const { code, out } = await runStep(step.run!, repo, env);
    assert.equal(code, 0, `${step.name}: ${out}`);
  }

  const stored = [...fake.files.keys()];
  assert.ok(stored.includes("status/index.json"), stored.join());
  assert.equal(stored.filter((f) => /^status\/\d{19}-check\.json$/.test(f)).length, 1);
  assert.ok(!stored.some((f) => f.includes("ghs_test")) && ![...fake.files.values()].some((t) => t.includes("ghs_test")), "the token is never stored");
  const config = await readFile(path.join(repo, "_site", "js", "config.js"), "utf8");
  // The published store has summaries: config.js says so, and the page reads them without asking first.
  assert.match(config, /"type": "fs",\n\s+"url": "data\/",\n\s+"summaries": true/);

  const site = await serveSite(path.join(repo, "_site"));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.waitForSelector("body[data-loaded]", { timeout: 20_000 });
    const cards = await page.$$eval("article.check", (els) => els.map((a) => [a.querySelector(".title")!.textContent, a.querySelector(".state")!.textContent!.trim()]));
    assert.equal(cards.length, 1);
    assert.equal(cards[0]![0], new URL(target.url).host);
    assert.match(cards[0]![1]!, /\bHealthy$/);
  } finally {
    await browser.close();
    site.close();
  }
});

test("init --github-pages refuses to overwrite either file and writes nothing then", async () => {
  const repo = await tmpDir();
  const workflow = path.join(repo, ".github", "workflows", "checkup.yml");
  await mkdir(path.dirname(workflow), { recursive: true });
  await writeFile(workflow, "mine\n");
  const run = await runCli(["-c", path.join(repo, "checkup.json"), "init", "--github-pages"]);
  assert.equal(run.code, 2);
  assert.equal(run.stderr, `checkup: ${workflow} already exists: edit it, or pass --force to replace it\n`);
  assert.equal(await readFile(workflow, "utf8"), "mine\n");
  await assert.rejects(readFile(path.join(repo, "checkup.json")), { code: "ENOENT" });
});
