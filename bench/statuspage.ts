/**
 * Status page load benchmark (print-only): 90 days × 100 checks × a run every 10 minutes, in the
 * summary format (written by lib/summary/writer.ts, as `checkup --store` writes it), served on
 * loopback and loaded in headless chromium. Prints requests (the page's own files and data),
 * bytes (raw as a plain static server sends them, and gzip as GitHub Pages or nginx would) and
 * time to a rendered page, for the 24 h, 30 d and 90 d views (30 and 90 d from month files) (a fresh browser context each: nothing
 * cached), next to the request count checkup's way would need, and the issue's targets.
 *
 *   node dist/bench/statuspage.js
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { dayOf } from "../lib/summary/format.js";
import { recordRounds, type Round } from "../lib/summary/writer.js";
import { checkFileName } from "../lib/files/index-file.js";
import type { Result } from "../lib/types.js";
import { launchChromium } from "../test/helpers/browser.js";
import { pageConfig, startPageServer } from "../test/helpers/static-server.js";
import { fsSummaryBlobs } from "../lib/storage/fs.js";

const CHECKS = 100;
const DAYS = 90;
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
  // A day at a time, oldest first: the same files as one round at a time, much faster.
  for (const rounds of byDay.values()) await recordRounds(fsSummaryBlobs(dir), rounds);
  return count;
}

/** The issues' targets: a day in ≤ 12 requests in all; 30 days in ≤ 1 s and ≤ 1 MB; 90 days in ≤ 20 requests, ≤ 1 MB, ≤ 1 s. */
const TARGETS = {
  "24h": { requests: 12 },
  "30d": { ms: 1000, bytes: 1_000_000 },
  "90d": { requests: 20, ms: 1000, bytes: 1_000_000 },
} as const;

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "checkup-bench-page-"));
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const rounds = await writeStore(dir, nowNs);
  const browser = await launchChromium();
  console.log(`store: ${CHECKS} checks, ${rounds} rounds over ${DAYS} days (checkup's way: 1 request per round)`);
  try {
    for (const gzip of [false, true]) {
      // config.js as `checkup page` writes it for a store with summaries.
      const server = await startPageServer({ storeDir: dir, config: pageConfig({ type: "fs", url: "/data/", summaries: true }), gzip });
      for (const [view, oldWay] of [["24h", 144], ["30d", 30 * 144], ["90d", rounds]] as const) {
        {
          const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
          const page = await context.newPage();
          server.requests.length = 0;
          server.bytes = 0;
          const t0 = performance.now();
          await page.goto(`${server.url}/#${view}`);
          await page.waitForSelector("body[data-loaded]", { timeout: 60_000 });
          const ms = performance.now() - t0;
          // The favicon follows the status after rendering: let its request arrive before counting.
          await page.waitForTimeout(500);
          const data = server.requests.filter((r) => r.startsWith("/data/"));
          const target = TARGETS[view];
          const verdict = (!("requests" in target) || server.requests.length <= target.requests)
            && (!("ms" in target) || (ms <= target.ms && server.bytes <= target.bytes));
          console.log(`${view} ${gzip ? "gzip" : "raw "}: ${server.requests.length} requests (${server.requests.length - data.length} page, `
            + `${data.length} data; checkup's way: ${oldWay + 1} data), ${(server.bytes / 1024).toFixed(0)} KiB (${server.bytes} B) sent, `
            + `rendered in ${ms.toFixed(0)} ms${gzip ? "" : `; target ${verdict ? "met" : "MISSED"}`}`);
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
