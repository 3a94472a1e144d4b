/**
 * Status page load benchmark (print-only): 30 days × 100 checks × a run every 10 minutes, in the
 * summary format, served on loopback and loaded in headless chromium. Prints data requests,
 * bytes (raw and gzip, as GitHub Pages or nginx would send them) and time to a rendered page, for
 * the 24 h and 30 d views (a fresh browser context each: nothing cached), next to the request count checkup's way would need.
 *
 *   node dist/bench/statuspage.js
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { addRounds, rollupHours } from "../lib/summary/day.js";
import { dayOf, emptyIndex, emptyRunsDay, hoursFile, runsFile, summaryJson } from "../lib/summary/format.js";
import type { Round } from "../lib/summary/writer.js";
import { checkFileName } from "../lib/storage/index-file.js";
import type { Result } from "../lib/types.js";
import { launchChromium } from "../test/helpers/browser.js";
import { pageConfig, startPageServer } from "../test/helpers/static-server.js";

const CHECKS = 100;
const DAYS = 30;
const STEP_NS = 600_000_000_000n;

/** A deterministic pseudo-random jitter, so runs are comparable between machines. */
const noise = (i: number) => ((Math.sin(i * 12.9898) * 43758.5453) % 1 + 1) % 1;

function round(at: bigint, r: number): Result[] {
  return Array.from({ length: CHECKS }, (_, c): Result => {
    const down = noise(r * CHECKS + c) < 0.002;
    return {
      title: `Service ${String(c).padStart(3, "0")}`, endpoint: `https://service-${c}.example.com/health`,
      timestamp: at - 300_000_000n, threshold: 500_000_000,
      times: [{ rtt: Math.round(20_000_000 + 200_000_000 * noise(r * 7 + c * 13)), ...(down ? { error: "connection refused" } : {}) }],
      ...(down ? { down: true } : { healthy: true }),
    };
  });
}

async function writeStore(dir: string, nowNs: bigint): Promise<number> {
  const first = nowNs - BigInt(DAYS) * 86_400_000_000_000n;
  const byDay = new Map<string, Round[]>();
  let count = 0;
  for (let at = first, r = 0; at <= nowNs; at += STEP_NS, r++, count++) {
    const list = byDay.get(dayOf(at)) ?? [];
    list.push({ name: checkFileName(at), storedAt: at, results: round(at, r) });
    byDay.set(dayOf(at), list);
  }
  await mkdir(path.join(dir, "summaries"), { recursive: true });
  const index = emptyIndex();
  for (const [day, rounds] of byDay) {
    const runs = addRounds(emptyRunsDay(day), rounds);
    await writeFile(path.join(dir, "summaries", runsFile(day)), summaryJson(runs));
    await writeFile(path.join(dir, "summaries", hoursFile(day)), summaryJson(rollupHours(runs)));
    index.days[day] = { runs: rounds.length, last: rounds.at(-1)!.storedAt.toString() };
    index.recent.push(...rounds.slice(-12).map((r): [string, string] => [r.name, r.storedAt.toString()]));
  }
  index.recent = index.recent.slice(-12);
  await writeFile(path.join(dir, "summaries", "index.json"), summaryJson(index));
  return count;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "checkup-bench-page-"));
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const rounds = await writeStore(dir, nowNs);
  const browser = await launchChromium();
  console.log(`store: ${CHECKS} checks, ${rounds} rounds over ${DAYS} days (checkup's way: 1 request per round)`);
  try {
    for (const gzip of [false, true]) {
      const server = await startPageServer({ storeDir: dir, config: pageConfig({ type: "fs", url: "/data/" }), gzip });
      for (const [view, oldWay] of [["24h", 144], ["30d", rounds]] as const) {
        {
          const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
          const page = await context.newPage();
          server.requests.length = 0;
          server.bytes = 0;
          const t0 = performance.now();
          await page.goto(`${server.url}/#${view}`);
          await page.waitForSelector("body[data-loaded]", { timeout: 60_000 });
          const ms = performance.now() - t0;
          const data = server.requests.filter((r) => r.startsWith("/data/"));
          console.log(`${view} ${gzip ? "gzip" : "raw "}: ${data.length} data requests (${server.requests.length} in all; checkup's way: ${oldWay + 1}), `
            + `${(server.bytes / 1024).toFixed(0)} KiB sent, rendered in ${ms.toFixed(0)} ms`);
          await context.close();
        }
      }
      await server.close();
    }
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
