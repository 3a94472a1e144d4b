/** Loading the config for a command: warnings go to stderr, errors propagate to the handler. */
import { Checkup, type LoadOptions } from "../lib/checkup.js";
import type { GlobalOptions } from "./checkup.js";

export function loadCheckup(opts: GlobalOptions): Promise<Checkup> {
  return Checkup.load(opts.config, loadOptions(opts));
}

/** commander turns a flag its parser left unset (an empty CHECKUP_NODE) into "": that means unset. */
export function loadOptions(opts: GlobalOptions): LoadOptions {
  return { warn: (m) => process.stderr.write(`warning: ${m}\n`), node: opts.node || undefined, shard: opts.shard || undefined };
}
