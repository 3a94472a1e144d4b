/**
 * A round of 1,000 HTTP checks at 50 in flight, against a bare Node script doing the same GETs on
 * fresh connections, measured in the same run (print-only, never a test). Both run as child
 * processes against one loopback server in a third process; runs alternate and the median counts.
 *
 *   node dist/bench/round.js [checks=1000] [inFlight=50] [repeats=5]
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const numbers = process.argv.includes("--role") ? [] : process.argv.slice(2).map(Number);
const [CHECKS = 1000, IN_FLIGHT = 50, REPEATS = 5] = numbers;
const self = fileURLToPath(import.meta.url);

/** `ms`: the round itself; `loadMs`: importing checkup and reading the config (0 for bare). */
interface Measure { ms: number; loadMs: number; maxRssMb: number; ok: number }

/** Child roles: "server" answers 200 "ok"; "bare" and "checkup" run one round and report. */
async function child(role: string, url: string): Promise<void> {
  const http = await import("node:http");
  if (role === "server") {
    const server = http.createServer((_req, res) => res.end("ok"));
    server.listen(0, "127.0.0.1", () => process.send!((server.address() as { port: number }).port));
    return;
  }
  let started = performance.now();
  let loadMs = 0;
  let ok = 0;
  if (role === "bare") {
    let next = 0;
    const get = () => new Promise<void>((resolve) => {
      const req = http.get(url, { agent: false }, (res) => {
        if (res.statusCode === 200) ok++;
        res.resume();
        res.once("end", resolve);
      });
      req.once("error", () => resolve());
    });
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next++ < CHECKS) await get();
    }));
  } else {
    const { Checkup } = await import("../lib/checkup.js");
    const checkers = Array.from({ length: CHECKS }, (_, i) => ({ type: "http", endpoint_name: `c${i}`, endpoint_url: url }));
    const checkup = await Checkup.fromConfig({ checkers, concurrent_checks: IN_FLIGHT });
    loadMs = performance.now() - started;
    started = performance.now();
    ok = (await checkup.check()).filter((r) => r.healthy).length;
  }
  const ms = performance.now() - started;
  process.send!({ ms, loadMs, maxRssMb: process.resourceUsage().maxRSS / 1024, ok } satisfies Measure);
  process.disconnect();
}

function spawnRole(role: string, url = ""): { proc: ChildProcess; message: Promise<unknown> } {
  const proc = fork(self, ["--role", role, url], { stdio: "inherit" });
  return { proc, message: new Promise((resolve) => proc.once("message", resolve)) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main(): Promise<void> {
  const server = spawnRole("server");
  const url = `http://127.0.0.1:${await server.message as number}/health`;
  const runs: Record<"bare" | "checkup", Measure[]> = { bare: [], checkup: [] };
  for (let i = 0; i < REPEATS; i++) {
    for (const role of ["bare", "checkup"] as const) {
      const m = await spawnRole(role, url).message as Measure;
      if (m.ok !== CHECKS) throw new Error(`${role}: only ${m.ok}/${CHECKS} requests succeeded`);
      runs[role].push(m);
    }
  }
  server.proc.kill();
  const bare = median(runs.bare.map((m) => m.ms));
  const ours = median(runs.checkup.map((m) => m.ms));
  const load = median(runs.checkup.map((m) => m.loadMs));
  const rss = Math.max(...runs.checkup.map((m) => m.maxRssMb));
  console.log(`round of ${CHECKS} HTTP checks, ${IN_FLIGHT} in flight, median of ${REPEATS}:`);
  console.log(`  bare node http.get (fresh connections): ${bare.toFixed(0)} ms, peak RSS ${Math.max(...runs.bare.map((m) => m.maxRssMb)).toFixed(0)} MB`);
  console.log(`  checkup check():                        ${ours.toFixed(0)} ms, peak RSS ${rss.toFixed(0)} MB`);
  console.log(`  checkup import + reading ${CHECKS} checkers: ${load.toFixed(0)} ms (once per process)`);
  console.log(`  ratio checkup / bare: ${(ours / bare).toFixed(2)}x for the round (target <= 1.5x), ` +
    `${((ours + load) / bare).toFixed(2)}x with loading; peak RSS ${rss.toFixed(0)} MB (target <= 150 MB)`);
}

const roleAt = process.argv.indexOf("--role");
if (roleAt > 0) await child(process.argv[roleAt + 1]!, process.argv[roleAt + 2] ?? "");
else await main();
