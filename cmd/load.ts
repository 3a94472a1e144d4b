/** Loading the config for a command: warnings go to stderr, errors propagate to the handler. */
import { Checkup } from "../lib/checkup.js";

/** The flags every command takes (set before the command's name). */
export interface GlobalOptions {
  config: string;
}

/** `needs: "storage"`: the command only reads or sets up storage (serve, provision, summarize, report, page), so a config without checkers will do. */
export function loadCheckup(opts: GlobalOptions, needs: "checks" | "storage" = "checks"): Promise<Checkup> {
  return Checkup.load(opts.config, { warn: (m) => process.stderr.write(`warning: ${m}\n`), requireCheckers: needs === "checks" });
}
