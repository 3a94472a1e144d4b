import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { Report, Scope } from "../../lib/config/fields.js";
import githubType, { type GithubOptions, type GithubStorage } from "../../lib/storage/github.js";
import { runCli } from "../helpers/cli.js";
import { blobSha, startFakeGithub, type FakeGithub } from "../helpers/github-fake.js";
import { COMPAT } from "../helpers/paths.js";
import { writeConfig } from "../helpers/tmp.js";
import { storageContract } from "./contract.js";

const TOKEN = "ghp_test0000000000000000000000000000secret";
const repo = { owner: "tobru", repo: "fwu-pos-statuspage", token: TOKEN };

const options = (fake: FakeGithub, o: Partial<GithubOptions> = {}): GithubOptions => ({
  accessToken: TOKEN, owner: repo.owner, repo: repo.repo, branch: "gh-pages", committerName: "Checkup on PoS",
  committerEmail: "pos@example.ch", commitMessageSuffix: "[ci skip]", baseUrl: fake.baseUrl, dir: "updates",
  checkExpiry: 0, summaries: false, ...o,
});
const open = async (fake: FakeGithub, o: Partial<GithubOptions> = {}) => (await githubType.create(options(fake, o))) as GithubStorage;

const round = (title: string) => [{ title, timestamp: 1718000000123456789n, times: [{ rtt: 1 }], healthy: true }];
const b64 = (text: string) => Buffer.from(text).toString("base64");
const brief = (r: FakeGithub["requests"][number]) => `${r.method} ${r.path} ${r.status}`;

test("github: a store is the two commits checkup makes: the check file, then index.json", async (t) => {
  const logged = t.mock.method(console, "error");
  const fake = await startFakeGithub(repo);
  const storage = await open(fake);
  const name = await storage.store(round("a"), 1718000000987654321n);
  assert.equal(name, "1718000000987654321-check.json");
  const check = '[{"title":"a","timestamp":1718000000123456789,"times":[{"rtt":1}],"healthy":true}]';
  assert.deepEqual(fake.requests.map(brief), [
    `PUT contents/updates/${name} 201`,
    "GET contents/updates/index.json 404",
    "PUT contents/updates/index.json 201",
  ]);
  const committer = { name: "Checkup on PoS", email: "pos@example.ch" };
  assert.deepEqual(fake.requests[0]!.body, {
    message: `[checkup] store updates/${name} [ci skip]`, content: b64(check), branch: "gh-pages", committer,
  });
  assert.deepEqual(fake.requests[1]!.query, { ref: "gh-pages" });
  const index = fake.files.get("updates/index.json")!;
  assert.match(index, /^\{"1718000000987654321-check\.json":\d{19}\}$/);
  assert.deepEqual(fake.requests[2]!.body, {
    message: "[checkup] store updates/index.json [ci skip]", content: b64(index), branch: "gh-pages", committer,
  });
  assert.ok(fake.requests.every((r) => r.authorization === `token ${TOKEN}`));

  // The next store updates index.json at the sha it read.
  const second = await storage.store(round("b"), 1718000001000000000n);
  const update = fake.requests.at(-1)!;
  assert.equal(brief(update), "PUT contents/updates/index.json 200");
  assert.equal(update.body!.sha, blobSha(index));
  assert.deepEqual([...(await storage.index()).keys()], [name, second]);
  assert.equal(logged.mock.callCount(), 0, "the expected 404 is not logged");
});

test("github: commit_message_suffix and an empty dir, as checkup wrote them", async () => {
  const fake = await startFakeGithub(repo);
  const storage = await open(fake, { dir: "", commitMessageSuffix: " ", branch: "", committerName: "" });
  const name = await storage.store(round("a"), 1718000000987654321n);
  assert.deepEqual(fake.requests.map(brief), [`PUT contents/${name} 201`, "GET contents/index.json 404", "PUT contents/index.json 201"]);
  assert.deepEqual(fake.requests[0]!.body, { message: `[checkup] store ${name}`, content: fake.requests[0]!.body!.content });
  assert.deepEqual(fake.requests[1]!.query, {});
});

