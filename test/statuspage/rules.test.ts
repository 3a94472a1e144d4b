/**
 * One set of rules: the same rounds go through lib/summary (as `checkup --store` writes them) and
 * through the page's own model (statuspage/js/model.js, run here in Node as it is), from check
 * files, runs days, hours days and week files, and every figure the page shows must agree.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { resultsJson } from "../../lib/result.js";
import { addRounds, asCombined, detectEvents, expandRuns, isUp, rollupHours, uptimePercent, type Run } from "../../lib/summary/day.js";
import {
  dayOf, dayStart, emptyRunsDay, hoursFile, parseHoursDay, parseRunsDay, parseWeek, runsFile, summaryJson, weekFile, weekOf,
  type HoursDay, type RunsDay, type WeekRollup,
} from "../../lib/summary/format.js";
import { rollupWeek, rttMs } from "../../lib/summary/week.js";
import { rollupMonth } from "../../lib/summary/month.js";
import { median, percentile } from "checkup/statuspage/rules";
import type { Result } from "../../lib/types.js";
import { REPO } from "../helpers/paths.js";
import { recordRound } from "../../lib/summary/writer.js";
import type { SummaryBlobs } from "../../lib/types.js";

/** What model.js exports, as far as this test uses it. */
interface PageCheck {
  key: string; title: string; endpoint: string; group?: string; total: number; up: number; uptime?: string;
  latest: { t: number; s: string }; thr: number; points: { t: number; v: number; s: string }[];
  events: { t: number; kind: string; text: string }[];
  outages: { start: number; end?: number; worst: string; runs: number; texts: string[] }[];
  buckets: { per: string; list: { t: number; p50: number; p95: number }[] };
  bars: { step: number; list: { start: number; total: number; up: number; worst?: string; uptime?: string; downMinutes: number; outages: unknown[] }[] };
  locations: { node: string; s: string; t: number; rtt: number; text?: string }[];
}
interface PieceSet {
  addRound(results: unknown, atMs: number): void;
  addRunsDay(day: unknown): void;
  addHoursDay(day: unknown): void;
  addWeek(week: unknown): void;
  addMonth(month: unknown): void;
}
interface PageModel {
  Pieces: new () => PieceSet;
  buildModel(p: PieceSet, fromMs: number, nowMs: number): { checks: PageCheck[] };
}
const page = await import(pathToFileURL(path.join(REPO, "statuspage", "js", "model.js")).href) as PageModel;

const MIN_NS = 60_000_000_000n;
/** Sunday 2024-06-09 20:00 UTC: 30 hours of rounds cross two days and two weeks. */
const FIRST = dayStart("2024-06-09") + 20n * 60n * MIN_NS;
const ROUNDS = 180;
const LONG_ERROR = `dial tcp 10.0.0.7:443: ${"connection reset by peer; ".repeat(12)}`;

/** Round k: three checks with every kind of run the page distinguishes. */
function roundAt(k: number): { name: string; storedAt: bigint; results: Result[] } {
  const storedAt = FIRST + BigInt(k) * 10n * MIN_NS;
  // Half a ms past the ms: the page's double keeps the right ms.
  const ts = storedAt - 400_500_000n;
  const apiDown = k % 37 === 5 || k % 37 === 6;
  const results: Result[] = [
    {
      title: "API", endpoint: "https://api.example.test/health", timestamp: ts, group: "Public",
      times: apiDown ? [{ rtt: 3_000_000_000, error: LONG_ERROR }, { rtt: 90_000_000 }] : [{ rtt: 40_000_000 + (k % 7) * 1_000_000 }, { rtt: 45_000_001 }],
      threshold: k < 90 ? 200_000_000 : 300_000_000, ...(apiDown ? { down: true } : { healthy: true }),
      ...(k === 44 ? { message: "Deploying <b>v2</b>" } : {}),
    },
    {
      title: "DB", endpoint: "db.internal:5432", timestamp: ts + 1_000n, times: [{ rtt: k % 11 === 0 ? 900_000_000 : 3_000_000 }],
      threshold: 500_000_000, healthy: true, ...(k % 11 === 0 ? { degraded: true, notice: "median RTT 900ms exceeds threshold 500ms" } : {}),
    },
    // No status flag at all (a Go result written before flags existed): unknown.
    { endpoint: "https://untitled.example.test/", timestamp: ts + 2_000n, times: [{ rtt: 1_000_000 }], ...(k % 50 === 49 ? {} : { healthy: true }) },
  ];
  return { name: `${storedAt}-check.json`, storedAt, results };
}

