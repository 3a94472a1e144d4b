/** Reading checkup.json from disk: the file, its JSON (with line:column on errors), `${ENV}`. */
import { constants, type Stats } from "node:fs";
import { open } from "node:fs/promises";
import { ConfigError, type Problem } from "../errors.js";
import { expandEnv, NestedTooDeep } from "./env.js";

export const DEFAULT_CONFIG_FILE = "checkup.json";

/** A config of 1,000 checkers is ~200 kB; anything past this is the wrong file. Bytes. */
export const MAX_CONFIG_BYTES = 10 * 1024 * 1024;

/** Reads and parses a config file; environment references are expanded (a missing variable throws ConfigError). */
export async function readConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  return expandConfig(await readConfigJson(file), file, env);
}

/** Reads and parses a config file as it is written: `${ENV}` references are left for parseCheckupConfig. */
export async function readConfigJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readRegularFile(file);
  } catch (e) {
    const message = e instanceof NotAConfig ? e.message : whyUnreadable(e as NodeJS.ErrnoException);
    throw new ConfigError(file, [{ path: "", message: `cannot read config: ${message}` }]);
  }
  return parseConfigText(text, file);
}

class NotAConfig extends Error {}

/**
 * The file's text, if it is a regular file of at most MAX_CONFIG_BYTES. Opened non-blocking, so a
 * named pipe with no writer is refused instead of waiting forever; devices are never read.
 */
async function readRegularFile(file: string): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new NotAConfig(`${kindOf(stats)}, not a file (pass -c PATH to a checkup.json file)`);
    if (stats.size > MAX_CONFIG_BYTES) {
      throw new NotAConfig(`${stats.size} bytes is more than a config may have (${MAX_CONFIG_BYTES / 1024 / 1024} MB): is -c pointing at the right file?`);
    }
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "is a directory";
  if (stats.isFIFO()) return "is a named pipe";
  if (stats.isSocket()) return "is a socket";
  return "is a device";
}

function whyUnreadable(e: NodeJS.ErrnoException): string {
  if (e.code === "ENOENT") return "no such file (create it, or pass -c PATH to use another file)";
  if (e.code === "EACCES") return "permission denied";
  return e.message;
}

/** Expands `${ENV}` references, reporting every missing variable at once. */
export function expandConfig(raw: unknown, file: string, env: NodeJS.ProcessEnv = process.env): unknown {
  const { value, missing } = expandReferences(raw, file, env);
  if (missing.length > 0) throw new ConfigError(file, missing);
  return value;
}

/**
 * Expands `${ENV}` references; each missing variable is a problem returned beside the value, to be
 * reported with the config's other problems. A value nested too deep throws ConfigError at once.
 */
export function expandReferences(raw: unknown, file: string, env: NodeJS.ProcessEnv): { value: unknown; missing: Problem[] } {
  const missing: Problem[] = [];
  try {
    return { value: expandEnv(raw, env, missing), missing };
  } catch (e) {
    if (e instanceof NestedTooDeep) throw new ConfigError(file, [{ path: e.path, message: e.message }]);
    throw e;
  }
}

/** JSON.parse with the error located by line and column, whatever V8's wording. */
export function parseConfigText(withBom: string, file: string): unknown {
  // Editors on Windows may start the file with a byte-order mark; positions count without it.
  const text = withBom.replace(/^\uFEFF/, "");
  try {
    return JSON.parse(text);
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
