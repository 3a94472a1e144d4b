/** Loading the config for a command: warnings go to stderr, errors propagate to the handler. */
import { Checkup, type LoadOptions } from "../lib/checkup.js";
import type { Shard } from "../lib/fleet/shard.js";

/** The flags every command takes (set before the command's name). */
export interface GlobalOptions {
  config: string;
  node?: string;
  shard?: Shard;
}

/** `needs: "storage"`: the command only reads or sets up storage (serve, provision, summarize, report, page), so a config without checkers will do. */
export function loadCheckup(opts: GlobalOptions, needs: "checks" | "storage" = "checks"): Promise<Checkup> {
  return Checkup.load(opts.config, { ...loadOptions(opts), requireCheckers: needs === "checks" });
}

/** commander turns a flag its parser left unset (an empty CHECKUP_NODE) into "": that means unset. */
export function loadOptions(opts: GlobalOptions): LoadOptions {
  return { warn: (m) => process.stderr.write(`warning: ${m}\n`), node: opts.node || undefined, shard: opts.shard || undefined };
}