const rounds = Array.from({ length: ROUNDS }, (_, k) => roundAt(k));
const byDay = new Map<string, typeof rounds>();
for (const r of rounds) byDay.set(dayOf(r.storedAt), [...(byDay.get(dayOf(r.storedAt)) ?? []), r]);
/** Each day's runs file, as the writer stores it (JSON round trip as a browser reads it). */
const runsDays = [...byDay].map(([day, list]) => JSON.parse(summaryJson(addRounds(emptyRunsDay(day), list))) as RunsDay);
const hoursDays = runsDays.map((d) => rollupHours(d));
const weeks = [...new Set(hoursDays.map((h) => weekOf(h.day)))].map((w) => rollupWeek(w, hoursDays.filter((h) => weekOf(h.day) === w)));
/** 55 h: more than 48, so the bars are days. */
const fromMs = Number(FIRST / 1_000_000n) - 25 * 3_600_000;
const nowMs = Number(FIRST / 1_000_000n) + ROUNDS * 600_000;

function pageFrom(add: (p: PieceSet) => void): Map<string, PageCheck> {
  const p = new page.Pieces();
  add(p);
  return new Map(page.buildModel(p, fromMs, nowMs).checks.map((c) => [c.key, c]));
}

/** lib's own figures per check, from the runs days (epoch ms; runs as the combined verdict saw them), independent of model.js. */
function libFigures(days: readonly RunsDay[] = runsDays) {
  const out = new Map<string, { runs: Run[]; title: string; endpoint: string; group?: string }>();
  for (const day of days) {
    const start = Number(BigInt(day.start) / 1_000_000n);
    for (const c of day.checks) {
      const e = out.get(c.title || c.endpoint) ?? { runs: [], title: c.title, endpoint: c.endpoint, group: c.group };
      e.runs.push(...asCombined(expandRuns(c)).map(({ node: _, c: _c, ...r }) => ({ ...r, t: r.t + start })));
      out.set(c.title || c.endpoint, e);
    }
  }
  return new Map([...out].map(([key, e]) => {
    const up = e.runs.filter((r) => isUp(r.s)).length;
    const last = e.runs.at(-1)!;
    return [key, {
      key, title: e.title, endpoint: e.endpoint, group: e.group, total: e.runs.length, up, uptime: uptimePercent(up, e.runs.length),
      latest: { t: last.t, s: last.s }, thr: last.thr,
      points: e.runs.map((r) => ({ t: r.t, v: r.rtt, s: r.s })),
      events: detectEvents(e.runs).map(([t, kind, text]) => ({ t, kind, text })).reverse(),
    }];
  }));
}

/** The figures hour rollups can give: everything but per-run points, and event order within one ms. */
const coarse = ({ points: _, events, ...c }: PageCheck) => ({ ...c, events: [...events].sort((a, b) => b.t - a.t || a.kind.localeCompare(b.kind)) });

interface Stored { rounds: typeof rounds; runsDays: RunsDay[]; hoursDays: HoursDay[]; weeks: WeekRollup[] }

/** The months of some hours days, as the writer rolls them up. */
const monthsOf = (hoursDays: readonly HoursDay[]) =>
  [...new Set(hoursDays.map((h) => h.day.slice(0, 7)))].map((m) => rollupMonth(m, hoursDays.filter((h) => h.day.startsWith(m))));

/** What the page makes of the same data from each source. */
function pagePaths({ rounds, runsDays, hoursDays, weeks }: Stored) {
  return {
    fromMonths: pageFrom((p) => monthsOf(hoursDays).forEach((m) => p.addMonth(JSON.parse(summaryJson(m))))),
    fromFiles: pageFrom((p) => { for (const r of rounds) p.addRound(JSON.parse(resultsJson(r.results)), Number(r.storedAt / 1_000_000n)); }),
    fromRuns: pageFrom((p) => runsDays.forEach((d) => p.addRunsDay(d))),
    fromHours: pageFrom((p) => hoursDays.forEach((d) => p.addHoursDay(JSON.parse(summaryJson(d))))),
    fromWeeks: pageFrom((p) => weeks.forEach((w) => p.addWeek(JSON.parse(summaryJson(w))))),
  };
}

