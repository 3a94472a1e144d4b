/**
 * `${NAME}` references in config strings, replaced from the environment (as poucave does), so
 * secrets live in the environment and not in checkup.json. `${NAME:-default}` supplies a default;
 * `$${` writes a literal `${`. A missing variable is a config problem naming it.
 */
import type { Problem } from "../errors.js";

const NAMED = String.raw`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}`;
const REFERENCE = new RegExp(String.raw`\$\$\{|${NAMED}`, "g");

/** A JSON Schema pattern matching a string that holds a `${NAME}` reference (its value is only known at load time). */
export const ENV_REFERENCE_PATTERN = NAMED;

/** Deeper than any real config (checkup's own go 4 levels); the walk below recurses once per level. */
export const MAX_DEPTH = 64;

/** A value nested past MAX_DEPTH: nothing in it can be read, so reading the config stops there. */
export class NestedTooDeep extends Error {
  constructor(readonly path: string) {
    super(`nested deeper than ${MAX_DEPTH} levels`);
  }
}

/**
 * Returns a copy of `value` with every string's references replaced; each missing variable adds a
 * problem to `problems`. Throws NestedTooDeep.
 */
export function expandEnv(value: unknown, env: NodeJS.ProcessEnv, problems: Problem[], path = "", depth = 0): unknown {
  if (typeof value === "string") return expandString(value, env, problems, path);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) throw new NestedTooDeep(path);
  if (Array.isArray(value)) return value.map((v, i) => expandEnv(v, env, problems, `${path}[${i}]`, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = expandEnv(v, env, problems, path ? `${path}.${k}` : k, depth + 1);
  return out;
}

function expandString(text: string, env: NodeJS.ProcessEnv, problems: Problem[], path: string): string {
  if (!text.includes("${")) return text;
  return text.replace(REFERENCE, (_all, name: string | undefined, fallback: string | undefined) => {
    if (name === undefined) return "${";
    const value = env[name];
    if (value !== undefined && value !== "") return value;
    if (fallback !== undefined) return fallback;
    problems.push({ path, message: `\${${name}} is not set (export ${name}=..., or write \${${name}:-default} for a default)` });
    return "";
  });
}
