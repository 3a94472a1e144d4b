/**
 * A fleet on one PostgreSQL (print-only, never a test): N `checkup every` node processes of the
 * built CLI share C HTTP checks against a local target for D minutes, each storing its rounds
 * into one real PostgreSQL. Baseline, measured first in the same run: the same C checks on one
 * node, one round. Per node: round and store time (p50/max, as a ratio to the baseline round),
 * rounds missed, CPU and peak RSS; then rows and bytes into PostgreSQL, its CPU, and target hits
 * per check per round (1 with --shard or auto shards with replicas 1). Figures: docs/capacity.md.
 *
 *   node dist/bench/fleet.js [--nodes 4] [--checks 100000] [--minutes 10] [--interval 1m]
 *     [--mode shard|auto] [--replicas 1] [--in-flight 100]      (BENCH_MINUTES also sets --minutes)
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseInterval } from "../lib/schedule/every.js";
import { launchPostgres, type PgServer } from "../test/helpers/postgres.js";
import { postmasterOf, Sampler, startNode, type NodeProcess, type RoundLine, type Usage } from "./fleet-procs.js";

const { values: flags } = parseArgs({
  options: {
    nodes: { type: "string", default: "4" }, checks: { type: "string", default: "100000" },
    minutes: { type: "string", default: process.env.BENCH_MINUTES ?? "10" }, interval: { type: "string", default: "1m" },
    mode: { type: "string", default: "shard" }, replicas: { type: "string", default: "1" },
    "in-flight": { type: "string", default: "100" }, ports: { type: "string", default: "8" },
  },
});
const NODES = Number(flags.nodes);
const CHECKS = Number(flags.checks);
const INTERVAL_MS = parseInterval(flags.interval) / 1e6;
const TICKS = Math.max(1, Math.round((Number(flags.minutes) * 60_000) / INTERVAL_MS));
const AUTO = flags.mode === "auto";
const REPLICAS = AUTO ? Number(flags.replicas) : 1;

interface Target { pid: number; ports: number[]; hits(): Promise<number[]>; stop(): void }

async function startTarget(): Promise<Target> {
  const child = fork(new URL("fleet-target.js", import.meta.url), [String(CHECKS), String(NODES), flags.ports]);
  const [ports] = await once(child, "message") as [number[]];
  return {
    pid: child.pid!,
    ports,
    hits: async () => {
      child.send("hits");
      return (await once(child, "message"))[0] as number[];
    },
    stop: () => void child.kill(),
  };
}

/**
 * checkup.json for C checks over the target's ports, stored in `dsn`. Checkers are written as short
 * as they go (~85 bytes each), so 100,000 of them fit the 10 MB a config may have.
 */
async function writeConfig(dir: string, name: string, ports: number[], dsn: string): Promise<string> {
  const checkers = Array.from({ length: CHECKS }, (_, i) => ({
    type: "http", endpoint_name: `c${i}`, endpoint_url: `http://127.0.0.1:${ports[i % ports.length]}/c/${i}`,
  }));
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify({
    checkers, concurrent_checks: Number(flags["in-flight"]), spool_dir: path.join(dir, `spool-${name}`),
    storage: { type: "postgres", dsn, create: true, check_expiry: "1h" },
    ...(AUTO ? { shards: { mode: "auto", replicas: REPLICAS } } : {}),
  }));
  return file;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const usageText = (u: Usage) => `CPU ${((100 * u.cpuSec) / u.wallSec).toFixed(0)} % (${u.cpuSec.toFixed(0)} s), peak RSS ${u.peakRssMb.toFixed(0)} MB`;
const checksRun = (rounds: RoundLine[]) => rounds.reduce((n, r) => n + r.healthy + r.degraded + r.down + r.unknown, 0);
/** CPU per check run, process start and config loading included. Ms. */
const cpuPerCheck = (u: Usage, checks: number) => `${((1000 * u.cpuSec) / Math.max(1, checks)).toFixed(2)} ms CPU a check`;

/** Runs until every node has reached `ticks` grid points (or the deadline), stopping each as it does. */
async function runFleet(nodes: NodeProcess[], ticks: number, sampler: Sampler): Promise<Map<NodeProcess, Usage>> {
  const deadline = Date.now() + (ticks + 1) * INTERVAL_MS + 60_000;
  const usage = new Map<NodeProcess, Usage>();
  await Promise.all(nodes.map(async (n) => {
    await n.reached(ticks, deadline);
    usage.set(n, sampler.usage(n.child.pid!));
    const code = await n.stop();
    if (code !== 0) console.log(`  ${n.name} exited ${code}: ${n.stderr().trim().split("\n").slice(-3).join(" | ")}`);
  }));
  return usage;
}

async function baseline(dir: string, target: Target, pg: PgServer, sampler: Sampler): Promise<number> {
  const config = await writeConfig(dir, "baseline", target.ports, await pg.newDatabase());
  const node = startNode("baseline", ["-c", config, "every", "24h", "--log-format", "json"], { XDG_STATE_HOME: dir });
  sampler.watch(node.child.pid!);
  const usage = (await runFleet([node], 1, sampler)).get(node)!;
  const round = node.rounds[0];
  if (!round) throw new Error(`the baseline node logged no round: ${node.stderr()}`);
  console.log(`baseline, 1 node, one round of all ${CHECKS}: round ${s(round.duration_ms)} (store ${s(round.store_ms)}), ` +
    `${round.healthy} healthy; process ${usageText(usage)}, ${cpuPerCheck(usage, checksRun(node.rounds))}`);
  return round.duration_ms;
}

