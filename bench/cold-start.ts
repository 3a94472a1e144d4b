/**
 * Cold start, which matters for a cron tool: `checkup --version` and `checkup validate` on the
 * bundled config against `node -e 0`, measured in the same run (print-only, never a test).
 *
 *   node dist/bench/cold-start.js [runs=20]
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const RUNS = Number(process.argv[2] ?? 20);
const cli = fileURLToPath(new URL("../cmd/checkup.js", import.meta.url));
const config = fileURLToPath(new URL("../../checkup.json", import.meta.url));

function medianMs(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, args, { stdio: "ignore" });
    if (run.status !== 0) throw new Error(`${args.join(" ")} exited ${run.status}`);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[times.length >> 1]!;
}

// Interleave-free but same run: the baseline is measured first and last to show drift.
const before = medianMs(["-e", "0"]);
const version = medianMs([cli, "--version"]);
const validate = medianMs([cli, "-c", config, "validate"]);
const after = medianMs(["-e", "0"]);
const baseline = (before + after) / 2;
console.log(`cold start, median of ${RUNS} runs:`);
console.log(`  node -e 0:                 ${baseline.toFixed(1)} ms (before ${before.toFixed(1)}, after ${after.toFixed(1)})`);
console.log(`  checkup --version:         ${version.toFixed(1)} ms  = ${(version / baseline).toFixed(2)}x (target <= 2x)`);
console.log(`  checkup validate (bundled config): ${validate.toFixed(1)} ms  = ${(validate / baseline).toFixed(2)}x`);
