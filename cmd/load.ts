/** Loading the config for a command: warnings go to stderr, errors propagate to the handler. */
import { Checkup } from "../lib/checkup.js";
import type { GlobalOptions } from "./checkup.js";

export function loadCheckup(opts: GlobalOptions): Promise<Checkup> {
  return Checkup.load(opts.config, { warn: (m) => process.stderr.write(`warning: ${m}\n`) });
}
