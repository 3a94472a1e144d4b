/** `checkup validate`: read and check the config; run nothing, connect to nothing. */
import { parseCheckupConfig } from "../../lib/config/checkup-json.js";
import { readConfigJson } from "../../lib/config/load.js";
import type { GlobalOptions } from "../load.js";

export async function validate(opts: GlobalOptions): Promise<void> {
  const { config, warnings } = await parseCheckupConfig(await readConfigJson(opts.config), opts.config, { env: process.env });
  for (const w of warnings) process.stderr.write(`warning: ${opts.config}: ${w.path}: ${w.message}\n`);
  const parts = [`${config.checkers.length} checker${config.checkers.length === 1 ? "" : "s"}`];
  parts.push(config.storage ? `storage ${config.storage.type}` : "no storage");
  parts.push(`${config.notifiers.length} notifier${config.notifiers.length === 1 ? "" : "s"}`);
  process.stdout.write(`${opts.config}: OK (${parts.join(", ")})\n`);
}
