/** Building one checker from a checkup.json-style object, for programs using the library. */
import { Report, Scope, type Raw, type ReadContext } from "../config/fields.js";
import { ConfigError } from "../errors.js";
import type { Checker } from "../types.js";
import { parseChecker } from "../check/index.js";

/**
 * e.g. `await createChecker({ type: "http", endpoint_name: "API", endpoint_url: "https://…" }, { node: "eu-1" })`;
 * the node goes into HTTP checks' User-Agent (give the Checkup the same `node` for its results).
 */
export async function createChecker(raw: Raw, context: ReadContext = {}): Promise<Checker> {
  const report = new Report();
  const checker = await parseChecker(raw, new Scope(report, "", undefined, context));
  if (!checker || report.problems.length > 0) throw new ConfigError("checker", report.problems);
  return checker;
}
