/**
 * One mechanism for the three plug-in families (checkers, storages, notifiers): a registry maps a
 * type name to a lazy import, so a type's module (and any SDK it needs) loads only when a config
 * names it, and the type name is written in exactly one place.
 */
import { createHash } from "node:crypto";
import { shown, str, type Raw, type Scope } from "./config/fields.js";

export type Registry<T> = Readonly<Record<string, () => Promise<{ default: T }>>>;

export interface TypeLookup {
  /** "checker", "storage", "notifier": used in messages. */
  family: string;
  /** Keys that older checkup versions used instead of `type` (`provider`, `name`). */
  legacyKeys?: readonly string[];
}

/**
 * Reads an object's type, loads its module and builds it with `build` (handed the scope to read
 * its fields in). Unknown or missing types become a Problem that lists the known ones; the result
 * is then undefined. In describe mode every registered type is built once, each into its own
 * variant of the family, and the result is undefined.
 */
export async function parseTyped<T, R>(registry: Registry<T>, raw: Raw, at: Scope, lookup: TypeLookup,
  build: (name: string, type: T, at: Scope) => R): Promise<R | undefined> {
  if (at.describing) {
    const keys = ["type", ...lookup.legacyKeys ?? []];
    for (const [name, load] of Object.entries(registry)) build(name, await loaded(registry, name, load), at.variant(keys, name));
    return undefined;
  }
  const known = Object.keys(registry).join(", ");
  const legacyKey = lookup.legacyKeys?.find((k) => typeof raw[k] === "string" && raw.type === undefined);
  const key = legacyKey ?? "type";
  const name = str(raw, key, at, { required: `one of: ${known}` });
  if (!name) return undefined;
  const load = Object.hasOwn(registry, name) ? registry[name] : undefined;
  if (!load) {
    at.problem(key, `unknown ${lookup.family} type ${shown(name)}; known: ${known}`);
    return undefined;
  }
  return build(name, await loaded(registry, name, load), at);
}

/**
 * What identifies a configured plug-in across runs: its type and a hash of its parsed options, so
 * it changes when the config does and never holds a secret the options do. Keys a notifier's alert
 * state and a storage's spool.
 */
export function configId(name: string, options: unknown): string {
  return `${name}:${createHash("sha256").update(JSON.stringify(options) ?? "").digest("hex").slice(0, 12)}`;
}

// import() of a module already loaded still walks the module loader; a config with 1,000
// checkers of one type should pay for that once.
const modules = new WeakMap<object, Map<string, Promise<unknown>>>();

function loaded<T>(registry: Registry<T>, name: string, load: () => Promise<{ default: T }>): Promise<T> {
  let byName = modules.get(registry);
  if (!byName) modules.set(registry, (byName = new Map()));
  let type = byName.get(name) as Promise<T> | undefined;
  if (!type) byName.set(name, (type = load().then((m) => m.default)));
  return type;
}