test("rules: lib/summary and the page agree on every figure, from check files, runs, hours, week and month files", () => {
  const lib = libFigures();
  assert.deepEqual([...lib.keys()], ["API", "DB", "https://untitled.example.test/"]);
  const paths = pagePaths({ rounds, runsDays, hoursDays, weeks });
  const { fromRuns, fromMonths } = paths;
  assertAgree(lib, paths);
  // Month files keep each day's true p50 and p95 (of its runs, to 3 significant digits in ms): the chart's points.
  for (const key of lib.keys()) {
    // A run belongs to the day of its round's store time, as in the files.
    const expected = runsDays.map((d) => d.checks.find((c) => (c.title || c.endpoint) === key)!.rtt)
      .map((rtts) => ({ p50: Math.round(rttMs(median(rtts)) * 1000), p95: Math.round(rttMs(percentile(rtts, 95)) * 1000) }));
    const shown = fromMonths.get(key)!.buckets;
    assert.equal(shown.per, "day");
    assert.deepEqual(shown.list.map(({ p50, p95 }) => ({ p50, p95 })), expected, `${key}: p50/p95 per day`);
  }
  const api = fromRuns.get("API")!;
  assert.equal(api.outages.length, 5, "down at rounds 5-6, 42-43, 79-80, 116-117, 153-154");
  assert.deepEqual(api.outages.map((o) => (o.end! - o.start) / 60_000), [20, 20, 20, 20, 20], "each ends with the first healthy run");
  assert.deepEqual(api.bars.list.map((d) => [d.worst, d.downMinutes]), [[undefined, 0], ["x", 20], ["x", 80], ["h", 0]], "Saturday: no data");
  // The drift this replaced: the page kept whole errors from check files, lib cut them to 200.
  const apiDown = lib.get("API")!.events.find((e) => e.kind === "x")!;
  assert.equal(apiDown.text.length, 200);
  assert.ok(apiDown.text.endsWith("…"));
  assert.ok(lib.get("https://untitled.example.test/")!.events.some((e) => e.kind === "u"), "a result without flags is unknown");
  assert.deepEqual(api.locations, [], "one node: no location rows");
});

function assertAgree(lib: ReturnType<typeof libFigures>, { fromFiles, fromRuns, fromHours, fromWeeks, fromMonths }: ReturnType<typeof pagePaths>) {
  for (const [key, expected] of lib) {
    const { key: _, ...figures } = { ...expected, group: expected.group };
    assert.deepEqual(pick(fromFiles.get(key)!, figures), figures, `${key} from check files`);
    assert.deepEqual(pick(fromRuns.get(key)!, figures), figures, `${key} from runs days`);
    assert.deepEqual(coarse(pick(fromHours.get(key)!, figures)), coarse(figures as PageCheck), `${key} from hours days`);
    assert.deepEqual(coarse(pick(fromWeeks.get(key)!, figures)), coarse(figures as PageCheck), `${key} from week files`);
    assert.deepEqual(coarse(pick(fromMonths.get(key)!, figures)), coarse(figures as PageCheck), `${key} from month files`);
  }
  for (const key of lib.keys()) {
    const runs = fromRuns.get(key)!;
    assert.deepEqual(fromFiles.get(key)!.outages, runs.outages, `${key}: outages from check files`);
    assert.deepEqual(fromFiles.get(key)!.bars, runs.bars, `${key}: days from check files`);
    // Hour rollups know status changes, not every run: the same outages, the same worst status and downtime per day.
    const changes = ({ start, end, worst }: PageCheck["outages"][number]) => ({ start, end, worst });
    const perDay = ({ start, worst, downMinutes, outages }: PageCheck["bars"]["list"][number]) => ({ start, worst, downMinutes, outages: outages.length });
    for (const [name, other] of [["hours", fromHours], ["weeks", fromWeeks], ["months", fromMonths]] as const) {
      assert.deepEqual(other.get(key)!.outages.map(changes), runs.outages.map(changes), `${key}: outages from ${name}`);
      assert.deepEqual(other.get(key)!.bars.list.map(perDay), runs.bars.list.map(perDay), `${key}: days from ${name}`);
    }
  }
}

/** `actual` reduced to the keys `expected` has, so a figure the page adds later does not break the comparison. */
function pick<T extends object>(actual: T, expected: object): T {
  return Object.fromEntries(Object.keys(expected).map((k) => [k, (actual as Record<string, unknown>)[k]])) as T;
}

test("rules: a checker's group reaches its results, their file and the summaries; the newest run's group holds", async () => {
  const { createChecker } = await import("../../lib/checking/create.js");
  const { parseResults } = await import("../../lib/result.js");
  const checker = await createChecker({ type: "exec", name: "Disk", command: "true", group: "Machine" });
  const result = await checker.check();
  assert.equal(result.group, "Machine");
  const stored = resultsJson([result]);
  assert.match(stored, /,"group":"Machine"}]$/, "written last, as an extension key");
  assert.equal(parseResults(stored)[0]!.group, "Machine");
  assert.doesNotMatch(resultsJson([{ ...result, group: undefined }]), /group/, "absent when the checker has none");
  const at = (k: number) => FIRST + BigInt(k) * 10n * MIN_NS;
  const day = addRounds(emptyRunsDay(dayOf(FIRST)), [
    { name: `${at(0)}-check.json`, storedAt: at(0), results: [{ ...result, timestamp: at(0) }] },
    { name: `${at(1)}-check.json`, storedAt: at(1), results: [{ ...result, timestamp: at(1), group: "Other" }] },
  ]);
  assert.equal(day.checks[0]!.group, "Other");
  assert.equal(rollupHours(day).checks[0]!.group, "Other");
  const ungrouped = addRounds(day, [{ name: `${at(2)}-check.json`, storedAt: at(2), results: [{ ...result, timestamp: at(2), group: undefined }] }]);
  assert.equal(ungrouped.checks[0]!.group, undefined, "a check taken out of its group leaves it");
});

