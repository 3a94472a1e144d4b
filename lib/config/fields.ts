/**
 * Path-aware readers for config objects. Each reader records the key as known, checks the value,
 * and on a bad value records a Problem naming the full path, what was expected and what was found,
 * then returns a default so parsing continues and every problem is reported at once.
 */
import { distance } from "fastest-levenshtein";
import { formatBound, MAX_NANOS, parseDuration, SECOND, type Nanos } from "../duration.js";
import type { Problem } from "../errors.js";
import type { QuorumRule } from "../types.js";
import { redactUrl, scrub } from "../redact.js";
import { durationSchema, hints, lazily, orReference, type JsonSchema, type Shape } from "./shape.js";

export type Raw = Record<string, unknown>;

/** Problems and warnings collected over one config file. */
export class Report {
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];
}

/** What a whole config is read for, beside its text: the node that will run its checks, and the top-level `quorum` its checkers inherit. */
export interface ReadContext {
  node?: string;
  quorum?: QuorumRule;
}

/**
 * Where in the config a reader is: the path prefix, and which keys of this object were read. With
 * a shape (describe mode, see shape.ts) the readers also record what each key holds.
 */
export class Scope {
  readonly used = new Set<string>();
  constructor(readonly report: Report, readonly path = "", private readonly shape?: () => Shape,
    readonly context: ReadContext = {}) {}

  /** Describe mode: `record` and `list` then return empty samples, so the readers nested in them run too. */
  get describing(): boolean {
    return this.shape !== undefined;
  }
  /** Records what `key` holds (describe mode only). Readers call it; so does a parser reading `raw` itself. */
  describe(key: string, schema: JsonSchema, required = false): void {
    this.shape?.().field(key, schema, required);
  }
  pathOf(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }
  child(key: string): Scope {
    this.used.add(key);
    const shape = this.shape;
    return new Scope(this.report, this.pathOf(key), shape && lazily(() => shape().object(key)), this.context);
  }
  item(i: number): Scope {
    const shape = this.shape;
    return new Scope(this.report, `${this.path}[${i}]`, shape && lazily(() => shape().list()), this.context);
  }
  /** The same place, read for `context` (its keys are counted afresh). */
  within(context: ReadContext): Scope {
    return new Scope(this.report, this.path, this.shape, context);
  }
  /** The same place, with problems and warnings going to `report` (a trial parse). */
  reportingTo(report: Report): Scope {
    return new Scope(report, this.path, this.shape, this.context);
  }
  /** Describe mode: the scope describing the objects whose `keys[0]` (or a legacy key) is `name`. */
  variant(keys: readonly string[], name: string): Scope {
    const shape = this.shape!().variant(keys, name);
    return new Scope(this.report, this.path, () => shape, this.context);
  }
  problem(key: string | undefined, message: string): void {
    this.report.problems.push({ path: key === undefined ? this.path : this.pathOf(key), message });
  }
  warn(key: string, message: string): void {
    this.report.warnings.push({ path: this.pathOf(key), message });
  }
  /** Warns about keys nobody read: checkup ignored them too, but they are usually typos, so the closest known key is named. */
  warnUnknownKeys(raw: Raw): void {
    const shape = this.shape?.();
    const undescribed = shape && [...this.used].find((key) => !shape.fields.has(key));
    if (undescribed !== undefined) throw new Error(`${this.pathOf(undescribed)} is read without a description for the schema`);
    for (const key of Object.keys(raw)) {
      if (this.used.has(key)) continue;
      const meant = closest(key, this.used);
      this.warn(key, `unknown key, ignored${meant ? ` (did you mean ${JSON.stringify(meant)}?)` : ""}`);
    }
  }
}

/** The known key within 2 edits of `key` (case aside), and within a third of its length so short keys get no wild guesses. */
function closest(key: string, known: Iterable<string>): string | undefined {
  const limit = Math.min(2, Math.floor(key.length / 3));
  let best: { key: string; edits: number } | undefined;
  for (const candidate of known) {
    const edits = distance(key.toLowerCase(), candidate.toLowerCase());
    if (edits <= limit && (!best || edits < best.edits)) best = { key: candidate, edits };
  }
  return best?.key;
}

