/// <reference lib="dom" />
/**
 * Locations on the status page, in headless chromium under the strict CSP: a store three nodes
 * write into (each its own fs storage on one folder, as three machines sharing it), one of which
 * sees a check down. The card shows the combined verdict, a row per location says what each saw.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { CHROMIUM, launchChromium, seriousViolations } from "../helpers/browser.js";
import { pageConfig, startPageServer } from "../helpers/static-server.js";
import { writeThreeNodeStore } from "../helpers/three-nodes.js";
import { tmpDir } from "../helpers/tmp.js";

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (bash test/setup/install-deps.sh installs it)`;
let browser: Browser;
before(async () => { if (!skip) browser = await launchChromium(); });
after(async () => { await browser?.close(); });

async function open(dir: string, hash: string): Promise<{ page: Page; errors: string[] }> {
  const server = await startPageServer({ storeDir: dir, config: pageConfig({ type: "fs", url: "/data/" }) });
  after(() => server.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  after(() => page.close());
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console: ${m.text()} ${m.location().url}`); });
  await page.goto(`${server.url}/${hash}`);
  await page.waitForSelector("body[data-loaded], #warning:not([hidden])", { timeout: 20_000 });
  return { page, errors };
}

const text = (els: Element[]) => els.map((e) => e.textContent!.replace(/\s+/g, " ").trim());

test("page: three nodes, one seeing the check down: the check is healthy, with a row per location and eu-1's row down", { skip }, async () => {
  const dir = await tmpDir();
  await writeThreeNodeStore(dir, BigInt(Date.now()) * 1_000_000n);
  // 24 h reads the runs days; 7 d the week file (hours, per node newest figures).
  for (const hash of ["#24h", "#7d"]) {
    const { page, errors } = await open(dir, hash);
    assert.deepEqual(errors.filter((e) => !/404 .*\/data\/summaries\/\d{4}-\d\d-\d\d\.json\?t=\d+$/.test(e)), [], hash);
    assert.equal(await page.isVisible("#warning"), false, hash);
    assert.equal(await page.textContent(".overall-text"), "Situation Normal", hash);
    const api = "article.check[data-key='API']";
    assert.equal((await page.textContent(`${api} .state`))!.trim(), "✓ Healthy", hash);
    assert.equal(await page.textContent(`${api} .uptime strong`), "100.0%", `${hash}: uptime from the verdict, not from eu-1's runs`);
    assert.deepEqual(await page.$$eval(`${api} .bars .bar`, (rs) => [...new Set(rs.map((r) => r.getAttribute("class")))].filter((c) => c !== "bar none")), ["bar healthy"], hash);
    const rows = await page.$$eval(`${api} .locations .location`, (ls) => ls.map((l) => [(l as HTMLElement).dataset.node, l.className]));
    assert.deepEqual(rows, [["eu-1", "location down"], ["eu-2", "location healthy"], ["us-1", "location healthy"]], hash);
    const [eu1, eu2, us1] = await page.$$eval(`${api} .locations .location`, text);
    assert.match(eu1!, /^eu-1 ✕ Down 3000ms (just now|\d+ s ago|\d+ min ago): dial tcp 10\.0\.0\.7:443: connection refused$/, hash);
    assert.match(eu2!, /^eu-2 ✓ Healthy 40ms (just now|\d+ s ago|\d+ min ago)$/, hash);
    assert.match(us1!, /^us-1 ✓ Healthy 50ms (just now|\d+ s ago|\d+ min ago)$/, hash);
    assert.equal(await page.getAttribute(`${api} .locations`, "aria-label"), "Locations of API");
    // One node, one view: the card looks as it always did.
    assert.equal(await page.$$eval("article.check[data-key='Search'] .locations", (l) => l.length), 0, hash);
    assert.equal(await page.$$eval(`${api} .event`, (e) => e.length), 1, `${hash}: eu-1's outage is no event of the check`);
  }
});

/** 404s the page answers itself: a day without a runs file; with no summaries at all, every summary file. */
const expected404 = (summaries: boolean) => (e: string) =>
  !(summaries ? /404 .*\/data\/summaries\/\d{4}-\d\d-\d\d\.json\?t=\d+$/ : /404 .*\/data\/summaries\//).test(e);

test("page: the quorum rule the results carry decides, not a majority: with down 1 of 3, eu-1 alone makes the check down", { skip }, async () => {
  for (const summaries of [true, false]) {
    const dir = await tmpDir();
    await writeThreeNodeStore(dir, BigInt(Date.now()) * 1_000_000n, { quorum: { down: 1, of: 3, window: 300_000_000_000 }, summaries });
    // Without summaries the page reads check files only; 7 d reads the week file.
    for (const hash of summaries ? ["#24h", "#7d"] : ["#24h"]) {
      const label = `${hash}${summaries ? "" : ", check files only"}`;
      const { page, errors } = await open(dir, hash);
      assert.deepEqual(errors.filter(expected404(summaries)), [], label);
      const api = "article.check[data-key='API']";
      assert.equal((await page.textContent(`${api} .state`))!.trim(), "✕ Down", label);
      assert.notEqual(await page.textContent(".overall-text"), "Situation Normal", label);
      assert.equal(await page.textContent(`${api} .uptime strong`), "66.6%", `${label}: 10 of 30 rounds down by the rule`);
      const rows = await page.$$eval(`${api} .locations .location`, (ls) => ls.map((l) => l.className));
      assert.deepEqual(rows, ["location down", "location healthy", "location healthy"], `${label}: each row is that node's own view`);
      assert.equal(await page.$$eval(`${api} .reporting`, (r) => r.length), 0, `${label}: all three report`);
    }
  }
});

test("page: a node that stopped reporting is a stale row, in words, and the verdict says how many of its nodes report", { skip }, async () => {
  const dir = await tmpDir();
  // us-1 stored nothing in the newest 6 rounds (12 min), past the 5 min window.
  await writeThreeNodeStore(dir, BigInt(Date.now()) * 1_000_000n, { quorum: { down: 2, of: 3, window: 300_000_000_000 }, stopped: { node: "us-1", rounds: 6 } });
  for (const hash of ["#24h", "#7d"]) {
    const { page, errors } = await open(dir, hash);
    assert.deepEqual(errors.filter(expected404(true)), [], hash);
    const api = "article.check[data-key='API']";
    // Two of three count: eu-1 down and eu-2 healthy, and two must agree: healthy.
    assert.equal((await page.textContent(`${api} .state`))!.trim(), "✓ Healthy", hash);
    assert.equal(await page.textContent(`${api} .reporting`), "2 of 3 locations reporting", hash);
    const rows = await page.$$eval(`${api} .locations .location`, (ls) => ls.map((l) => [(l as HTMLElement).dataset.node, l.className]));
    assert.deepEqual(rows, [["eu-1", "location down"], ["eu-2", "location healthy"], ["us-1", "location stale"]], hash);
    const us1 = (await page.$$eval(`${api} .locations .location[data-node='us-1']`, text))[0]!;
    assert.match(us1, /^us-1 – Stale no result for 1[34] min$/, `${hash}: no old status shown as if live`);
    // Search has no rule: us-1's last run stays its newest, nothing is partial.
    assert.equal(await page.$$eval("article.check[data-key='Search'] .reporting", (r) => r.length), 0, hash);
  }
});

test("page: location rows have no serious or critical accessibility violations (axe-core), light and dark", { skip }, async () => {
  const dir = await tmpDir();
  // Live and stale rows, and a partial verdict.
  await writeThreeNodeStore(dir, BigInt(Date.now()) * 1_000_000n, { quorum: { down: 2, of: 3, window: 300_000_000_000 }, stopped: { node: "us-1", rounds: 6 } });
  const server = await startPageServer({ storeDir: dir, config: pageConfig({ type: "fs", url: "/data/" }) });
  after(() => server.close());
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  after(() => context.close());
  for (const dark of [false, true]) {
    const page = await context.newPage();
    if (dark) await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${server.url}/#24h`);
    await page.waitForSelector("body[data-loaded] .locations .stale");
    assert.deepEqual(await seriousViolations(page), [], dark ? "dark" : "light");
    await page.close();
  }
});