test("github: reads a repository checkup wrote, through index.json", async () => {
  const fake = await startFakeGithub(repo);
  fake.files.set("updates/index.json", '{"1533485310451449272-check.json":1533485310452963611}');
  fake.files.set("updates/1533485310451449272-check.json", '[{"title":"Odoo","endpoint":"http://10.5.0.2:8069","timestamp":1533485310451000000,"times":[{"rtt":5}],"down":true}]');
  const storage = await open(fake);
  assert.deepEqual([...(await storage.index())], [["1533485310451449272-check.json", 1533485310452963611n]]);
  assert.deepEqual(await storage.fetch("1533485310451449272-check.json"),
    [{ title: "Odoo", endpoint: "http://10.5.0.2:8069", timestamp: 1533485310451000000n, times: [{ rtt: 5 }], down: true }]);
  await assert.rejects(storage.fetch("../README.md"), /invalid check file name/);
  await assert.rejects(storage.fetch("1-check.json"), /^Error: github GET tobru\/fwu-pos-statuspage\/updates\/1-check\.json: no such check file$/);
});

test("github: files over 1 MB are read through the blob API", async () => {
  const fake = await startFakeGithub({ ...repo, largeFile: 100 });
  const entries = Array.from({ length: 10 }, (_, i) => `"${1718000000000000000n + BigInt(i)}-check.json":${1718000000000000000n + BigInt(i)}`);
  fake.files.set("updates/index.json", `{${entries.join(",")}}`);
  const storage = await open(fake);
  assert.equal((await storage.index()).size, 10);
  assert.deepEqual(fake.requests.map(brief), ["GET contents/updates/index.json 200", `GET git/blobs/${blobSha(fake.files.get("updates/index.json")!)} 200`]);
});

test("github: maintain deletes expired indexed files and really drops their index entries under a dir", async () => {
  const fake = await startFakeGithub(repo);
  const now = 1_800_000_000_000_000_000n;
  const hour = 3_600_000_000_000n;
  fake.files.set("updates/old-check.json", "[]");
  fake.files.set("updates/new-check.json", "[]");
  fake.files.set("updates/stray-check.json", "[]");
  fake.files.set("index.html", "<html>");
  fake.files.set("updates/index.json", `{"new-check.json":${now - 10n},"old-check.json":${now - 2n * hour}}`);
  const storage = await open(fake, { checkExpiry: Number(hour) });
  assert.deepEqual((await storage.maintain(now)).removed, ["old-check.json"]);
  const deletion = fake.requests.find((r) => r.method === "DELETE")!;
  assert.deepEqual({ path: deletion.path, body: deletion.body }, {
    path: "contents/updates/old-check.json",
    body: { message: "[checkup] delete updates/old-check.json [ci skip]", sha: blobSha("[]"), branch: "gh-pages",
      committer: { name: "Checkup on PoS", email: "pos@example.ch" } },
  });
  assert.deepEqual([...fake.files.keys()].sort(), ["index.html", "updates/index.json", "updates/new-check.json", "updates/stray-check.json"]);
  assert.equal(fake.files.get("updates/index.json"), `{"new-check.json":${now - 10n}}`);
  assert.deepEqual((await storage.maintain(now)).removed, [], "a second run finds nothing left over");
});

test("github: a writer that changes index.json between our read and write loses nothing", async () => {
  const fake = await startFakeGithub(repo);
  const storage = await open(fake);
  let raced = false;
  fake.before = (req) => {
    if (raced || req.method !== "PUT" || req.path !== "contents/updates/index.json") return;
    raced = true; // another node commits its own round first
    fake.files.set("updates/index.json", '{"1718000000000000001-check.json":1718000000000000002}');
  };
  const name = await storage.store(round("a"), 1718000000987654321n);
  assert.deepEqual(fake.requests.map((r) => r.status), [201, 404, 422, 200, 200]);
  assert.deepEqual([...(await storage.index()).keys()].sort(), ["1718000000000000001-check.json", name]);
});

test("github: two processes storing at once, with summaries, lose no round", async () => {
  const fake = await startFakeGithub(repo);
  const [a, b] = [await open(fake, { summaries: true }), await open(fake, { summaries: true })];
  const at = 1718000000000000000n;
  const names = await Promise.all([
    ...Array.from({ length: 4 }, (_, i) => a.store(round(`a${i}`), at + BigInt(i))),
    ...Array.from({ length: 4 }, (_, i) => b.store(round(`b${i}`), at + BigInt(i))),
  ]);
  assert.equal(new Set(names).size, 8);
  assert.deepEqual([...(await a.index()).keys()].sort(), [...names].sort());
  const day = JSON.parse(fake.files.get("updates/summaries/2024-06-10.json")!) as { files: string[] };
  assert.deepEqual(day.files, [...names].sort());
  const summaryIndex = JSON.parse(fake.files.get("updates/summaries/index.json")!) as { days: Record<string, { runs: number }> };
  assert.equal(summaryIndex.days["2024-06-10"]!.runs, 8);
});

