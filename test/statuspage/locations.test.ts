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
import { FsStorage } from "../../lib/storage/fs.js";
import type { Result } from "../../lib/types.js";
import { CHROMIUM, launchChromium, seriousViolations } from "../helpers/browser.js";
import { pageConfig, startPageServer } from "../helpers/static-server.js";
import { tmpDir } from "../helpers/tmp.js";

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (bash test/setup/install-deps.sh installs it)`;
let browser: Browser;
before(async () => { if (!skip) browser = await launchChromium(); });
after(async () => { await browser?.close(); });

const NODES = ["eu-1", "eu-2", "us-1"] as const;
const STEP_NS = 120_000_000_000n;
const ROUNDS = 30;

/** What node i stores in round k: "API" (eu-1 sees it down in the newest 10 rounds) and, from us-1 only, "Search". */
function nodeRound(i: number, k: number, at: bigint): Result[] {
  const down = NODES[i] === "eu-1" && k < 10;
  const results: Result[] = [{
    title: "API", endpoint: "https://api.example.test/", timestamp: at - 200_000_000n, node: NODES[i],
    times: down ? [{ rtt: 3_000_000_000, error: "dial tcp 10.0.0.7:443: connection refused" }] : [{ rtt: (30 + 10 * i) * 1_000_000 }],
    ...(down ? { down: true } : { healthy: true }),
  }];
  if (NODES[i] === "us-1") results.push({ title: "Search", endpoint: "https://search.example.test/", timestamp: at - 100_000_000n, node: "us-1", times: [{ rtt: 90_000_000 }], healthy: true });
  return results;
}

async function writeThreeNodeStore(dir: string, now: bigint): Promise<void> {
  const nodes = NODES.map(() => new FsStorage({ dir, url: "", checkExpiry: 0 }));
  for (let k = ROUNDS - 1; k >= 0; k--) {
    for (let i = 0; i < NODES.length; i++) {
      const at = now - 60_000_000_000n - BigInt(k) * STEP_NS + BigInt(i) * 1_500_000_000n;
      await nodes[i]!.store(nodeRound(i, k, at), at);
    }
  }
}

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

test("page: location rows have no serious or critical accessibility violations (axe-core), light and dark", { skip }, async () => {
  const dir = await tmpDir();
  await writeThreeNodeStore(dir, BigInt(Date.now()) * 1_000_000n);
  const server = await startPageServer({ storeDir: dir, config: pageConfig({ type: "fs", url: "/data/" }) });
  after(() => server.close());
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  after(() => context.close());
  for (const dark of [false, true]) {
    const page = await context.newPage();
    if (dark) await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${server.url}/#24h`);
    await page.waitForSelector("body[data-loaded] .locations");
    assert.deepEqual(await seriousViolations(page), [], dark ? "dark" : "light");
    await page.close();
  }
});
