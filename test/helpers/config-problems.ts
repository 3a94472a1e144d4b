/** The problems a config with one checker gets at load time (empty when it loads). */
import { parseCheckupConfig } from "../../lib/config/checkup-json.js";
import { ConfigError, type Problem } from "../../lib/errors.js";

export async function configProblems(checker: Record<string, unknown>): Promise<Problem[]> {
  const error = await parseCheckupConfig({ checkers: [checker] }, "checkup.json").then(() => undefined, (e: unknown) => e);
  if (error === undefined) return [];
  if (!(error instanceof ConfigError)) throw error;
  return error.problems;
}