test("github: index.json says the store keeps summaries, committed once after the summaries index exists", async () => {
  const fake = await startFakeGithub(repo);
  const storage = await open(fake, { summaries: true });
  const name = await storage.store(round("a"), 1718000000987654321n);
  const puts = fake.requests.filter((r) => r.method === "PUT").map((r) => r.path);
  assert.ok(puts.indexOf("contents/updates/summaries/index.json") < puts.lastIndexOf("contents/updates/index.json"));
  assert.match(fake.files.get("updates/index.json")!, new RegExp(`^\\{"${name}":\\d{19},"summaries/index\\.json":1\\}$`));
  assert.deepEqual([...(await storage.index()).keys()], [name]);
  const before = fake.requests.filter((r) => r.path === "contents/updates/index.json" && r.method === "PUT").length;
  await storage.store(round("a"), 1718000000987654322n);
  assert.equal(fake.requests.filter((r) => r.path === "contents/updates/index.json" && r.method === "PUT").length, before + 1, "one index commit per round, as before");
});

test("github: a bad token fails with the fix and without the token", async () => {
  const fake = await startFakeGithub(repo);
  const storage = await open(fake, { accessToken: "ghp_wrong-token-do-not-print" });
  const error = await storage.store(round("a")).then(() => undefined, (e: Error) => e);
  assert.match(String(error?.message), /^github PUT tobru\/fwu-pos-statuspage\/updates\/\d+-check\.json: HTTP 401: Bad credentials.* \(check storage\.access_token\)$/);
  assert.ok(!String(error?.message).includes("do-not-print") && !String(error?.stack).includes("do-not-print"));
});

test("github: parse reads checkup's fields, and access_token is required", () => {
  const report = new Report();
  const parsed = githubType.parse({ type: "github", repository_owner: "o", repository_name: "r", dir: "/updates/", check_expiry: "7d" },
    new Scope(report, "storage"));
  assert.deepEqual(parsed, {
    accessToken: "", owner: "o", repo: "r", committerName: "", committerEmail: "", branch: "", dir: "updates",
    checkExpiry: 604_800_000_000_000, commitMessageSuffix: "[ci skip]", baseUrl: "", summaries: true,
  });
  assert.deepEqual(report.problems.map((p) => p.path), ["storage.access_token"]);
  assert.match(report.problems[0]!.message, /^Please specify access_token in storage configuration: a GitHub token/);
});

test("github: the CLI refuses a config without access_token, naming the path", async () => {
  const config = await writeConfig({ checkers: [], storage: { type: "github", repository_owner: "o", repository_name: "r" } });
  const run = await runCli(["-c", config, "validate"]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /checkup\.json: storage\.access_token: Please specify access_token in storage configuration/);
});

test("github: tobru's checkup 1.x config (\"provider\": \"github\") validates unchanged", async () => {
  const file = path.join(COMPAT, "configs", "tobru__odoo-pos-distribution__checkup.json.example.json");
  const run = await runCli(["-c", file, "validate"]);
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stdout + run.stderr, /HIDDEN/);
});

test("github: checkup --store through the CLI, with checkup 1.x's \"provider\" key", async () => {
  const fake = await startFakeGithub(repo);
  const config = await writeConfig({
    checkers: [{ type: "tcp", endpoint_name: "closed", endpoint_url: "127.0.0.1:9" }],
    storage: { provider: "github", access_token: TOKEN, repository_owner: repo.owner, repository_name: repo.repo,
      branch: "gh-pages", dir: "updates", base_url: fake.baseUrl, summaries: false },
  });
  const run = await runCli(["-c", config, "--store"], { env: { XDG_STATE_HOME: path.dirname(config) } });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.path.replace(/\d{19}/, "<ns>")} ${r.status}`), [
    "PUT contents/updates/<ns>-check.json 201", "GET contents/updates/index.json 404", "PUT contents/updates/index.json 201",
  ]);
  assert.match(String(fake.requests[0]!.body!.message), /^\[checkup\] store updates\/\d{19}-check\.json \[ci skip\]$/);
});

const contractFake = await startFakeGithub(repo);
let dirs = 0;
storageContract("github", { create: async (checkExpiry) => open(contractFake, { dir: `contract/${++dirs}`, checkExpiry }) });