/** A short rendering of a bad value for messages, credentials and secret-named keys' values scrubbed. */
export function shown(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(scrub(value)) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** What a secret's bad value is, never the value: `a number (value not shown)`. */
export function kindShown(value: unknown): string {
  const kind = Array.isArray(value) ? "a list" : value === null ? "null" : typeof value === "object" ? "an object"
    : typeof value === "boolean" ? "true or false" : `a ${typeof value}`;
  return `${kind} (value not shown)`;
}

export function isRaw(value: unknown): value is Raw {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function present(raw: Raw, key: string, at: Scope): unknown {
  at.used.add(key);
  const v = raw[key];
  return v === null ? undefined : v;
}

/** `secret`: webhook URLs, tokens, passwords, keys, DSNs: no message about the field quotes its value. */
interface StrOpts { default?: string; required?: string; example?: string; secret?: boolean }

/** A string. `required` is the hint shown when it is missing, e.g. `the URL to check`. */
export function str(raw: Raw, key: string, at: Scope, opts: StrOpts = {}): string {
  at.describe(key, { type: "string", ...hints(opts) }, opts.required !== undefined);
  const v = present(raw, key, at);
  if (v === undefined || v === "") {
    if (opts.required !== undefined) at.problem(key, `missing: set it to ${opts.required}`);
    return opts.default ?? "";
  }
  if (typeof v !== "string") {
    at.problem(key, `expected a string${opts.example ? ` like ${JSON.stringify(opts.example)}` : ""}, got ${opts.secret ? kindShown(v) : shown(v)}`);
    return opts.default ?? "";
  }
  return v;
}

export function bool(raw: Raw, key: string, at: Scope, fallback = false): boolean {
  at.describe(key, { type: "boolean", default: fallback });
  const v = present(raw, key, at);
  if (v === undefined) return fallback;
  if (typeof v !== "boolean") {
    at.problem(key, `expected true or false, got ${shown(v)}`);
    return fallback;
  }
  return v;
}

/** Every number in a config has stated bounds; `note` explains a bound, e.g. "attempts - 1". */
interface IntOpts { default: number; min: number; max: number; note?: string }

/** A whole number from `min` to `max` (always safe integers, so it survives a JSON round trip). */
export function int(raw: Raw, key: string, at: Scope, opts: IntOpts): number {
  at.describe(key, { type: "integer", minimum: opts.min, maximum: opts.max, ...hints(opts) });
  const v = present(raw, key, at);
  if (v === undefined) return opts.default;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < opts.min || v > opts.max) {
    const note = opts.note ? ` (${opts.note})` : "";
    at.problem(key, `expected a whole number from ${opts.min} to ${opts.max}${note}, got ${shown(v)}`);
    return opts.default;
  }
  return v;
}

/**
 * Bounds of a duration. 0 always means "unset" (the default); `min` applies to other values.
 * `required` is the hint shown when it is unset; 0 is then refused too, and the bound reads "at least".
 */
interface DurationOpts { default: Nanos; min?: Nanos; max?: Nanos; required?: string }

const NANOS_HINT = `expected a duration: integer nanoseconds (200ms = 200000000) or a string like "200ms", "10s", "14d"`;

/**
 * A duration: integer nanoseconds as checkup writes them, or (extension) a string such as "200ms",
 * "1h30m" or "14d". Negative values are refused; at most `max` (default MAX_NANOS, ~104 days).
 */
export function nanos(raw: Raw, key: string, at: Scope, opts: DurationOpts): Nanos {
  at.describe(key, durationSchema({ ...opts, unit: 1, words: "integer nanoseconds" }));
  const v = present(raw, key, at);
  const ns = v === undefined ? 0 : typeof v === "number" ? (Number.isInteger(v) ? v : undefined) : typeof v === "string" ? parseDuration(v) : undefined;
  if (ns === 0 && opts.required !== undefined) at.problem(key, `missing: set it to ${opts.required}`);
  if (v === undefined) return opts.default;
  return bounded(ns, v, key, at, opts, NANOS_HINT);
}

/** Whole seconds (appinsights' `timeout`/`retry_interval`), also as a duration string. */
export function seconds(raw: Raw, key: string, at: Scope, opts: { default: number; min?: number; max: number }): number {
  at.describe(key, durationSchema({ ...opts, default: opts.default * SECOND, min: (opts.min ?? 0) * SECOND, max: opts.max * SECOND, unit: SECOND, words: "whole seconds" }));
  const v = present(raw, key, at);
  if (v === undefined) return opts.default;
  const ns = typeof v === "number" ? (Number.isInteger(v) ? v * SECOND : undefined) : typeof v === "string" ? parseDuration(v) : undefined;
  const limits = { default: opts.default * SECOND, min: (opts.min ?? 0) * SECOND, max: opts.max * SECOND };
  return bounded(ns, v, key, at, limits, `expected whole seconds (e.g. 2) or a string like "2s"`) / SECOND;
}

/** Checks a parsed duration against its bounds; a problem (with the bound) returns the default. */
function bounded(ns: Nanos | undefined, v: unknown, key: string, at: Scope, opts: DurationOpts, hint: string): Nanos {
  const max = opts.max ?? MAX_NANOS;
  const min = opts.min ?? 0;
  if (ns === undefined || ns < 0) at.problem(key, `${hint}, got ${shown(v)}`);
  else if (ns > max) at.problem(key, `must be at most ${formatBound(max)}, got ${shown(v)}`);
  else if (ns > 0 && ns < min) at.problem(key, `must be ${opts.required === undefined ? "0 or " : ""}at least ${formatBound(min)}, got ${shown(v)}`);
  else return ns === 0 ? opts.default : ns;
  return opts.default;
}

/**
 * An absolute URL with one of the given schemes. With `optional`, leaving the key out is fine
 * (""), but an empty value is still a problem.
 */
export function url(raw: Raw, key: string, at: Scope, opts: Omit<StrOpts, "default"> & { schemes?: string[]; optional?: boolean } = {}): string {
  if (opts.optional && (raw[key] === undefined || raw[key] === null)) {
    at.describe(key, { type: "string", ...hints({ example: opts.example }) });
    at.used.add(key);
    return "";
  }
  // Placeholders ("", "REDACTED") in a notifier and `${NAME}` references are valid here, so the schema checks no form.
  const text = str(raw, key, at, { ...opts, required: opts.required ?? "an absolute URL" });
  if (!text) return "";
  const schemes = opts.schemes ?? ["http", "https"];
  const example = opts.example ?? "https://example.com/health";
  let parsed: URL | undefined;
  try {
    parsed = new URL(text);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !schemes.includes(parsed.protocol.slice(0, -1))) {
    const got = opts.secret ? urlFault(parsed, schemes) : `got ${shown(redactUrl(text))}`;
    at.problem(key, `expected an absolute URL like ${JSON.stringify(example)}, ${got}`);
    return "";
  }
  return text;
}

/** What is wrong with a secret URL, without quoting it. */
function urlFault(parsed: URL | undefined, schemes: string[]): string {
  const allowed = schemes.map((s) => `${s}://`).join(" or ");
  if (!parsed) return `but this one does not parse as a URL: does it start with ${allowed}? (value not shown)`;
  return `but this one starts with ${parsed.protocol}, not ${allowed} (value not shown)`;
}

const HOST_PORT = /^(?:\[([^\]]+)\]|([^:\s/]+)):(\d{1,5})$/;

