/**
 * Two checks on one URL (a plain one, healthy, and one with must_contain, down) are two checks
 * everywhere `serve` answers: they used to be merged by endpoint, so /api/status said healthy
 * while a check was down.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { XMLParser } from "fast-xml-parser";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { FsStorage, fsSummaryBlobs } from "../../lib/storage/fs.js";
import type { History, RunsDay } from "../../lib/summary/format.js";
import { readDay } from "../../lib/summary/writer.js";
import { dayOf } from "../../lib/summary/format.js";
import { nowUnixNanos } from "../../lib/nanos.js";
import { tmpDir } from "../helpers/tmp.js";
import { fakeChecker, serve } from "./fixtures.js";

const URL_ = "https://shop.example/";
const shop = Object.assign(fakeChecker("Shop"), { endpoint: URL_ });
const checkout = Object.assign(fakeChecker("Shop checkout", "down"), { endpoint: URL_ });

const dir = path.join(await tmpDir(), "checks");
const storage = new FsStorage({ dir, url: "", checkExpiry: 0 });
for (let i = 0; i < 3; i++) await storage.store([await shop.check(), await checkout.check()]);
const { base } = await serve({ checkers: [shop, checkout], reader: storage, summaries: storage.summaries() });

const pairs = (checks: { title: string; status?: string; s?: string }[]) => checks.map((c) => [c.title, c.status ?? c.s]);

test("summaries keep one column per check", async () => {
  const day = await readDay(fsSummaryBlobs(dir), dayOf(nowUnixNanos()));
  assert.deepEqual(pairs(day.checks), [["Shop", "hhh"], ["Shop checkout", "xxx"]]);
});

test("/api/status lists both, and the overall status is down", async () => {
  const body = await (await fetch(`${base}/api/status`)).json() as { status: string; checks: { title: string; status: string }[] };
  assert.deepEqual(pairs(body.checks), [["Shop", "healthy"], ["Shop checkout", "down"]]);
  assert.equal(body.status, "down");
});

test("/api/checks and /api/history list both", async () => {
  const list = await (await fetch(`${base}/api/checks`)).json() as { checks: { title: string }[] };
  assert.deepEqual(list.checks.map((c) => c.title), ["Shop", "Shop checkout"]);
  const history = await (await fetch(`${base}/api/history?from=0`)).json() as History;
  assert.deepEqual((history.days as RunsDay[]).flatMap((d) => pairs(d.checks)), [["Shop", "hhh"], ["Shop checkout", "xxx"]]);
});

test("status and uptime badges tell them apart", async () => {
  const badge = async (p: string) => String((new XMLParser().parse(await (await fetch(`${base}${p}`)).text()) as { svg: { title: string } }).svg.title);
  assert.equal(await badge("/badge/Shop.svg"), "Shop: healthy");
  assert.equal(await badge("/badge/Shop%20checkout.svg"), "Shop checkout: down");
  assert.equal(await badge("/badge/Shop.svg?uptime=1d"), "Shop uptime: 100.0%");
  assert.equal(await badge("/badge/Shop%20checkout.svg?uptime=1d"), "Shop checkout uptime: 0.0%");
});

test("/metrics has a series per check", async () => {
  const families = parsePrometheusTextFormat(await (await fetch(`${base}/metrics`)).text()) as { name: string; metrics: { value: string; labels: Record<string, string> }[] }[];
  const up = families.find((f) => f.name === "checkup_check_up")!.metrics.map((m) => [m.labels.check, m.labels.endpoint, m.value]);
  assert.deepEqual(up, [["Shop", URL_, "1"], ["Shop checkout", URL_, "0"]]);
});
