/**
 * checkup's own files keep working: real checkup.json files from public repositories validate, and
 * a store written by the Go checkup is extended without altering a digit of what it wrote.
 */
import assert from "node:assert/strict";
import { cp, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { notifierTypes } from "../../lib/notify/index.js";
import { runCli } from "../helpers/cli.js";
import { startHttpServer } from "../helpers/http-server.js";
import { COMPAT } from "../helpers/paths.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

const CONFIGS = path.join(COMPAT, "configs");
/** Third-party types checkup itself never knew: a clear error naming them is the right answer. */
const THIRD_PARTY: Record<string, string> = {
  "robinbode__checkup-kpnsms-module__examples__checkup.json":
    `notifier.name: unknown notifier type "kpnsms"; known: ${Object.keys(notifierTypes).join(", ")}`,
};

for (const name of await readdir(CONFIGS)) {
  test(`real config ${name} validates`, async () => {
    const file = path.join(CONFIGS, name);
    const run = await runCli(["-c", file, "validate"]);
    if (THIRD_PARTY[name]) {
      assert.equal(run.code, 2);
      assert.equal(run.stderr, `${file}: ${THIRD_PARTY[name]}\n`);
      return;
    }
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /: OK \(\d+ checkers?, storage \w+, \d+ notifiers?, node \S+\)\n$/);
  });
}

test("a Go-written fs store: new rounds are added, the Go entries keep their exact digits", async () => {
  const dir = path.join(await tmpDir(), "updates");
  await cp(path.join(COMPAT, "stores", "tobru__fwu-pos-statuspage"), dir, { recursive: true });
  const before = await readFile(path.join(dir, "index.json"), "utf8");
  const goEntries = [...before.matchAll(/"(\d{19}-check\.json)":(\d+)/g)].map((m) => `"${m[1]}":${m[2]}`);
  assert.equal(goEntries.length, 299);

  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const config = await writeConfig({ checkers: [{ type: "http", endpoint_name: "PoS", endpoint_url: ok.url }], storage: { type: "fs", dir } });
  const run = await runCli(["-c", config, "--store"]);
  assert.equal(run.code, 0, run.stderr);

  const after = await readFile(path.join(dir, "index.json"), "utf8");
  for (const entry of goEntries) assert.ok(after.includes(entry), entry);
  const files = (await readdir(dir)).filter((f) => f.endsWith("-check.json"));
  assert.equal(files.length, 300);
  assert.equal([...after.matchAll(/-check\.json"/g)].length, 300);
});
