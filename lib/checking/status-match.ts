/**
 * Which HTTP statuses count as up. checkup: `up_status` 0 → 200–204, N → exactly N. Extensions
 * (cupcake's pattern idea): a list, a wildcard like "2xx", a range like "200-399", or a regular
 * expression written between slashes, "/^2\\d\\d$/", matched against the three digits.
 */
import { shown, type Raw, type Scope } from "../config/fields.js";

export type StatusMatcher = (status: number) => boolean;

const CHECKUP_DEFAULT: StatusMatcher = (s) => s >= 200 && s <= 204;

/** A status (0 = checkup's 200-204) or a text pattern; `${NAME}` strings are strings too. */
const ENTRY = { anyOf: [{ type: "integer", minimum: 0, maximum: 599 }, { type: "string" }] };

export function parseUpStatus(raw: Raw, key: string, at: Scope): StatusMatcher {
  at.describe(key, {
    description: `a status code (200), a pattern ("2xx"), a range ("200-399"), a regular expression ("/^2\\d\\d$/") or a list of them; 0: 200-204`,
    anyOf: [...ENTRY.anyOf, { type: "array", items: ENTRY, minItems: 1 }],
  });
  at.used.add(key);
  const value = raw[key];
  if (value === undefined || value === null || value === 0) return CHECKUP_DEFAULT;
  const entries = Array.isArray(value) ? value : [value];
  const matchers = entries.map((e) => entryMatcher(e));
  if (entries.length === 0 || matchers.some((m) => m === undefined)) {
    at.problem(key, `expected a status code (200), a pattern ("2xx"), a range ("200-399"), a regular expression ("/^2\\d\\d$/") or a list of them, got ${shown(value)}`);
    return CHECKUP_DEFAULT;
  }
  return (s) => matchers.some((m) => m!(s));
}

function entryMatcher(entry: unknown): StatusMatcher | undefined {
  if (typeof entry === "number" && Number.isInteger(entry) && entry >= 100 && entry <= 599) return (s) => s === entry;
  if (typeof entry !== "string") return undefined;
  const regex = /^\/(.+)\/$/s.exec(entry.trim());
  if (regex) {
    const pattern = compiled(regex[1]!);
    return pattern && ((s) => pattern.test(String(s)));
  }
  const text = entry.trim().toLowerCase();
  if (/^[1-5][0-9x]{2}$/.test(text)) {
    const pattern = new RegExp(`^${text.replace(/x/g, "\\d")}$`);
    return (s) => pattern.test(String(s));
  }
  const range = /^([1-5]\d\d)\s*-\s*([1-5]\d\d)$/.exec(text);
  if (range) {
    const [low, high] = [Number(range[1]), Number(range[2])];
    return low <= high ? (s) => s >= low && s <= high : undefined;
  }
  return undefined;
}

function compiled(source: string): RegExp | undefined {
  try {
    return new RegExp(source);
  } catch {
    return undefined;
  }
}
