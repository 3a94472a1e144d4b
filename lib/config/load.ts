/** Reading checkup.json from disk: the file, its JSON (with line:column on errors), `${ENV}`. */
import { readFile } from "node:fs/promises";
import { ConfigError } from "../errors.js";
import { expandEnv } from "./env.js";

export const DEFAULT_CONFIG_FILE = "checkup.json";

/** Reads and parses a config file; environment references are expanded. */
export async function readConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file (create it, or pass -c PATH to use another file)"
      : code === "EISDIR" ? "is a directory (pass -c PATH/checkup.json)"
      : code === "EACCES" ? "permission denied"
      : (e as Error).message;
    throw new ConfigError(file, [{ path: "", message: `cannot read config: ${why}` }]);
  }
  return expandConfig(parseConfigText(text, file), file, env);
}

/** Expands `${ENV}` references, reporting every missing variable at once. */
export function expandConfig(raw: unknown, file: string, env: NodeJS.ProcessEnv = process.env): unknown {
  const problems: { path: string; message: string }[] = [];
  const expanded = expandEnv(raw, env, problems);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return expanded;
}

/** JSON.parse with the error located by line and column, whatever V8's wording. */
export function parseConfigText(text: string, file: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    const message = (e as Error).message;
    const m = /at position (\d+)/.exec(message);
    const position = m ? Number(m[1]) : text.length;
    const before = text.slice(0, position).split("\n");
    const line = before.length;
    const column = before[before.length - 1]!.length + 1;
    const reason = message
      .replace(/\s*\(line \d+ column \d+\)/, "")
      .replace(/,?\s*(in JSON )?at position \d+/, "")
      .replace(/^JSON\.parse: /, "");
    throw new ConfigError(file, [{
      path: "",
      message: `invalid JSON at line ${line}, column ${column}: ${reason} (checkup.json is strict JSON: no comments or trailing commas)`,
    }]);
  }
}
