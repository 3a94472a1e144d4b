/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The status page end to end, in real headless chromium, against loopback servers with a strict
 * CSP: Go-written stores (the old way, one request per file), summary stores (few requests), the
 * api route, escaping and sanitizing, refresh, a load failure, and the README's screenshots.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { FsStorage } from "../../lib/storage/fs.js";
import { uptimePercent } from "../../lib/summary/day.js";
import { dayOf, summaryJson, weekOf, type SummaryIndex } from "../../lib/summary/format.js";
import { history } from "../../lib/summary/query.js";
import { CHROMIUM, launchChromium, seriousViolations } from "../helpers/browser.js";
import { API_TITLE, DB_TITLE, EXPECTED, fixtureRound, ROUNDS, STEP_NS, writeGoStyleStore, writeSummaryStore } from "../helpers/fixture-store.js";
import { COMPAT, REPO } from "../helpers/paths.js";
import { pageConfig, startPageServer, type PageServer, type PageServerOptions } from "../helpers/static-server.js";
import { demoWindow, writeDemoStore } from "../helpers/demo-store.js";
import { tmpDir } from "../helpers/tmp.js";

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (bash test/setup/install-deps.sh installs it)`;
let browser: Browser;
before(async () => { if (!skip) browser = await launchChromium(); });
after(async () => { await browser?.close(); });

const nowNs = () => BigInt(Date.now()) * 1_000_000n;
const dataRequests = (s: PageServer) => s.requests.filter((r) => r.startsWith("/data/") || r.startsWith("/api/"));

interface Opened { page: Page; server: PageServer; violations: string[]; errors: string[] }

async function open(opts: PageServerOptions, viewport = { width: 1280, height: 900 }, hash = ""): Promise<Opened> {
  const server = await startPageServer(opts);
  after(() => server.close());
  const page = await browser.newPage({ viewport });
  after(() => page.close());
  const violations: string[] = [];
  // Script errors and what the browser logs as errors (a failed request among them).
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console: ${m.text()} ${m.location().url}`); });
  await page.exposeFunction("__violation", (v: string) => violations.push(v));
  await page.addInitScript(() => document.addEventListener("securitypolicyviolation", (e) =>
    (window as unknown as { __violation(v: string): void }).__violation(`${e.violatedDirective} ${e.sourceFile}`)));
  await page.goto(`${server.url}/${hash}`);
  await page.waitForSelector("body[data-loaded], #warning:not([hidden])", { timeout: 20_000 });
  return { page, server, violations, errors };
}

/** What a reader sees of each check card. */
function cards(page: Page) {
  return page.$$eval("article.check", (els) => els.map((a) => ({
    title: a.querySelector(".title")!.textContent,
    endpoint: a.querySelector(".endpoint")!.textContent,
    status: a.querySelector(".state")!.textContent!.trim(),
    uptime: a.querySelector(".uptime strong")!.textContent,
    events: [...a.querySelectorAll(".event")].map((e) => [...e.childNodes].map((n) => n.textContent).join(" ").replace(/\s+/g, " ").trim()),
  })));
}

