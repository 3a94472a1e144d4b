/** `checkup` and `checkup --store`: one round, printed or stored. */
import { ConfigError, ExitCode } from "../../lib/errors.js";
import { configSource } from "../../lib/config/load.js";
import { resultsJson, statusOf } from "../../lib/result.js";
import { loadCheckup, type GlobalOptions } from "../load.js";
import { printResults, progressReporter } from "../output.js";

export async function run(opts: GlobalOptions & { store?: boolean; json?: boolean }): Promise<void> {
  const checkup = await loadCheckup(opts);
  const progress = progressReporter();
  try {
    if (opts.store && checkup.autoShards) {
      throw new ConfigError(configSource(opts.config).name, [{ path: "shards", message: "auto shards tell live nodes by the interval of " +
        `checkup every, and a --store run has none: run "checkup every 1m" (your cron's interval) instead of --store, or remove "shards"` }]);
    }
    if (opts.store) {
      const { results } = await checkup.checkAndStore({ onProgress: progress.onProgress });
      if (opts.json) process.stdout.write(`${resultsJson(results)}\n`);
      return;
    }
    const results = await checkup.check({ onProgress: progress.onProgress });
    progress.end();
    if (opts.json) process.stdout.write(`${resultsJson(results)}\n`);
    else printResults(results);
    if (results.some((r) => statusOf(r) !== "healthy")) process.exitCode = ExitCode.unhealthy;
  } finally {
    progress.end();
    await checkup.close();
  }
}
