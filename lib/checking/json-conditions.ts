/**
 * `json`: conditions on a JSON response body, each a JSONPath and one test, e.g.
 * `[{"path": "$.status", "equals": "ok"}, {"path": "$.queue.length", "below": 100}]`.
 * Every value the path selects must pass, and it must select at least one (`exists: false`
 * asks for none). A failure names the path, what was expected and what was found.
 */
import { isDeepStrictEqual } from "node:util";
import type { JSONPath as JsonPathFn } from "jsonpath-plus";
import { isRaw, shown, type Raw, type Scope } from "../config/fields.js";
import { messageOf } from "../errors.js";

export interface JsonCondition {
  path: string;
  /** What passes, in words for the failure text: `"ok"`, `below 100`. */
  expected: string;
  passes(value: unknown): boolean;
  /** `exists: false`: the path must select nothing. */
  absent?: boolean;
}

type Test = Pick<JsonCondition, "expected" | "passes" | "absent">;

/** Each test's key, and how it reads its operand (a problem message when the operand is unusable). */
const TESTS: Record<string, (operand: unknown) => Test | string> = {
  equals: (v) => ({ expected: JSON.stringify(v) ?? "null", passes: (x) => isDeepStrictEqual(x, v) }),
  below: (v) => typeof v === "number" ? { expected: `below ${v}`, passes: (x) => typeof x === "number" && x < v } : `expected a number, got ${shown(v)}`,
  above: (v) => typeof v === "number" ? { expected: `above ${v}`, passes: (x) => typeof x === "number" && x > v } : `expected a number, got ${shown(v)}`,
  matches: (v) => {
    const pattern = typeof v === "string" ? compiled(v) : undefined;
    if (!pattern) return `expected a regular expression like "^ok", got ${shown(v)}`;
    return { expected: `a match for /${pattern.source}/`, passes: (x) => typeof x === "string" && pattern.test(x) };
  },
  exists: (v) => {
    if (typeof v !== "boolean") return `expected true or false, got ${shown(v)}`;
    return v ? { expected: "a value", passes: () => true } : { expected: "nothing", passes: () => false, absent: true };
  },
};

const EXAMPLE = `[{"path": "$.status", "equals": "ok"}]`;

export function parseJsonConditions(raw: Raw, key: string, at: Scope): JsonCondition[] {
  at.used.add(key);
  at.describe(key, {
    type: ["array", "null"],
    description: `conditions on the JSON body, e.g. ${EXAMPLE}`,
    items: {
      type: "object",
      required: ["path"],
      properties: { path: { type: "string", pattern: "^\\$" }, ...Object.fromEntries(Object.keys(TESTS).map((name) => [name, {}])) },
      minProperties: 2,
    },
  });
  const value = raw[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    at.problem(key, `expected a list of conditions like ${EXAMPLE}, got ${shown(value)}`);
    return [];
  }
  const scope = at.child(key);
  return value.flatMap((item: unknown, i) => {
    const one = parseCondition(item, scope.item(i));
    return one ? [one] : [];
  });
}

function parseCondition(item: unknown, at: Scope): JsonCondition | undefined {
  if (!isRaw(item)) {
    at.problem(undefined, `expected a condition like {"path": "$.status", "equals": "ok"}, got ${shown(item)}`);
    return undefined;
  }
  at.used.add("path");
  const path = item.path;
  const pathOk = typeof path === "string" && path.startsWith("$");
  if (!pathOk) at.problem("path", `expected a JSONPath starting with "$", like "$.status", got ${shown(path)}`);
  const given = Object.keys(TESTS).filter((name) => name in item);
  given.forEach((name) => at.used.add(name));
  at.warnUnknownKeys(item);
  if (given.length !== 1) {
    const found = given.length === 0 ? "none" : given.map((g) => JSON.stringify(g)).join(" and ");
    at.problem(undefined, `expected exactly one test of ${Object.keys(TESTS).join(", ")}, got ${found}`);
    return undefined;
  }
  const test = TESTS[given[0]!]!(item[given[0]!]);
  if (typeof test === "string") {
    at.problem(given[0], test);
    return undefined;
  }
  return pathOk ? { path: path as string, ...test } : undefined;
}

function compiled(source: string): RegExp | undefined {
  try {
    return new RegExp(source);
  } catch {
    return undefined;
  }
}

/** Loaded on the first body to judge: configs without `json` conditions never pay for it (~10 ms). */
let engine: Promise<typeof JsonPathFn> | undefined;

/** The first failing condition's text, or undefined when the body passes them all. */
export async function jsonError(conditions: readonly JsonCondition[], body: string): Promise<string | undefined> {
  const JSONPath = await (engine ??= import("jsonpath-plus").then((m) => m.JSONPath));
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    return `json: response is not JSON: ${messageOf(e)}`;
  }
  for (const c of conditions) {
    const failure = conditionError(JSONPath, c, json);
    if (failure) return `json ${c.path}: ${failure}`;
  }
  return undefined;
}

function conditionError(JSONPath: typeof JsonPathFn, c: JsonCondition, json: unknown): string | undefined {
  let found: { path: string; value: unknown }[];
  try {
    // `eval: "safe"`: filters run in jsonpath-plus's own interpreter, never as JavaScript.
    found = JSONPath({ path: c.path, json: json as object, resultType: "all", wrap: true, eval: "safe" }) as typeof found;
  } catch (e) {
    return `cannot be evaluated: ${messageOf(e)}`;
  }
  if (c.absent) return found.length === 0 ? undefined : `expected nothing, got ${shownValue(found[0]!.value)}`;
  if (found.length === 0) return `expected ${c.expected}, got nothing`;
  const bad = found.find((f) => !c.passes(f.value));
  if (!bad) return undefined;
  // With several matches, say which one failed (jsonpath-plus writes it as `$['a'][1]`).
  const where = found.length > 1 ? ` at ${bad.path}` : "";
  return `expected ${c.expected}, got ${shownValue(bad.value)}${where}`;
}

function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
