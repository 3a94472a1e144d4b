/** Loading the config for a command: warnings go to stderr, errors propagate to the handler. */
import { Checkup } from "../lib/checkup.js";
import type { GlobalOptions } from "./checkup.js";

/** `needs: "storage"`: the command only reads or sets up storage (serve, provision, summarize), so a config without checkers will do. */
export function loadCheckup(opts: GlobalOptions, needs: "checks" | "storage" = "checks"): Promise<Checkup> {
  return Checkup.load(opts.config, { warn: (m) => process.stderr.write(`warning: ${m}\n`), requireCheckers: needs === "checks" });
}
