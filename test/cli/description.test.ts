/** A check's `description` (poucave's): stored with its results, in the summaries, listed by /api/checks and shown on the page. */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { launchChromium } from "../helpers/browser.js";
import { runCli, startServe } from "../helpers/cli.js";
import { startHttpServer } from "../helpers/http-server.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

const TEXT = "Card payments at checkout <b>not bold</b>";

test("description: stored, summarized, listed by /api/checks and shown under the title as text", async () => {
  const ok = await startHttpServer((_req, res) => res.end("ok"));
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({
    checkers: [{ type: "http", endpoint_name: "Payments", endpoint_url: ok.url, description: TEXT }, { type: "http", endpoint_name: "Plain", endpoint_url: ok.url }],
    storage: { type: "fs", dir },
  });
  assert.equal((await runCli(["-c", config, "--store"])).code, 0);
  const [file] = (await readdir(dir)).filter((f) => f.endsWith("-check.json"));
  const stored = JSON.parse(await readFile(path.join(dir, file!), "utf8")) as { title: string; description?: string }[];
  assert.deepEqual(stored.map((r) => [r.title, r.description]), [["Payments", TEXT], ["Plain", undefined]]);
  const days = (await readdir(path.join(dir, "summaries"))).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f));
  const day = JSON.parse(await readFile(path.join(dir, "summaries", days[0]!), "utf8")) as { checks: { title: string; description?: string }[] };
  assert.equal(day.checks.find((c) => c.title === "Payments")!.description, TEXT);

  const served = await startServe(["-c", config, "serve", "--listen", "127.0.0.1:0"]);
  const browser = await launchChromium();
  try {
    const listed = await (await fetch(`${served.url}api/checks`)).json() as { checks: { name: string; description?: string }[] };
    assert.deepEqual(listed.checks.map((c) => [c.name, c.description]), [["Payments", TEXT], ["Plain", undefined]]);
    const page = await browser.newPage();
    await page.goto(served.url);
    await page.waitForSelector("body[data-loaded]", { timeout: 20_000 });
    const cards = await page.$$eval("article.check", (els) => els.map((a) => [a.querySelector(".title")!.textContent, a.querySelector(".description")?.textContent ?? null, a.querySelectorAll(".description b").length]));
    assert.deepEqual(cards.sort(), [["Payments", TEXT, 0], ["Plain", null, 0]]);
  } finally {
    await browser.close();
    served.child.kill("SIGTERM");
    await served.exited;
  }
});
