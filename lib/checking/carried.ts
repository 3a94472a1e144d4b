/**
 * What every result of a checker carries of its config, beside checkup's own fields: its `group`,
 * `description` and `quorum` (extension keys, lib/result.ts), so whoever reads stored rounds (the
 * page, summaries, `serve`) shows and combines the check as configured.
 */
import type { Checker, Result } from "../types.js";

export function carryCheckerFields(result: Result, checker: Pick<Checker, "group" | "description" | "quorum">): void {
  if (checker.group) result.group = checker.group;
  if (checker.description) result.description = checker.description;
  // The rule alone: where it was configured (`at`) is for config messages only.
  if (checker.quorum) result.quorum = { down: checker.quorum.down, of: checker.quorum.of, window: checker.quorum.window };
}