/** `host:port`, with IPv6 hosts in brackets. Returns the split form for dialling. */
export function hostPort(raw: Raw, key: string, at: Scope, opts: { required?: string; example?: string } = {}):
  { text: string; host: string; port: number } {
  const example = opts.example ?? "example.com:443";
  const required = opts.required ?? `a host:port address like "${example}"`;
  const text = str(raw, key, at, { required });
  at.describe(key, { ...orReference({ type: "string", pattern: HOST_PORT.source }), ...hints({ required, example }) }, true);
  if (!text) return { text: "", host: "", port: 0 };
  const m = HOST_PORT.exec(text);
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65535) {
    at.problem(key, `expected host:port like ${JSON.stringify(example)}, got ${shown(text)}`);
    return { text: "", host: "", port: 0 };
  }
  return { text, host: (m[1] ?? m[2])!, port };
}

/** A list of strings; a single string is accepted as a list of one. */
export function strList(raw: Raw, key: string, at: Scope, opts: { required?: string } = {}): string[] {
  const required = opts.required !== undefined;
  const list = { type: "array", items: { type: "string" }, ...(required && { minItems: 1 }) };
  at.describe(key, { anyOf: [{ type: "string" }, list], ...hints(opts) }, required);
  const v = present(raw, key, at);
  if (v === undefined || (Array.isArray(v) && v.length === 0)) {
    if (required) at.problem(key, `missing: set it to ${opts.required}`);
    return [];
  }
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  at.problem(key, `expected a list of strings like ["a", "b"], got ${shown(v)}`);
  return [];
}

/** A nested object, or undefined when absent (in describe mode, an empty one). */
export function record(raw: Raw, key: string, at: Scope): Raw | undefined {
  at.describe(key, { type: "object" });
  const v = present(raw, key, at);
  if (v === undefined) return at.describing ? {} : undefined;
  if (!isRaw(v)) {
    at.problem(key, `expected an object { ... }, got ${shown(v)}`);
    return undefined;
  }
  return v;
}

/** A list (of objects, read by the caller through `at.child(key).item(i)`); [] when absent (in describe mode, one empty item). */
export function list(raw: Raw, key: string, at: Scope, example: string): unknown[] {
  at.describe(key, { type: "array" });
  const v = present(raw, key, at);
  if (v === undefined) return at.describing ? [{}] : [];
  if (!Array.isArray(v)) {
    at.problem(key, `expected a list ${example}, got ${shown(v)}`);
    return [];
  }
  return v;
}

/** One of a fixed set of strings ("" is the fallback too). */
export function oneOf<T extends string>(raw: Raw, key: string, at: Scope, values: readonly T[], fallback: T): T {
  at.describe(key, { ...orReference({ enum: [...values, ""] }), default: fallback });
  const v = present(raw, key, at);
  if (v === undefined || v === "") return fallback;
  if (typeof v === "string" && (values as readonly string[]).includes(v)) return v as T;
  at.problem(key, `expected one of ${values.map((x) => JSON.stringify(x)).join(", ")}, got ${shown(v)}`);
  return fallback;
}
