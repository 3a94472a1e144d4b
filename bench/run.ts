/**
 * All benchmarks, one after another (print-only; `make bench`). Each prints its figures as ratios
 * against a baseline measured in the same run.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const benches = ["cold-start.js", "round.js", "rtt.js", "history.js", "statuspage.js"];
for (const bench of benches) {
  const file = fileURLToPath(new URL(bench, import.meta.url));
  console.log(`\n## ${bench.replace(/\.js$/, "")}`);
  const run = spawnSync(process.execPath, [file], { stdio: "inherit" });
  if (run.status !== 0) process.exitCode = 1;
}
