/** The storage registry: the one place a storage type's name is written. */
import type { Raw, Scope } from "../config/fields.js";
import { loadType, type Registry } from "../registry.js";
import type { Storage } from "../types.js";

export interface StorageType<O> {
  /** Reads this type's fields. Pure: validating a config never loads an SDK or opens a connection. */
  parse(raw: Raw, at: Scope): O;
  /** Builds the storage. Heavy SDKs are imported here, not at module load. */
  create(options: O): Promise<Storage>;
  /** Its storages are PingStores (heartbeat pings), known before one is opened so a config can be checked. */
  keepsPings?: boolean;
}

/** A storage config that was read and checked, ready to open. */
export interface StorageSpec {
  type: string;
  keepsPings: boolean;
  open(): Promise<Storage>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each type has its own options
export const storageTypes: Registry<StorageType<any>> = {
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
export async function parseStorage(raw: Raw, at: Scope): Promise<StorageSpec | undefined> {
  const found = await loadType(storageTypes, raw, at, { family: "storage", legacyKeys: ["provider"] });
  if (!found) return undefined;
  const options: unknown = found.type.parse(raw, at);
  at.warnUnknownKeys(raw);
  return { type: found.name, keepsPings: found.type.keepsPings === true, open: () => found.type.create(options) };
}

/** The storage types that keep heartbeat pings, for messages (loads each type's module, none of their SDKs). */
export async function pingStorageTypes(): Promise<string[]> {
  const names = Object.keys(storageTypes);
  const keeps = await Promise.all(names.map(async (name) => (await storageTypes[name]!()).default.keepsPings === true));
  return names.filter((_, i) => keeps[i]);
}
