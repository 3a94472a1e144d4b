/**
 * checkup.json's JSON Schema (draft-07, which editors support best), built from describe mode
 * (shape.ts): the loader's own readers say what each key holds, so the schema cannot drift from
 * what the loader accepts. It may accept a little more (rules across fields, URL forms, files
 * that must exist are the loader's), never less: unknown keys pass, as the loader only warns.
 */
import { describeCheckupConfig } from "./checkup-json.js";
import { DEFINITIONS, Shape, type JsonSchema } from "./shape.js";

export interface SchemaOptions {
  /** Refuse keys the loader does not read. Tests use it to prove every key a config uses is described. */
  closed?: boolean;
}

/** The schema of checkup.json, as shipped in checkup.schema.json. */
export async function checkupSchema(options: SchemaOptions = {}): Promise<JsonSchema> {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "checkup.json",
    description: "checkup's configuration: checkers, storage, notifiers. Strings may hold ${NAME} references to environment variables.",
    ...schemaOf(await describeCheckupConfig(), options),
    definitions: DEFINITIONS,
  };
}

/** The text of checkup.schema.json: what `checkup schema` prints. */
export async function checkupSchemaText(): Promise<string> {
  return `${JSON.stringify(await checkupSchema(), null, 2)}\n`;
}

function schemaOf(node: JsonSchema | Shape, options: SchemaOptions): JsonSchema {
  if (!(node instanceof Shape)) return node;
  if (node.items) return { type: "array", items: schemaOf(node.items, options) };
  if (node.family) return familySchema(node.family, options);
  return objectSchema(node, options);
}

function objectSchema(shape: Shape, options: SchemaOptions, also: Record<string, JsonSchema | boolean> = {}): JsonSchema {
  const properties: Record<string, JsonSchema | boolean> = { ...also };
  for (const [key, node] of shape.fields) {
    const schema = schemaOf(node, options);
    // The loader reads null as "not set", so an optional key may hold it.
    properties[key] = shape.required.has(key) ? schema : orNull(schema);
  }
  return {
    type: "object",
    properties,
    ...(shape.required.size > 0 && { required: [...shape.required] }),
    ...(options.closed && { additionalProperties: false }),
  };
}

/**
 * A plug-in family: `type` (or, when `type` is absent, a legacy key such as storage's `provider`)
 * names one of the registered types, and that type's fields apply.
 */
function familySchema(family: NonNullable<Shape["family"]>, options: SchemaOptions): JsonSchema {
  const names = [...family.types.keys()];
  const [typeKey, ...legacyKeys] = family.keys as [string, ...string[]];
  const named = { type: "string", enum: names };
  const selects = (name: string): JsonSchema => ({
    type: "object",
    anyOf: [
      { required: [typeKey], properties: { [typeKey]: { const: name } } },
      ...legacyKeys.map((key) => ({ required: [key], not: { required: [typeKey] }, properties: { [key]: { const: name } } })),
    ],
  });
  const typeKeys = Object.fromEntries(family.keys.map((key) => [key, true]));
  return {
    type: "object",
    properties: {
      [typeKey]: { ...named, description: "which kind this is; its fields follow" },
      ...Object.fromEntries(legacyKeys.map((key) => [key, { type: "string", description: `what checkup 1.x called "${typeKey}"` }])),
    },
    anyOf: [{ required: [typeKey] }, ...legacyKeys.map((key) => ({ required: [key], properties: { [key]: named } }))],
    allOf: names.map((name) => ({ if: selects(name), then: objectSchema(family.types.get(name)!, options, typeKeys) })),
  };
}

/** `schema`, or null. Keywords besides `type` (required, properties, ...) apply to objects only, so null passes them. */
function orNull(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === "string") return { ...schema, type: [schema.type, "null"] };
  if (Array.isArray(schema.anyOf)) return { ...schema, anyOf: [...schema.anyOf, { type: "null" }] };
  return schema;
}
