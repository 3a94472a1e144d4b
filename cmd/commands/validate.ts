/** `checkup validate`: read and check the config; run nothing, connect to nothing. */
import { parseCheckupConfig } from "../../lib/config/checkup-json.js";
import { configSource } from "../../lib/config/load.js";
import { loadOptions, type GlobalOptions } from "../load.js";

export async function validate(opts: GlobalOptions): Promise<void> {
  const source = configSource(opts.config);
  const { config, warnings } = await parseCheckupConfig(await source.read(), source.name, { env: process.env, node: loadOptions(opts).node, staticShard: opts.shard !== undefined });
  for (const w of warnings) process.stderr.write(`warning: ${source.name}: ${w.path}: ${w.message}\n`);
  const parts = [`${config.checkers.length} checker${config.checkers.length === 1 ? "" : "s"}`];
  parts.push(config.storage ? `storage ${config.storage.type}` : "no storage");
  parts.push(`${config.notifiers.length} notifier${config.notifiers.length === 1 ? "" : "s"}`);
  parts.push(`node ${config.node}`);
  process.stdout.write(`${source.name}: OK (${parts.join(", ")})\n`);
}
