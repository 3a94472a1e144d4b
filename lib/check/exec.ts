/**
 * `exec`: run a program (no shell, PATH lookup unless the command has a "/") and judge it by its
 * exit status and its combined stdout+stderr. RTT = wall time of the run. Error texts follow
 * checkup's (Go's os/exec) so stored results read the same.
 */
import { str, strList, type Raw, type Scope } from "../config/fields.js";
import { SECOND } from "../duration.js";
import { elapsedSince } from "../checking/attempts.js";
import { contentError } from "../checking/content.js";
import { runOnce } from "../checking/run-program.js";
import type { CheckerType, Outcome } from "../plugin-types.js";

interface ExecOptions {
  title: string;
  endpoint: string;
  command: string;
  args: string[];
  mustContain: string;
  mustNotContain: string;
  /** `raise: "warn"`: failures make the result degraded instead of down. */
  warn: boolean;
}

export default {
  // checkup's hard limit per run; `timeout` may change it here (extension).
  defaultTimeout: 10 * SECOND,
  titleKey: "name",
  parse: (raw: Raw, at: Scope): ExecOptions => {
    const command = str(raw, "command", at, { required: "the program to run, e.g. \"/usr/local/bin/check-backup\"" });
    return {
      title: str(raw, "name", at), // checkup's exec names its title `name`, not endpoint_name
      endpoint: command,
      command,
      args: strList(raw, "arguments", at),
      mustContain: str(raw, "must_contain", at),
      mustNotContain: str(raw, "must_not_contain", at),
      warn: parseRaise(raw, at),
    };
  },
  attempt: async (o, signal): Promise<Outcome> => {
    const started = performance.now();
    const run = await runOnce(o, signal);
    const rtt = elapsedSince(started);
    if (run.error !== undefined) {
      return { rtt, error: `Error: ${run.error}\nOutput: ${run.output.trim() ? run.output : "empty"}\n` };
    }
    // A run that exited 0 counts as answered (spacing follows it) even if its output fails.
    const error = contentError(o, run.output);
    return error ? { rtt, answered: true, error } : { rtt, answered: true };
  },
  judge: (o, outcomes, verdict) => {
    if (!o.warn || verdict.status !== "down") return verdict;
    return { status: "degraded", notice: outcomes.find((x) => x.error)?.error };
  },
} satisfies CheckerType<ExecOptions>;

/** checkup reads "warn" and "warning" exactly; anything else means down, which a typo would hide. */
function parseRaise(raw: Raw, at: Scope): boolean {
  const raise = str(raw, "raise", at);
  if (raise === "warn" || raise === "warning") return true;
  if (raise && raise !== "error") {
    at.warn("raise", `${JSON.stringify(raise)} is neither "warn" nor "warning", so failures make the result down`);
  }
  return false;
}