async function assertStory(o: Opened) {
  const { page } = o;
  // The sanitizer's inert parse of the hostile message is reported (blocked, never run), as below.
  assert.deepEqual(o.errors.filter((e) => !/status of 404/.test(e) && !/inline event handler .*\/js\/vendor\/purify\.min\.js$/.test(e)), []);
  assert.equal(await page.isVisible("#warning") ? await page.textContent("#warning") : "", "");
  assert.equal(await page.textContent(".overall-text"), "Service Disruption");
  assert.equal(await page.getAttribute("#favicon", "href"), "images/status-down.svg");
  const byTitle = Object.fromEntries((await cards(page)).map((c) => [c.title, c]));
  assert.deepEqual(Object.keys(byTitle).sort(), [API_TITLE, DB_TITLE, "Search"].sort(), "titles shown as text, markup and all");
  assert.equal(byTitle[API_TITLE]!.uptime, EXPECTED.api.uptime);
  assert.equal(byTitle[DB_TITLE]!.uptime, EXPECTED.db.uptime);
  assert.equal(byTitle.Search!.uptime, EXPECTED.search.uptime);
  assert.equal(byTitle.Search!.status, "✕ Down");
  assert.equal(byTitle[API_TITLE]!.status, "✓ Healthy");
  assert.equal(byTitle[API_TITLE]!.endpoint, "https://api.example.test/health?a=1&b=<2>");
  const api = byTitle[API_TITLE]!.events;
  assert.equal(api.length, EXPECTED.api.events);
  assert.match(api[0]!, /^✎ Message 5\d min ago Deploying v2, see notes\. click ?rollback$/);
  assert.match(api[1]!, /^✓ Healthy 3 h ago API <b>v1<\/b> is healthy$/);
  assert.match(api[2]!, /^✕ Down 4 h ago API <b>v1<\/b> is down: Get "https:\/\/api.example.test": context deadline exceeded$/);
  assert.match(byTitle[DB_TITLE]!.events[1]!, /is degraded: median RTT 900ms exceeds threshold 500ms$/);
  assert.match(await page.textContent("#info") ?? "", /^3 checks, 48 runs each in the last 24 hours · Last check (1 min|\d+ s) ago$/);
  // The message kept its link and emphasis; nothing executable survived.
  const message = await page.$eval(".message-body", (m) => ({
    links: [...m.querySelectorAll("a")].map((a) => a.getAttribute("href")),
    tags: [...m.querySelectorAll("*")].map((e) => e.tagName.toLowerCase()).sort(),
    handlers: [...m.querySelectorAll("*")].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith("on")),
  }));
  assert.deepEqual(message.links, ["https://example.test/notes", null]);
  assert.deepEqual(message.tags, ["a", "a", "b", "code"]);
  assert.deepEqual(message.handlers, []);
  assert.equal(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss), undefined);
  assert.equal(await page.$$eval("article.check img, article.check script", (e) => e.length), 0);
  // Only the sanitizer's inert parse of the hostile message is reported (blocked, never run).
  assert.deepEqual(o.violations.filter((v) => !/^script-src-attr .*\/js\/vendor\/purify\.min\.js$/.test(v)), []);
}

test("page: a Go-written store loads the old way, one request per check file, and nothing 404s", { skip }, async () => {
  const dir = await tmpDir();
  await writeGoStyleStore(dir, nowNs());
  const o = await open({ storeDir: dir, config: pageConfig({ type: "fs", url: "/data/" }) });
  await assertStory(o);
  // index.json has no summaries entry: no summary file is asked for (each would be a logged 404).
  assert.deepEqual(o.errors.filter((e) => /404/.test(e)), []);
  const data = dataRequests(o.server);
  assert.match(data[0]!, /^\/data\/index\.json\?t=\d+$/);
  assert.equal(data.filter((r) => r.endsWith("-check.json")).length, ROUNDS);
  assert.equal(data.length, ROUNDS + 1, "index.json once: what told about summaries lists the check files too");
});

/** The page's own files on a first load: no separate globals, chart, storage or logo files; rules.js is shared with lib. */
const PAGE_FILES = ["/", "/css/style.css", "/js/config.js", "/js/data.js", "/js/main.js", "/js/model.js", "/js/render.js", "/js/rules.js"];

