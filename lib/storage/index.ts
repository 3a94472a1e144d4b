/** The storage registry: the one place a storage type's name is written. */
import type { Raw, Scope } from "../config/fields.js";
import { configId, parseTyped, type Registry } from "../registry.js";
import type { StorageSpec, StorageType } from "../plugin-types.js";

export const storageTypes: Registry<StorageType<unknown>> = {
  fs: () => import("./fs.js"),
  s3: () => import("./s3.js"),
  github: () => import("./github.js"),
  postgres: () => import("./postgres.js"),
  mysql: () => import("./mysql.js"),
  sqlite3: () => import("./sqlite3.js"),
  sql: () => import("./sql.js"),
  appinsights: () => import("./appinsights.js"),
};

/** Reads `storage` (`type`, or checkup 1.x's `provider`). */
export function parseStorage(raw: Raw, at: Scope): Promise<StorageSpec | undefined> {
  return parseTyped(storageTypes, raw, at, { family: "storage", legacyKeys: ["provider"] }, (name, type, typeAt) => {
    const options: unknown = type.parse(raw, typeAt);
    typeAt.warnUnknownKeys(raw);
    return { type: name, id: configId(name, options), keepsPings: type.keepsPings === true,
      sharesState: type.sharesState === true, registersNodes: type.registersNodes === true, open: () => type.create(options) };
  });
}

/** The storage types that have `capability`, for messages (loads each type's module, none of their SDKs). */
export async function storageTypesThat(capability: "keepsPings" | "sharesState" | "registersNodes"): Promise<string[]> {
  const names = Object.keys(storageTypes);
  const has = await Promise.all(names.map(async (name) => (await storageTypes[name]!()).default[capability] === true));
  return names.filter((_, i) => has[i]);
}

/** The storage types that keep heartbeat pings. */
export const pingStorageTypes = (): Promise<string[]> => storageTypesThat("keepsPings");

