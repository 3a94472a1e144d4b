/**
 * `sqlite3`: checkup's `checks` table in an SQLite file, through `better-sqlite3` (an optional
 * dependency, compiled at install, loaded only when the storage opens). `dsn` is the file name,
 * relative to the working directory as in checkup; Go's `file:name.db?…` form is accepted too.
 */
import { statSync } from "node:fs";
import path from "node:path";
import type { Statement } from "better-sqlite3";
import { str, type Raw, type Scope } from "../config/fields.js";
import { formatBound, MAX_TIMEOUT } from "../duration.js";
import { CHECKS_SCHEMA, errorCode, NODES_SCHEMA, onConflictDoUpdate, PINGS_SCHEMA, parseSqlOptions, SqlStorage, type Dialect, type SqlOptions, type SqlQuery } from "../storing/sql-store.js";
import { onConflictDoNothing, SHARED_SCHEMA } from "../storing/sql-shared.js";
import { serial, type Serial } from "../storing/serial.js";
import { importPackage } from "../optional-package.js";
import type { StorageType } from "../plugin-types.js";

export const sqliteDialect: Dialect = {
  name: "SQLite",
  schema: CHECKS_SCHEMA,
  pingSchema: PINGS_SCHEMA,
  sharedSchema: SHARED_SCHEMA,
  nodeSchema: NODES_SCHEMA,
  // julianday() is days (a double, to the millisecond) since noon 4714 BC; 2440587.5 is 1970-01-01.
  now: "(CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) * 1000000)",
  onConflictUpdate: onConflictDoUpdate,
  onConflictKeep: onConflictDoNothing,
  // Takes the file's write lock at once: another process's BEGIN IMMEDIATE waits (busy_timeout) until COMMIT.
  begin: "BEGIN IMMEDIATE",
  forUpdate: "",
  param: () => "?",
  quote: (id) => `"${id}"`,
  isDuplicate: (e) => /^SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)$/.test(errorCode(e) ?? ""),
  isMissingTable: (e) => errorCode(e) === "SQLITE_ERROR" && /^no such table/.test((e as Error).message),
};

export interface SqliteFile {
  file: string;
  readonly: boolean;
  /** How long to wait for another process's lock. Milliseconds. */
  busyTimeout: number;
}

/** Milliseconds to wait for another writer's lock: at most MAX_TIMEOUT (SQLite takes a 32-bit int). */
function busyTimeout(name: string, value: string, at: Scope, key: string): number {
  const ms = Number(value);
  if (ms <= MAX_TIMEOUT / 1e6) return ms;
  at.problem(key, `${name} must be at most ${MAX_TIMEOUT / 1e6} (milliseconds, ${formatBound(MAX_TIMEOUT)}), got ${value}`);
  return 5000;
}

/** Reads a file name or a Go `file:` URI (`mode=ro`, `_busy_timeout`/`_timeout` in ms are honoured). */
export function parseSqliteDsn(dsn: string, at: Scope, key: string): SqliteFile {
  const m = /^(?:file:)?([^?]*)(?:\?(.*))?$/s.exec(dsn)!;
  const out: SqliteFile = { file: m[1]!, readonly: false, busyTimeout: 5000 };
  for (const [k, v] of new URLSearchParams(m[2] ?? "")) {
    if (k === "mode" && v === "ro") out.readonly = true;
    else if (k === "mode" && v === "memory") out.file = ":memory:";
    else if ((k === "_busy_timeout" || k === "_timeout") && /^\d+$/.test(v)) out.busyTimeout = busyTimeout(k, v, at, key);
    else at.warn(key, `setting ${k}=${v} is ignored`);
  }
  if (!out.file) at.problem(key, `missing the database file name, e.g. "checkup.db"`);
  return out;
}

/** The file's identity; undefined when it is missing. */
function fileId(file: string): string | undefined {
  const s = statSync(file, { throwIfNoEntry: false });
  return s && `${s.dev}:${s.ino}`;
}

/**
 * Statements on one file from this process, one at a time. While a session holds its transaction
 * open across an `await`, a statement on the same handle would land inside it, and one on another
 * handle to the same file would wait for SQLite's lock synchronously, blocking the very event loop
 * that is to commit it. Other processes simply wait for the lock (busy_timeout).
 */
const fileQueues = new Map<string, Serial>();

function fileQueue(file: string): Serial {
  const key = path.resolve(file);
  let queue = fileQueues.get(key);
  if (!queue) fileQueues.set(key, (queue = serial()));
  return queue;
}

/**
 * Opens the file, and opens it again when it was deleted or replaced under the running process:
 * SQLite would go on refusing every write to the old one (SQLITE_READONLY_DBMOVED) until a restart.
 */
export async function openSqlite(type: string, f: SqliteFile, options: SqlOptions): Promise<SqlStorage> {
  const Database = (await importPackage(() => import("better-sqlite3"), "better-sqlite3", `the ${type} storage`)).default;
  const open = () => {
    try {
      return new Database(f.file, { readonly: f.readonly, fileMustExist: f.readonly, timeout: f.busyTimeout });
    } catch (e) {
      throw new Error(`${type} storage (${f.file}): ${(e as Error).message}`, { cause: e });
    }
  };
  const inMemory = f.file === ":memory:";
  let db = open();
  let opened = inMemory ? undefined : fileId(f.file);
  const statements = new Map<string, Statement<unknown[], Record<string, unknown>>>();
  const current = () => {
    if (inMemory || fileId(f.file) === opened) return db;
    db.close();
    statements.clear();
    db = open();
    opened = fileId(f.file);
    return db;
  };
  const query: SqlQuery = async (sql, params = []) => {
    const handle = current();
    let stmt = statements.get(sql);
    if (!stmt) statements.set(sql, (stmt = handle.prepare<unknown[], Record<string, unknown>>(sql)));
    // safeIntegers: INT8 timestamps come back as bigint, never as a rounded double.
    if (stmt.reader) return stmt.safeIntegers(true).all(...params);
    stmt.run(...params);
    return [];
  };
  const exclusive = inMemory ? serial() : fileQueue(f.file);
  return new SqlStorage(type, {
    query: (sql, params) => exclusive(() => query(sql, params)),
    session: (work) => exclusive(() => work(query)),
    close: () => exclusive(async () => void db.close()),
  }, sqliteDialect, f.file, options);
}

export interface Sqlite3Options extends SqlOptions {
  database: SqliteFile;
}

export default {
  parse: (raw: Raw, at: Scope): Sqlite3Options => {
    const dsn = str(raw, "dsn", at, { required: `the SQLite database file, e.g. "checkup.db"` });
    return {
      database: parseSqliteDsn(dsn || "checkup.db", at, "dsn"),
      ...parseSqlOptions(raw, at),
    };
  },
  create: (o: Sqlite3Options) => openSqlite("sqlite3", o.database, o),
  keepsPings: true,
  sharesState: true,
  registersNodes: true,
} satisfies StorageType<Sqlite3Options>;
