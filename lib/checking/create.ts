/** Building one checker from a checkup.json-style object, for programs using the library. */
import { Report, Scope, type Raw } from "../config/fields.js";
import { ConfigError } from "../errors.js";
import type { Checker } from "../types.js";
import { parseChecker } from "../check/index.js";

/** e.g. `await createChecker({ type: "http", endpoint_name: "API", endpoint_url: "https://…" })`. */
export async function createChecker(raw: Raw): Promise<Checker> {
  const report = new Report();
  const checker = await parseChecker(raw, new Scope(report));
  if (!checker || report.problems.length > 0) throw new ConfigError("checker", report.problems);
  return checker;
}
