/**
 * Shared documents (SharedStore) in the SQL storages: table `checkup_shared`, one row per
 * document. An update is one transaction on one connection: make sure the row exists without
 * changing it, lock it (SELECT … FOR UPDATE; SQLite's BEGIN IMMEDIATE locks the whole file), run
 * `update` on what it holds, write the result, commit. A node waiting for the lock then reads the
 * committed text, so no update is lost; an `update` that throws rolls everything back.
 */
import { nowUnixNanos } from "../nanos.js";
import type { SharedUpdate } from "../types.js";
import type { Dialect, SqlClient, SqlQuery } from "./sql-dialect.js";
import { retryRaces } from "./retry.js";

export const SHARED_TABLE = "checkup_shared";

/** The table for PostgreSQL and SQLite; `body` NULL is a row claimed by an update not yet committed. */
export const SHARED_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS ${SHARED_TABLE} (
    name VARCHAR(200) NOT NULL PRIMARY KEY,
    body TEXT,
    updated_at INT8 NOT NULL
)`,
];

/** PostgreSQL's and SQLite's (3.24+) insert that leaves an existing row alone. */
export function onConflictDoNothing(key: string): string {
  return `ON CONFLICT (${key}) DO NOTHING`;
}

/** Transactions the database broke to end a deadlock are run again, at most this many times in all. */
const DEADLOCK_TRIES = 5;

export interface SharedStatements {
  read: string;
  claim: string;
  lock: string;
  write: string;
}

export function sharedStatements(d: Dialect): SharedStatements {
  const [t, name, body, updatedAt] = [SHARED_TABLE, "name", "body", "updated_at"].map((id) => d.quote(id));
  const p = (n: number) => d.param(n);
  return {
    read: `SELECT ${body} FROM ${t} WHERE ${name} = ${p(1)}`,
    claim: `INSERT INTO ${t} (${name}, ${body}, ${updatedAt}) VALUES (${p(1)}, NULL, ${p(2)}) ${d.onConflictKeep(name!)}`,
    lock: `SELECT ${body} FROM ${t} WHERE ${name} = ${p(1)}${d.forUpdate ? ` ${d.forUpdate}` : ""}`,
    write: `UPDATE ${t} SET ${body} = ${p(1)}, ${updatedAt} = ${p(2)} WHERE ${name} = ${p(3)}`,
  };
}

/** A `body` column as text; undefined for no row or a NULL. */
export function bodyText(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

/**
 * One update of document `name` in a transaction. Database errors go through `explain`; an error
 * from `update` is thrown as it is.
 */
export async function updateSharedRow<T>(client: SqlClient, d: Dialect, q: SharedStatements, name: string,
  update: (current: string | undefined) => Promise<SharedUpdate<T>>, explain: (e: unknown) => unknown): Promise<T> {
  let failed: { error: unknown } | undefined;
  const transaction = (query: SqlQuery) => inTransaction(query, d, async () => {
    await query(q.claim, [name, nowUnixNanos()]);
    const [row] = await query(q.lock, [name]);
    let next: SharedUpdate<T>;
    try {
      next = await update(bodyText(row?.body));
    } catch (error) {
      failed = { error };
      throw error;
    }
    await query(q.write, [next.text, nowUnixNanos(), name]);
    return next.value;
  });
  try {
    return await retryRaces(() => client.session(transaction), (e) => e !== failed?.error && d.isDeadlock?.(e) === true, DEADLOCK_TRIES);
  } catch (e) {
    throw failed && e === failed.error ? e : explain(e);
  }
}

/** Runs `work` between the dialect's BEGIN and COMMIT, rolling back when it throws. */
async function inTransaction<T>(query: SqlQuery, d: Dialect, work: () => Promise<T>): Promise<T> {
  await query(d.begin);
  try {
    const out = await work();
    await query("COMMIT");
    return out;
  } catch (e) {
    // A failed ROLLBACK (a lost connection) leaves nothing behind: the server drops the transaction.
    await query("ROLLBACK").catch(() => undefined);
    throw e;
  }
}

/**
 * Runs `work` on a pooled connection, then gives it back; one whose work failed may still be
 * inside a transaction, so `release` is told to close it instead (`broken`).
 */
export async function onConnection<C, T>(conn: C, work: (conn: C) => Promise<T>, release: (conn: C, broken: boolean) => void): Promise<T> {
  let broken = true;
  try {
    const out = await work(conn);
    broken = false;
    return out;
  } finally {
    release(conn, broken);
  }
}