/** Summaries kept in memory, one writer at a time: the writer's own code over the simplest blobs. */
function memoryBlobs(): SummaryBlobs & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return {
    files,
    get: async (name) => files.get(name),
    put: async (name, text) => void files.set(name, text),
    remove: async (name) => void files.delete(name),
    list: async () => [...files.keys()],
    exclusive: (work) => work(),
  };
}

const NODES = ["eu-1", "eu-2", "us-1"];

/** Node i's round k of "Edge": eu-1 alone sees it down now and then; eu-1 and eu-2 together in rounds 20-22 of every 37; us-1 skips some rounds. */
function nodeRoundAt(k: number, i: number): { name: string; storedAt: bigint; results: Result[] } | undefined {
  if (i === 2 && k % 50 >= 10 && k % 50 < 15) return undefined;
  const storedAt = FIRST + BigInt(k) * 10n * MIN_NS + BigInt(i) * 3_000_000_000n;
  const down = (i === 0 && (k % 37 >= 5 && k % 37 < 10)) || (i < 2 && k % 37 >= 20 && k % 37 < 23);
  const result: Result = {
    title: "Edge", endpoint: "https://edge.example.test/", timestamp: storedAt - 250_000_000n, node: NODES[i],
    times: down ? [{ rtt: 1_500_000_000, error: `${NODES[i]}: connection refused` }] : [{ rtt: 20_000_000 + i * 7_000_000 + (k % 5) * 1_000_000 }],
    threshold: 500_000_000, ...(down ? { down: true } : { healthy: true }),
  };
  return { name: `${storedAt}-check.json`, storedAt, results: [result] };
}

test("rules: three nodes storing apart: the page and lib agree on the combined verdict, uptime and locations from every source", async () => {
  const nodeRounds = Array.from({ length: ROUNDS }, (_, k) => NODES.map((_, i) => nodeRoundAt(k, i))).flat().filter((r) => r !== undefined);
  const blobs = memoryBlobs();
  for (const r of nodeRounds) await recordRound(blobs, r);
  const days = [...new Set(nodeRounds.map((r) => dayOf(r.storedAt)))];
  const stored: Stored = {
    rounds: nodeRounds,
    runsDays: days.map((d) => parseRunsDay(blobs.files.get(runsFile(d))!, d)),
    hoursDays: days.map((d) => parseHoursDay(blobs.files.get(hoursFile(d))!, d)),
    weeks: [...new Set(days.map(weekOf))].map((w) => parseWeek(blobs.files.get(weekFile(w))!, w)),
  };
  const lib = libFigures(stored.runsDays);
  const paths = pagePaths(stored);
  assertAgree(lib, paths);
  const edge = paths.fromRuns.get("Edge")!;
  // eu-1 alone is no outage: only rounds 20-22 of every 37 (eu-1 and eu-2) are, 30 min each.
  assert.equal(edge.outages.length, 5);
  assert.deepEqual(edge.outages.map((o) => Math.round((o.end! - o.start) / 60_000)), [30, 30, 30, 30, 30]);
  assert.ok(edge.outages.every((o) => o.texts.every((t) => /^eu-[12]: connection refused$/.test(t))));
  const allRuns = nodeRounds.length;
  const downRuns = stored.runsDays.reduce((n, d) => n + [...(d.checks[0]!.c ?? d.checks[0]!.s)].filter((c) => c === "x").length, 0);
  assert.equal(edge.total, allRuns);
  assert.equal(edge.up, allRuns - downRuns);
  // Bars come from the verdict: the day eu-1 alone was down in the morning shows only the joint outages.
  assert.deepEqual(edge.bars.list.map((d) => d.worst), [undefined, "x", "x", "x"]);
  // Locations: each node's own newest run, the same from every source; every node still counts at the newest run.
  const last = (i: number) => [...nodeRounds].reverse().find((r) => r.results[0]!.node === NODES[i])!;
  const expected = NODES.map((node, i) => {
    const r = last(i).results[0]!;
    return {
      node, s: r.down ? "x" : "h", t: Number(r.timestamp / 1_000_000n), rtt: Number(r.times[0]!.rtt) / 1000, stale: false,
      ...(r.times[0]!.error && { text: r.times[0]!.error }),
    };
  });
  for (const [name, page] of Object.entries(paths)) {
    const locations = page.get("Edge")!.locations.map(({ text, ...l }) => ({ ...l, ...(text && { text }) }));
    assert.deepEqual(locations, expected, `locations ${name}`);
  }
});
