/** Loading the config for a command: warnings go to stderr, errors propagate to the handler. */
import { Checkup } from "../lib/checkup.js";

/** The flags every command takes (set before the command's name). */
export interface GlobalOptions {
  config: string;
}

export function loadCheckup(opts: GlobalOptions): Promise<Checkup> {
  return Checkup.load(opts.config, { warn: (m) => process.stderr.write(`warning: ${m}\n`) });
}
