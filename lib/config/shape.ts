/**
 * Describe mode. Parsing a config against a Scope that holds a Shape makes every reader say what
 * it reads: each key's JSON Schema, whether it is required, and which objects are plug-in
 * families chosen by `type`. schema.ts turns the shape of a whole config into checkup.json's JSON
 * Schema, so the schema comes from the loader itself and cannot drift from it.
 */
import { DURATION_PATTERN, formatBound, MAX_NANOS, type Nanos } from "../duration.js";
import { ENV_REFERENCE_PATTERN } from "./env.js";

/** A JSON Schema fragment (draft-07 keywords). */
export type JsonSchema = { [keyword: string]: unknown };

/** What describe mode learns about one config object. */
export class Shape {
  /** Each key's schema, or the shape of the object or list it holds; in the order they were read. */
  readonly fields = new Map<string, JsonSchema | Shape>();
  readonly required = new Set<string>();
  /** Set when this key holds a list: the shape of each item. */
  items?: Shape;
  /** Set when `type` (or a legacy key) picks one of several shapes: one per registered type. */
  family?: { keys: readonly string[]; types: Map<string, Shape> };

  /** Records what `key` holds; a later description of the same key wins (a reader built on another refines it). */
  field(key: string, schema: JsonSchema, required: boolean): void {
    this.fields.set(key, schema);
    if (required) this.required.add(key);
    else this.required.delete(key);
  }

  /** The shape of the object (or list) under `key`, made on first use. */
  object(key: string): Shape {
    const known = this.fields.get(key);
    if (known instanceof Shape) return known;
    const shape = new Shape();
    this.fields.set(key, shape);
    return shape;
  }

  list(): Shape {
    return (this.items ??= new Shape());
  }

  /** The shape of the objects whose `keys[0]` (or a later, legacy key) is `name`. */
  variant(keys: readonly string[], name: string): Shape {
    this.family ??= { keys, types: new Map() };
    let shape = this.family.types.get(name);
    if (!shape) this.family.types.set(name, (shape = new Shape()));
    return shape;
  }
}

/** `make()` run once, on first call: a scope attaches its shape only when something is described in it. */
export function lazily<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** Fragments many keys share, kept once under the schema's `definitions`. */
export const DEFINITIONS: Record<string, JsonSchema> = {
  reference: { type: "string", pattern: ENV_REFERENCE_PATTERN, description: "holds a ${NAME} reference, expanded from the environment" },
  durationText: { anyOf: [{ type: "string", pattern: DURATION_PATTERN }, { $ref: "#/definitions/reference" }] },
};

/** A string holding a `${NAME}` reference may become anything once expanded, so it passes any string rule. */
export function orReference(schema: JsonSchema): JsonSchema {
  return { anyOf: [schema, { $ref: "#/definitions/reference" }] };
}

/** What a reader's options tell a schema reader: the hint as a description, the example, the default. */
export function hints(opts: { required?: string; example?: string; note?: string; default?: unknown }): JsonSchema {
  const out: JsonSchema = {};
  const text = opts.required ?? opts.note;
  if (text) out.description = text;
  if (opts.example !== undefined) out.examples = [opts.example];
  if (opts.default !== undefined && opts.default !== "") out.default = opts.default;
  return out;
}

/** A duration in whole `unit`s (0, or from min to max; both in ns) or a duration string, whose bounds only the loader checks. */
export function durationSchema(o: { default: Nanos; min?: Nanos; max?: Nanos; unit: Nanos; words: string }): JsonSchema {
  const max = Math.floor((o.max ?? MAX_NANOS) / o.unit);
  const min = Math.ceil((o.min ?? 0) / o.unit);
  const whole: JsonSchema = { type: "integer", minimum: 0, maximum: max, ...(min > 1 && { not: { exclusiveMinimum: 0, exclusiveMaximum: min } }) };
  const bounds = `${min > 0 ? `0 or at least ${formatBound(min * o.unit)}, ` : ""}at most ${formatBound(max * o.unit)}`;
  return {
    description: `${o.words}, or a duration like "10s", "1h30m", "14d"; ${bounds}`,
    anyOf: [whole, { $ref: "#/definitions/durationText" }],
    ...(o.default > 0 && { default: o.default / o.unit }),
  };
}