test("page: a store with summaries loads a day in 13 requests in all (12 without a message) and refreshes only what is new", { skip }, async () => {
  const dir = await tmpDir();
  const now = nowNs();
  const fs = await writeSummaryStore(dir, now);
  // As `checkup page` writes it for a store with summaries.
  const o = await open({ storeDir: dir, config: pageConfig({ type: "fs", url: "/data/", summaries: true }, { refresh_interval: 1 }) });
  await assertStory(o);
  const data = dataRequests(o.server);
  // Today's and yesterday's day files, straight away: no index first.
  assert.deepEqual(data.map((r) => r.replace(/\d{4}-\d\d-\d\d/, "<day>").replace(/\?t=\d+$/, "")),
    ["/data/summaries/<day>.json", "/data/summaries/<day>.json"]);
  // Every request: the page's files, the favicon before and after loading, DOMPurify (this day
  // shows a message) and the data.
  // The favicon is fetched on its own schedule: wait for the second one before counting.
  for (let i = 0; i < 50 && !o.server.requests.includes("/images/status-down.svg"); i++) await new Promise((r) => setTimeout(r, 50));
  const all = [...o.server.requests];
  const others = all.filter((r) => !r.startsWith("/data/"));
  assert.deepEqual(others.filter((r) => !r.startsWith("/images/") && !r.includes("purify")).sort(), PAGE_FILES);
  assert.deepEqual(others.filter((r) => r.startsWith("/images/")).sort(), ["/images/status-down.svg", "/images/status-unknown.svg"]);
  assert.deepEqual(others.filter((r) => r.includes("purify")), ["/js/vendor/purify.min.js"]);
  assert.equal(all.length, 13, `all requests: ${all.join(" ")}`);
  // A new round (3 runs): the next refresh reads the index and that one check file, and shows it.
  const seen = o.server.requests.length;
  const at = now + 1_000_000n;
  const name = await fs.store(fixtureRound(0, at), at);
  await o.page.waitForFunction(() => /49 runs each/.test(document.getElementById("info")!.textContent!), undefined, { timeout: 10_000 });
  const fresh = o.server.requests.slice(seen).filter((r) => r.startsWith("/data/"));
  assert.ok(fresh.filter((r) => r.startsWith("/data/summaries/index.json")).length >= 1);
  assert.deepEqual(fresh.filter((r) => !r.startsWith("/data/summaries/index.json")), [`/data/${name}`]);
});

