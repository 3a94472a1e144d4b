/** The storage registry: the one place a storage type's name is written. */
import type { Raw, Scope } from "../config/fields.js";
import { parseTyped, type Registry } from "../registry.js";
import type { Storage } from "../types.js";

export interface StorageType<O> {
  /** Reads this type's fields. Pure: validating a config never loads an SDK or opens a connection. */
  parse(raw: Raw, at: Scope): O;
  /** Builds the storage. Heavy SDKs are imported here, not at module load. */
  create(options: O): Promise<Storage>;
}

/** A storage config that was read and checked, ready to open. */
export interface StorageSpec {
  type: string;
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
export function parseStorage(raw: Raw, at: Scope): Promise<StorageSpec | undefined> {
  return parseTyped(storageTypes, raw, at, { family: "storage", legacyKeys: ["provider"] }, (name, type, typeAt) => {
    const options: unknown = type.parse(raw, typeAt);
    typeAt.warnUnknownKeys(raw);
    return { type: name, open: () => type.create(options) };
  });
}