function printNodes(nodes: NodeProcess[], usage: Map<NodeProcess, Usage>, baseMs: number): void {
  console.log("node   rounds missed abandoned  checks a round  round p50 / max (× baseline)      store p50 / max     CPU, peak RSS");
  for (const n of nodes) {
    const done = n.rounds.filter((r) => !r.abandoned);
    const ms = done.map((r) => r.duration_ms);
    const store = done.map((r) => r.store_ms);
    // Grid points skipped while a round overran, plus those not reached by the deadline.
    const skipped = n.rounds.reduce((sum, r) => sum + r.missed, 0);
    const missed = skipped + Math.max(0, TICKS - n.rounds.length - skipped);
    const errors = done.filter((r) => r.error).length;
    const sizes = done.map((r) => checksRun([r]));
    const size = Math.min(...sizes) === Math.max(...sizes) ? String(sizes[0]) : `${Math.min(...sizes)}-${Math.max(...sizes)}`;
    console.log(`${n.name.padEnd(6)} ${String(done.length).padStart(6)} ${String(missed).padStart(6)} ${String(n.rounds.length - done.length).padStart(9)}  ${size.padStart(14)}  ` +
      `${s(pct(ms, 0.5))} / ${s(Math.max(...ms))} (${(pct(ms, 0.5) / baseMs).toFixed(2)}× / ${(Math.max(...ms) / baseMs).toFixed(2)}×)`.padEnd(34) +
      `   ${s(pct(store, 0.5))} / ${s(Math.max(...store))}   ${usageText(usage.get(n)!)}, ${cpuPerCheck(usage.get(n)!, checksRun(done))}` +
      `${errors ? `; ${errors} rounds with errors` : ""}`);
  }
}

async function printStore(pg: PgServer, dsn: string, wallSec: number, pgUsage: Usage): Promise<void> {
  const db = new URL(dsn).pathname.slice(1);
  const [row] = await pg.query("SELECT count(*)::int AS rows, coalesce(sum(octet_length(results)), 0)::int8 AS bytes, " +
    "coalesce(sum(json_array_length(results::json)), 0)::int8 AS results, pg_total_relation_size('checks')::int8 AS disk FROM checks", db);
  const rows = Number(row!.rows);
  const mb = (b: unknown) => `${(Number(b) / 1e6).toFixed(1)} MB`;
  console.log(`PostgreSQL: ${rows} rows (${(rows / wallSec).toFixed(2)} rows/s, one per node round), ${row!.results} results ` +
    `(${(Number(row!.results) / wallSec).toFixed(0)}/s), ${mb(row!.bytes)} of JSON (${mb(Number(row!.bytes) / wallSec)}/s, ` +
    `${mb(Number(row!.bytes) / Math.max(1, rows))} a row), ${mb(row!.disk)} on disk with TOAST and indexes; server ${usageText(pgUsage)}`);
}

function printHits(hits: number[], nodes: NodeProcess[], usage: Usage): void {
  const perRound = Array.from({ length: CHECKS }, (_, c) => nodes.reduce((sum, n, k) => {
    const rounds = n.rounds.filter((r) => !r.abandoned).length;
    return sum + (rounds ? hits[(k + 1) * CHECKS + c]! / rounds : 0);
  }, 0));
  const off = perRound.filter((x) => Math.abs(x - REPLICAS) > 1e-9).length;
  console.log(`target: hits per check per round min ${pct(perRound, 0).toFixed(3)}, max ${Math.max(...perRound).toFixed(3)} ` +
    `(expected ${REPLICAS}); ${off} of ${CHECKS} checks off; target server ${usageText(usage)}`);
}

const dir = await mkdtemp(path.join(os.tmpdir(), "checkup-bench-fleet-"));
const pg = await launchPostgres();
const target = await startTarget();
const sampler = new Sampler();
try {
  console.log(`fleet: ${CHECKS} HTTP checks on ${NODES} nodes (${AUTO ? `auto shards, replicas ${REPLICAS}` : `--shard i/${NODES}`}), ` +
    `every ${flags.interval} for ${TICKS} rounds, ${flags["in-flight"]} in flight a node, one PostgreSQL, ${os.cpus().length} cores ` +
    `(load average ${os.loadavg()[0]!.toFixed(1)} before starting)`);
  const baseMs = await baseline(dir, target, pg, sampler);
  const dsn = await pg.newDatabase();
  const config = await writeConfig(dir, "fleet", target.ports, dsn);
  const postmaster = postmasterOf(pg.port);
  if (postmaster) sampler.watch(postmaster, true);
  sampler.watch(target.pid);
  const started = Date.now();
  const nodes = Array.from({ length: NODES }, (_, k) => startNode(`n${k + 1}`,
    [...(AUTO ? [] : ["--shard", `${k + 1}/${NODES}`]), "-c", config, "every", flags.interval, "--log-format", "json"], { XDG_STATE_HOME: dir }));
  for (const n of nodes) sampler.watch(n.child.pid!);
  const usage = await runFleet(nodes, TICKS, sampler);
  const wallSec = (Date.now() - started) / 1000;
  printNodes(nodes, usage, baseMs);
  await printStore(pg, dsn, wallSec, postmaster ? sampler.usage(postmaster) : { cpuSec: NaN, wallSec, peakRssMb: NaN });
  printHits(await target.hits(), nodes, sampler.usage(target.pid));
  console.log(`load average over the last 5 minutes: ${os.loadavg()[1]!.toFixed(1)}`);
} finally {
  sampler.stop();
  target.stop();
  await pg.stop();
  await rm(dir, { recursive: true, force: true });
}