test("page: links the store's Atom feed (also for feed readers' discovery) and status.json", { skip }, async () => {
  const dir = await tmpDir();
  await writeSummaryStore(dir, nowNs());
  const { page } = await open({ storeDir: dir, config: pageConfig({ type: "fs", url: "/data/" }) });
  const links = await page.evaluate(async () => {
    const feed = document.querySelector<HTMLLinkElement>("link[rel=alternate][type='application/atom+xml']")!.href;
    const footer = [...document.querySelectorAll<HTMLAnchorElement>("footer a")].map((a) => [a.textContent, a.href]);
    const status = await (await fetch(footer[1]![1]!)).json();
    return { feed, footer, feedText: await (await fetch(feed)).text(), status: status.checks.map((c: { id: string }) => c.id) };
  });
  const origin = new URL(page.url()).origin;
  assert.equal(links.feed, `${origin}/data/summaries/feed.xml`);
  assert.deepEqual(links.footer, [["Atom feed", links.feed], ["status.json", `${origin}/data/summaries/status.json`]]);
  assert.match(links.feedText, /^<\?xml version="1\.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/);
  assert.deepEqual(links.status, [API_TITLE, DB_TITLE, "Search"]);
});

test("page: storage type api loads a Go-written store in one data request", { skip }, async () => {
  const dir = await tmpDir();
  await writeGoStyleStore(dir, nowNs());
  const reader = new FsStorage({ dir, url: "", checkExpiry: 0, summaries: false });
  const o = await open({
    storeDir: dir, config: pageConfig({ type: "api", url: "/api/" }),
    api: async (q) => summaryJson(await history(reader, BigInt(q.get("from") ?? "0"), BigInt(q.get("to") ?? nowNs()), q.get("res") === "hours" ? "hours" : "runs")),
  });
  await assertStory(o);
  const data = dataRequests(o.server);
  assert.equal(data.length, 1);
  assert.match(data[0]!, /^\/api\/history\?from=\d+&res=runs&t=\d+$/);
});

test("page: 7 days load week files, 30 days month files (the open day its hours), and show what older stores and the api show", { skip }, async () => {
  const dir = await tmpDir();
  const now = nowNs();
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  // 9 days, a round every 2 hours: two or three UTC weeks, one or two months.
  const twoHours = 12n * STEP_NS;
  for (let k = 107; k >= 0; k--) await fs.store(fixtureRound(k, now - 60_000_000_000n - BigInt(k) * twoHours), now - 60_000_000_000n - BigInt(k) * twoHours);
  const config = pageConfig({ type: "fs", url: "/data/" });
  const index = JSON.parse(await readFile(path.join(dir, "summaries", "index.json"), "utf8")) as SummaryIndex;
  const summaryFiles = (o: Opened) => {
    const data = dataRequests(o.server);
    // Asked first, without a 404: the store's index.json (its summaries entry), then the summaries index.
    assert.match(data[0]!, /^\/data\/index\.json\?t=\d+$/);
    assert.match(data[1]!, /^\/data\/summaries\/index\.json\?t=\d+$/);
    // The fixture's hostile message is parsed inertly by the sanitizer, which the CSP reports: nothing else.
    assert.deepEqual(o.errors.filter((e) => !/inline event handler .*\/js\/vendor\/purify\.min\.js$/.test(e)), []);
    return data.slice(2).map((r) => r.replace(/^\/data\/summaries\/|\?.*/g, "")).sort();
  };
  const week = await open({ storeDir: dir, config }, undefined, "#7d");
  const from = weekOf(dayOf(now - 7n * 86_400_000_000_000n));
  assert.deepEqual(summaryFiles(week), Object.keys(index.weeks!).filter((w) => w >= from).map((w) => `${w}.week.json`), "the weeks of the 7 days");
  const months = await open({ storeDir: dir, config }, undefined, "#30d");
  const newest = Object.keys(index.days).at(-1)!;
  assert.deepEqual(summaryFiles(months), [...Object.keys(index.months!).map((m) => `${m}.month.json`), `${newest}.hours.json`].sort(),
    "a file per month for its complete days, and the hours of the day rounds still join");
  const shown = await cards(months.page);
  assert.equal(shown.find((c) => c.title === "Search")!.status, "✕ Down");
  assert.match(shown.find((c) => c.title === "Search")!.events[0]!, /is down: response status 502 Bad Gateway$/);
  assert.match(await months.page.textContent("#info") ?? "", /^3 checks, 108 runs each in the last 30 days/);
  // The same store read through week files (a store from before month files), hours days (before week files) and the api.
  const { months: _, ...noMonths } = index;
  await writeFile(path.join(dir, "summaries", "index.json"), JSON.stringify(noMonths));
  const weeks = await open({ storeDir: dir, config }, undefined, "#30d");
  assert.ok(summaryFiles(weeks).every((f) => f.endsWith(".week.json")));
  const { weeks: __, ...noWeeks } = noMonths;
  await writeFile(path.join(dir, "summaries", "index.json"), JSON.stringify(noWeeks));
  const hours = await open({ storeDir: dir, config }, undefined, "#30d");
  assert.ok(summaryFiles(hours).every((f) => f.endsWith(".hours.json")));
  const api = await open({
    storeDir: dir, config: pageConfig({ type: "api", url: "/api/" }),
    api: async (q) => summaryJson(await history(fs, BigInt(q.get("from") ?? "0"), BigInt(q.get("to") ?? nowNs()), q.get("res") === "hours" ? "hours" : "runs")),
  }, undefined, "#30d");
  assert.deepEqual(await cards(weeks.page), shown);
  assert.deepEqual(await cards(hours.page), shown);
  assert.deepEqual(await cards(api.page), shown);
  assert.deepEqual(months.violations.filter((v) => !/^script-src-attr .*\/js\/vendor\/purify\.min\.js$/.test(v)), []);
});

test("page: the real Go store (tobru/fwu-pos-statuspage, 299 files) renders its checks and outages", { skip }, async () => {
  const dir = path.join(COMPAT, "stores", "tobru__fwu-pos-statuspage");
  const o = await open({ storeDir: dir, config: pageConfig({ type: "fs", url: "/data" }, { timeframe: "20 * 365 * time.Day" }) });
  // Not one console error: no summary file is asked for (a 404 is logged whatever the page does).
  assert.deepEqual(o.errors, []);
  // The oracle: lib/summary over the same files, independent of the page's code.
  const days = (await history(new FsStorage({ dir, url: "", checkExpiry: 0, summaries: false }), 0n, nowNs())).days;
  const expected = new Map<string, { up: number; n: number }>();
  for (const c of days.flatMap((d) => ("t" in (d.checks[0] ?? {}) ? d.checks : []) as { title: string; s: string }[])) {
    const e = expected.get(c.title) ?? { up: 0, n: 0 };
    e.n += c.s.length;
    e.up += [...c.s].filter((s) => s === "h" || s === "d").length;
    expected.set(c.title, e);
  }
  const shown = await cards(o.page);
  assert.deepEqual(shown.map((c) => c.title).sort(), ["Mikrotik Access Point", "Odoo", "PoS Tablet", "PosBox", "Printer 1", "Printer 2"]);
  for (const c of shown) assert.equal(c.uptime, `${uptimePercent(expected.get(c.title!)!.up, expected.get(c.title!)!.n)}%`, c.title!);
  const printer = shown.find((c) => c.title === "Printer 1")!;
  assert.equal(printer.endpoint, "192.168.233.3:80");
  assert.equal(printer.events.length, 2, "down in the first round, then healthy: newest first");
  assert.match(printer.events[0]!, /^✓ Healthy \d+ d ago Printer 1 is healthy$/);
  assert.match(printer.events[1]!, /^✕ Down \d+ d ago Printer 1 is down: dial tcp 192\.168\.233\.3:80: connect: no route to host$/);
  assert.equal(await o.page.textContent(".overall-text"), "Situation Normal");
  assert.equal(dataRequests(o.server).filter((r) => r.endsWith("-check.json")).length, 299);
  assert.deepEqual(o.violations, []);
});

test("page: two checks on one URL (one down) are two cards, from check files and from summaries", { skip }, async () => {
  for (const summaries of [false, true]) {
    const dir = await tmpDir();
    const fs = new FsStorage({ dir, url: "", checkExpiry: 0, summaries });
    const url = "https://shop.example.test/";
    for (let k = 3; k > 0; k--) {
      const at = nowNs() - BigInt(k) * STEP_NS;
      await fs.store([
        { title: "Shop", endpoint: url, timestamp: at, times: [{ rtt: 2_000_000 }], healthy: true },
        { title: "Shop checkout", endpoint: url, timestamp: at, times: [{ rtt: 2_000_000, error: "response does not contain 'Pay'" }], down: true },
      ], at);
    }
    const o = await open({ storeDir: dir, config: pageConfig({ type: "fs", url: "/data/" }) });
    const shown = (await cards(o.page)).map((c) => [c.title, c.endpoint, c.status, c.uptime]);
    assert.deepEqual(shown, [["Shop checkout", url, "✕ Down", "0.0%"], ["Shop", url, "✓ Healthy", "100.0%"]], `summaries: ${summaries}`);
    assert.equal(await o.page.textContent(".overall-text"), "Service Disruption");
  }
});

test("page: data that cannot be loaded shows a warning, not a grey 'Loading'", { skip }, async () => {
  const dir = await tmpDir();
  const o = await open({ storeDir: dir, config: pageConfig({ type: "fs", url: "/data/missing/" }) });
  assert.equal(await o.page.isVisible("#warning"), true);
  assert.match(await o.page.textContent("#warning") ?? "", /^Status data could not be loaded\. Could not load \/data\/missing\/index\.json: HTTP 404 \(no index\.json/);
  assert.equal(await o.page.textContent(".overall-text"), "Status Unknown");
  assert.equal(await o.page.getAttribute("body", "data-status"), "unknown");
});

test("page: no script from a message or a result runs on a host without CSP either", { skip }, async () => {
  const dir = await tmpDir();
  await writeSummaryStore(dir, nowNs(), 8);
  const o = await open({ storeDir: dir, config: pageConfig({ type: "fs", url: "/data/" }), csp: false });
  await o.page.click("a.endpoint >> nth=0", { trial: true });
  assert.equal(await o.page.evaluate(() => (window as unknown as { __xss?: string }).__xss), undefined);
  assert.equal(await o.page.$$eval("a[href^='javascript' i]", (a) => a.length), 0);
});

test("page: screenshots for the README (desktop, mobile, dark), from demo-like data", { skip }, async () => {
  const dir = await tmpDir();
  await writeDemoStore(dir, nowNs(), 90);
  // The README's pictures are rewritten only on request, so a test run leaves the tree clean.
  const shots = process.env.UPDATE_SCREENSHOTS ? path.join(REPO, "docs", "screenshots") : await tmpDir();
  await mkdir(shots, { recursive: true });
  const config = pageConfig({ type: "fs", url: "/data/" });
  const desktop = await open({ storeDir: dir, config }, { width: 1280, height: 900 }, "#90d");
  assert.deepEqual(desktop.errors, []);
  await desktop.page.screenshot({ path: path.join(shots, "desktop.png"), fullPage: true });
  const mobile = await open({ storeDir: dir, config }, { width: 390, height: 844 });
  await mobile.page.screenshot({ path: path.join(shots, "mobile.png"), fullPage: false });
  await mobile.page.emulateMedia({ colorScheme: "dark" });
  await mobile.page.screenshot({ path: path.join(shots, "mobile-dark.png"), fullPage: false });
  assert.equal(await mobile.page.$$eval("article.check", (a) => a.length), 5);
  // Cards stack in one column on a phone: nothing is wider than the screen.
  assert.ok(await mobile.page.evaluate(() => document.documentElement.scrollWidth <= 390));
});

test("page: 90 days of demo data: a bar per day with its figures, groups and the incident history", { skip }, async () => {
  const dir = await tmpDir();
  const now = nowNs();
  await writeDemoStore(dir, now, 90);
  const o = await open({ storeDir: dir, config: pageConfig({ type: "fs", url: "/data/" }) }, undefined, "#90d");
  assert.deepEqual(o.errors, []);
  const { page } = o;
  // Groups: the healthy one is collapsed, the one with a degraded check open; a section says its status in words.
  const groups = await page.$$eval("details.group", (ds) => ds.map((d) => [d.dataset.group, (d as HTMLDetailsElement).open, d.querySelector("summary .badge")!.textContent!.trim()]));
  assert.deepEqual(groups, [["Status page", false, "✓ Healthy"], ["This machine", true, "! Degraded"]]);
  await page.click("details[data-group='Status page'] > summary");
  assert.equal(await page.$eval("details[data-group='Status page']", (d) => (d as HTMLDetailsElement).open), true);
  // Bars: one per UTC day of the 90 days (91 days touched), coloured by the day's worst status.
  const api = "article.check[data-key='Status API heartbeat']";
  const classes = await page.$$eval(`${api} .bars .bar`, (rs) => rs.map((r) => r.getAttribute("class")));
  assert.equal(classes.length, 91);
  const day = new Date(Number(demoWindow(now, 3, 12, 30).start / 1_000_000n)).toISOString().slice(0, 10);
  const index = Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`)) / 86_400_000);
  assert.equal(classes[index], "bar down");
  assert.equal(classes.filter((c) => c === "bar down").length, 1);
  // The keyboard reaches the figures: focus shows the newest bar, arrows step.
  await page.focus(`${api} .bars-box`);
  assert.match((await page.textContent(`${api} .bar-tip strong`))!, /^\d{4}-\d\d-\d\d: Healthy, 100\.0% up, 0 min down$/);
  for (let i = 0; i < 90 - index; i++) await page.keyboard.press("ArrowLeft");
  assert.equal(await page.textContent(`${api} .bar-tip strong`), `${day}: Down, 97.9% up, 30 min down`);
  await page.keyboard.press("ArrowRight");
  assert.doesNotMatch((await page.textContent(`${api} .bar-tip strong`))!, /Down/);
  // Hovering that bar says it in words: date, uptime, downtime and the outage with its error.
  const box = (await page.$(`${api} .bars .bar[data-i='${index}']`))!;
  await box.hover();
  const tip = await page.$$eval(`${api} .bar-tip > *`, (ls) => ls.map((l) => l.textContent!));
  assert.equal(tip.length, 2);
  assert.equal(tip[0], `${day}: Down, 97.9% up, 30 min down`);
  assert.match(tip[1]!, /^Down 12:0\d–12:3\d UTC: response status 503 Service Unavailable$/);
  // The incident history: its own URL, newest first, by day, the message sanitized.
  await page.click("#incidents-link");
  await page.waitForSelector("#incidents:not([hidden]) .outage");
  assert.equal(await page.isVisible("#checks"), false);
  const outages = await page.$$eval(".incident-day", (ds) => ds.map((d) => [d.querySelector("h3")!.textContent,
    [...d.querySelectorAll(".outage")].map((li) => [...li.querySelectorAll("p, li")].map((n) => n.textContent).join(" ").replace(/\s+/g, " ").trim())] as [string, string[]]));
  assert.equal(outages.length, 3);
  assert.match(outages[0]![1][0]!, /^! Degraded Disk space \(warn above 90%\) \d\d:\d\d UTC – ongoing, \d+ min so far 91% used$/);
  assert.equal(outages[1]![0], day);
  assert.match(outages[1]![1][0]!, /^✕ Down Status API heartbeat 12:0\d UTC – 12:3\d UTC, 30 min response status 503 Service Unavailable Restarting the API after a bad deploy; see notes\.$/);
  assert.match(outages[2]![1][0]!, /^✕ Down Status page port 08:0\d UTC – 08:2\d UTC, 20 min dial tcp 127\.0\.0\.1:3000: connect: connection refused$/);
  assert.deepEqual(await page.$$eval(".outage-message a", (as) => as.map((a) => a.getAttribute("href"))), ["https://example.com/notes"]);
  assert.equal(page.url().endsWith("#incidents"), true);
  assert.equal(await page.getAttribute("#incidents-link", "aria-current"), "page");
});

test("page: 90 days read a file per month (the open day its hours) and show uptime per month; a store without month files shows the same", { skip }, async () => {
  const dir = await tmpDir();
  const now = nowNs();
  await writeDemoStore(dir, now, 90);
  const config = pageConfig({ type: "fs", url: "/data/" });
  const index = JSON.parse(await readFile(path.join(dir, "summaries", "index.json"), "utf8")) as SummaryIndex;
  // The oracle: every demo round's month (a round every 10 minutes, the newest a minute ago), and the API's 3 down runs.
  const perMonth = new Map<string, number>();
  for (let k = 0; k < 90 * 144; k++) {
    const month = dayOf(now - 60_000_000_000n - BigInt(k) * STEP_NS).slice(0, 7);
    perMonth.set(month, (perMonth.get(month) ?? 0) + 1);
  }
  const downMonth = dayOf(demoWindow(now, 3, 12, 30).start).slice(0, 7);
  const monthName = (m: string) => new Date(`${m}-01T00:00:00Z`).toLocaleDateString("en", { month: "short", year: "numeric", timeZone: "UTC" });
  const expected = [...perMonth].sort().map(([m, n]) => `${monthName(m)} ${uptimePercent(n - (m === downMonth ? 3 : 0), n)}%`);
  const api = "article.check[data-key='Status API heartbeat']";
  const seen = async (o: Opened) => ({
    bars: await o.page.$$eval(`${api} .bars .bar`, (rs) => rs.map((r) => r.getAttribute("class"))),
    months: await o.page.$$eval(`${api} .months li`, (ls) => ls.map((l) => l.textContent)),
    legend: await o.page.textContent(`${api} .chart-legend`),
    cards: await cards(o.page),
  });
  const months = await open({ storeDir: dir, config }, undefined, "#90d");
  assert.deepEqual(months.errors, []);
  const files = dataRequests(months.server).slice(2).map((r) => r.replace(/^\/data\/summaries\/|\?.*/g, "")).sort();
  assert.deepEqual(files, [...Object.keys(index.months!).map((m) => `${m}.month.json`), `${Object.keys(index.days).at(-1)}.hours.json`].sort());
  const shown = await seen(months);
  assert.equal(shown.bars.length, 91);
  assert.equal(shown.bars.filter((c) => c === "bar down").length, 1);
  assert.deepEqual(shown.months, expected);
  assert.equal(shown.legend, "— median · – – 95th percentile of each day's runs");
  // A store summarized before month files: week files, the same bars and months (p95 from the hours' medians).
  const { months: _, ...noMonths } = index;
  await writeFile(path.join(dir, "summaries", "index.json"), JSON.stringify(noMonths));
  const weeks = await open({ storeDir: dir, config }, undefined, "#90d");
  assert.deepEqual(weeks.errors, []);
  assert.ok(dataRequests(weeks.server).slice(2).every((r) => /\.week\.json\?/.test(r)));
  const fallback = await seen(weeks);
  assert.deepEqual({ ...fallback, legend: "" }, { ...shown, legend: "" });
  assert.equal(fallback.legend, "— median · – – 95th percentile of the hours' medians in each point");
});

test("page: a new install (150 rounds in 15 minutes) draws its data in every view, not a sliver at the right edge", { skip }, async () => {
  const dir = await tmpDir();
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  const now = nowNs();
  for (let k = 149; k >= 0; k--) {
    const at = now - 1_000_000_000n - BigInt(k) * 6_000_000_000n;
    await fs.store([{ title: "API", endpoint: "https://api.example.test/", timestamp: at, times: [{ rtt: 40_000_000 + (k % 5) * 1_000_000 }], threshold: 5_000_000_000, healthy: true }], at);
  }
  for (const hash of ["#24h", "#7d", "#30d", "#90d"]) {
    const o = await open({ storeDir: dir, config: pageConfig({ type: "fs", url: "/data/" }) }, undefined, hash);
    // The day view asks for yesterday's runs file without the index first, which a new store lacks (a 404).
    assert.deepEqual(o.errors.filter((e) => !/404 .*\/data\/summaries\/\d{4}-\d\d-\d\d\.json\?t=\d+$/.test(e)), [], hash);
    // Drawn: a line across most of the plot, or a dot for one bucket (an hour's), never an empty path.
    const drawn = await o.page.$eval("svg.chart", (s) => {
      const line = s.querySelector("path.rtt") as SVGPathElement | null;
      const box = line?.getBBox();
      return { width: box?.width ?? 0, dots: s.querySelectorAll("circle.rtt-dot").length };
    });
    assert.ok(drawn.width > 400 || drawn.dots === 1, `${hash}: ${JSON.stringify(drawn)}`);
    // The threshold (5 s) is far above 40 ms: a label, and the data keeps the plot's height.
    assert.equal(await o.page.textContent("svg.chart .threshold-label"), "threshold 5000ms ↑", hash);
    assert.equal(await o.page.$$eval("svg.chart line.threshold", (l) => l.length), 0, hash);
    assert.match(await o.page.textContent("#info") ?? "", /^1 check, 150 runs each in the last/, hash);
  }
});

test("page: no serious or critical accessibility violations (axe-core), in the checks view and the incident history", { skip }, async () => {
  const dir = await tmpDir();
  await writeDemoStore(dir, nowNs(), 14);
  const server = await startPageServer({ storeDir: dir, config: pageConfig({ type: "fs", url: "/data/" }) });
  after(() => server.close());
  // Only for this run: axe is injected as an inline script, which the page's CSP (rightly) refuses.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  after(() => context.close());
  for (const [hash, dark] of [["#7d", false], ["#7d", true], ["#incidents", false]] as const) {
    const page = await context.newPage();
    if (dark) await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${server.url}/${hash}`);
    await page.waitForSelector("body[data-loaded]");
    assert.deepEqual(await seriousViolations(page), [], `${hash}${dark ? " dark" : ""}`);
    await page.close();
  }
});
