/** `checkup summarize`: a Go-written store gets the summaries that make the status page fast. */
import assert from "node:assert/strict";
import { cp, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { runCli } from "../helpers/cli.js";
import { COMPAT } from "../helpers/paths.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

interface SummaryIndex { days: Record<string, { runs: number }> }

test("summarize: a Go-written fs store gets summaries for all 299 rounds, and a second run changes nothing", async () => {
  const dir = path.join(await tmpDir(), "updates");
  await cp(path.join(COMPAT, "stores", "tobru__fwu-pos-statuspage"), dir, { recursive: true });
  const config = await writeConfig({ checkers: [], storage: { type: "fs", dir } });

  const first = await runCli(["-c", config, "summarize"]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, "Summaries cover 299 stored rounds\n");
  const index = JSON.parse(await readFile(path.join(dir, "summaries", "index.json"), "utf8")) as SummaryIndex;
  assert.deepEqual(Object.keys(index.days).sort(), ["2018-08-05", "2018-08-06", "2018-08-07"]);
  assert.equal(Object.values(index.days).reduce((n, d) => n + d.runs, 0), 299);

  const again = await runCli(["-c", config, "summarize"]);
  assert.equal(again.code, 0, again.stderr);
  const after = JSON.parse(await readFile(path.join(dir, "summaries", "index.json"), "utf8")) as SummaryIndex;
  assert.deepEqual(after.days, index.days);
});

test("summarize: a storage without summaries is a usage error", async () => {
  const config = await writeConfig({ checkers: [], storage: { type: "appinsights", instrumentation_key: "k" } });
  const run = await runCli(["-c", config, "summarize"]);
  assert.equal(run.code, 2);
  assert.equal(run.stderr, "checkup: storage appinsights keeps no status page summaries\n");
});
