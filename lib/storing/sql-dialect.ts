/**
 * The shapes between the SQL storages' machinery (sql-store.ts, sql-shared.ts) and each type
 * file (postgres.ts, mysql.ts, sqlite3.ts): the little a driver must do, and what differs
 * between databases.
 */

/** A row as the driver returns it. */
export type Row = Record<string, unknown>;

/** Runs one statement; resolves with its rows (none for INSERT/DELETE/DDL). Placeholders are in the dialect's style. */
export type SqlQuery = (sql: string, params?: readonly unknown[]) => Promise<Row[]>;

/** The little a storage needs from a driver. */
export interface SqlClient {
  query: SqlQuery;
  /**
   * Runs `work` on one connection that nothing else uses meanwhile (a pool client, or the one
   * SQLite handle), so the statements it sends form one transaction.
   */
  session<T>(work: (query: SqlQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** What differs between databases: placeholders, quoting, DDL, locking and error codes. */
export interface Dialect {
  /** For messages: "PostgreSQL", "MySQL", "SQLite". */
  readonly name: string;
  /** checkup's CREATE … IF NOT EXISTS statements, run in order when `create` is true. */
  readonly schema: readonly string[];
  /** The heartbeat pings' table (extension), created the same way, on first use. */
  readonly pingSchema: readonly string[];
  /** Auto shards' node registry (extension), created the same way, on first use. */
  readonly nodeSchema: readonly string[];
  /** An expression for the server's time now, integer Unix ns: the one clock all nodes' beats are judged by. */
  readonly now: string;
  /** The shared documents' table (extension, sql-shared.ts), created the same way, on first use. */
  readonly sharedSchema: readonly string[];
  /** What turns an INSERT into an upsert: the clause after VALUES that updates `columns` when `key` exists. */
  onConflictUpdate(key: string, columns: readonly string[]): string;
  /** The clause after VALUES that keeps the row already at `key` unchanged instead of failing. */
  onConflictKeep(key: string): string;
  /** Begins a transaction that will write, taking the database's write lock at once where that is how it locks (SQLite). */
  readonly begin: string;
  /** What a SELECT ends with to lock the rows it reads until commit; "" where `begin` already excludes other writers. */
  readonly forUpdate: string;
  /** The n-th (1-based) parameter placeholder. */
  param(n: number): string;
  quote(identifier: string): string;
  /** A primary key or unique index refused the row. */
  isDuplicate(e: unknown): boolean;
  /** The `checks` table does not exist. */
  isMissingTable(e: unknown): boolean;
  /** A CREATE … IF NOT EXISTS lost a race with another process's (PostgreSQL's is not atomic). */
  isRacingCreate?(e: unknown): boolean;
  /** The database rolled the transaction back to break a deadlock; running it again is safe. */
  isDeadlock?(e: unknown): boolean;
}
