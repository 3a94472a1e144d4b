/**
 * The SQL storages (`postgres`, `mysql`, `sqlite3` and the legacy `sql`): checkup's table
 * `checks(name, timestamp, results)`, one row per stored round, so a database the Go checkup
 * wrote keeps working in both directions; beside it the extensions' tables, `checkup_heartbeats`
 * (heartbeat pings) and `checkup_nodes` (auto shards' node registry). Dialects differ only in what {@link Dialect} holds;
 * each type file adds its driver and DSN. Unlike checkup, which opens a connection per operation,
 * a storage keeps one pool (or one SQLite handle) until close().
 */
import { bool, nanos, type Raw, type Scope } from "../config/fields.js";
import { MINUTE } from "../duration.js";
import { nowUnixNanos, toUnixNanos, type UnixNanos } from "../nanos.js";
import { parseResults, resultsJson } from "../result.js";
import type { Maintainer, NodeBeat, NodeRegistry, Ping, PingStore, Result, SharedStore, SharedUpdate, Storage, StorageReader, StoreIndex } from "../types.js";
import type { Nanos } from "../duration.js";
import { placeRound } from "../files/index-file.js";
import type { Dialect, Row, SqlClient } from "./sql-dialect.js";
import { assertSharedName } from "./shared-docs.js";
import { bodyText, SHARED_TABLE, sharedStatements, updateSharedRow, type SharedStatements } from "./sql-shared.js";

export type { Dialect, Row, SqlClient, SqlQuery } from "./sql-dialect.js";
export interface SqlOptions {
  /** Run the schema (CREATE TABLE/INDEX IF NOT EXISTS) before first use. */
  create: boolean;
  /** Delete rounds older than this on maintain(); 0 = keep forever. Integer ns. */
  checkExpiry: number;
}

/** `create` and `check_expiry`, which every SQL storage takes. */
export function parseSqlOptions(raw: Raw, at: Scope): SqlOptions {
  // Under a minute is a unit slip (seconds written as ns) that would delete every round.
  return { create: bool(raw, "create", at), checkExpiry: nanos(raw, "check_expiry", at, { default: 0, min: MINUTE }) };
}

/** checkup's schema for PostgreSQL and SQLite (MySQL's differs), run when `create` is true. */
export const CHECKS_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS checks (
    name TEXT NOT NULL PRIMARY KEY,
    timestamp INT8 NOT NULL,
    results TEXT
)`,
  "CREATE UNIQUE INDEX IF NOT EXISTS idx_checks_timestamp ON checks(timestamp)",
];

/** The heartbeat pings' table for PostgreSQL and SQLite: one row per heartbeat, its latest ping. */
export const PINGS_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS checkup_heartbeats (
    ping_key VARCHAR(64) NOT NULL PRIMARY KEY,
    pinged_at INT8 NOT NULL,
    status INT NOT NULL,
    message TEXT
)`,
];

/** The node registry for PostgreSQL and SQLite: one row per process (node and instance), its last beat. */
export const NODES_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS checkup_nodes (
    node VARCHAR(253) NOT NULL,
    instance VARCHAR(64) NOT NULL,
    beat_at INT8 NOT NULL,
    PRIMARY KEY (node, instance)
)`,
];

/** PostgreSQL's and SQLite's upsert (SQLite 3.24+). */
export function onConflictDoUpdate(key: string, columns: readonly string[]): string {
  return `ON CONFLICT (${key}) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(", ")}`;
}

/** A table this storage uses, and the statements that create it. */
interface Table {
  name: string;
  schema: readonly string[];
}

/** Error codes drivers set (pg: SQLSTATE in `code`; mysql2: `code`; better-sqlite3: `code`). */
export function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

export class SqlStorage implements Storage, StorageReader, Maintainer, PingStore, SharedStore, NodeRegistry {
  /** Each table's schema run (when `create` is set), once per storage. */
  private readonly ready = new Map<Table, Promise<void>>();
  private readonly checks: Table;
  private readonly heartbeats: Table;
  private readonly shared: Table;
  private readonly sharedQ: SharedStatements;
  private readonly nodes: Table;
  private readonly q: Record<"insert" | "exists" | "index" | "fetch" | "expired" | "expire" | "recordPing" | "lastPing" | "beat" | "forget" | "live" | "leave", string>;

  /**
   * @param type the config's type name (`postgres`, `sql`, …)
   * @param target where the data lives, for messages; never holds a password
   */
  constructor(readonly type: string, private readonly client: SqlClient, private readonly dialect: Dialect,
    readonly target: string, private readonly options: SqlOptions) {
    const [t, name, ts, results] = ["checks", "name", "timestamp", "results"].map((id) => dialect.quote(id));
    const p = (n: number) => dialect.param(n);
    this.checks = { name: "checks", schema: dialect.schema };
    this.heartbeats = { name: "checkup_heartbeats", schema: dialect.pingSchema };
    this.shared = { name: SHARED_TABLE, schema: dialect.sharedSchema };
    this.sharedQ = sharedStatements(dialect);
    this.nodes = { name: "checkup_nodes", schema: dialect.nodeSchema };
    const [nodes, node, instance, beatAt] = ["checkup_nodes", "node", "instance", "beat_at"].map((id) => dialect.quote(id));
    const [hb, key, pingedAt, status, message] = ["checkup_heartbeats", "ping_key", "pinged_at", "status", "message"].map((id) => dialect.quote(id));
    this.q = {
      insert: `INSERT INTO ${t} (${name}, ${ts}, ${results}) VALUES (${p(1)}, ${p(2)}, ${p(3)})`,
      exists: `SELECT ${name} FROM ${t} WHERE ${name} = ${p(1)}`,
      index: `SELECT ${name}, ${ts} FROM ${t}`,
      fetch: `SELECT ${results} FROM ${t} WHERE ${name} = ${p(1)} LIMIT 1`,
      expired: `SELECT ${name} FROM ${t} WHERE ${ts} < ${p(1)} ORDER BY ${ts}`,
      expire: `DELETE FROM ${t} WHERE ${ts} < ${p(1)}`,
      recordPing: `INSERT INTO ${hb} (${key}, ${pingedAt}, ${status}, ${message}) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}) ` +
        dialect.onConflictUpdate(key!, [pingedAt!, status!, message!]),
      lastPing: `SELECT ${pingedAt}, ${status}, ${message} FROM ${hb} WHERE ${key} = ${p(1)}`,
      beat: `INSERT INTO ${nodes} (${node}, ${instance}, ${beatAt}) VALUES (${p(1)}, ${p(2)}, ${dialect.now}) ` +
        dialect.onConflictUpdate(`${node}, ${instance}`, [beatAt!]),
      forget: `DELETE FROM ${nodes} WHERE ${beatAt} < ${dialect.now} - ${p(1)}`,
      live: `SELECT ${node}, ${instance}, ${beatAt} FROM ${nodes} WHERE ${beatAt} >= ${dialect.now} - ${p(1)} ORDER BY ${node}, ${instance}`,
      leave: `DELETE FROM ${nodes} WHERE ${node} = ${p(1)} AND ${instance} = ${p(2)}`,
    };
  }

  /**
   * Stores a round as `<at>-check.json`; a name held by another round or an insert time already
   * taken moves on by 1 ns, a name holding this very round (a retry) is kept.
   */
  async store(results: Result[], at: UnixNanos = nowUnixNanos()): Promise<string> {
    const body = resultsJson(results);
    let storedAt = nowUnixNanos();
    const { name } = await placeRound(at, body, {
      create: async (name) => {
        for (;;) {
          try {
            await this.run(this.q.insert, [name, storedAt, body]);
            return true;
          } catch (e) {
            if (!this.dialect.isDuplicate(e)) throw e;
            // Another writer took the name, or the same insert nanosecond (timestamp is UNIQUE).
            if ((await this.run(this.q.exists, [name])).length > 0) return false;
            storedAt = maxOf(nowUnixNanos(), storedAt + 1n);
          }
        }
      },
      read: async (name) => {
        const [row] = await this.run(this.q.fetch, [name]);
        return row?.results === null || row?.results === undefined ? undefined : String(row.results);
      },
    });
    return name;
  }

  async index(): Promise<StoreIndex> {
    const index: StoreIndex = new Map();
    for (const row of await this.run(this.q.index, [])) {
      const ns = toUnixNanos(row.timestamp);
      if (typeof row.name === "string" && ns !== undefined) index.set(row.name, ns);
    }
    return index;
  }

  async fetch(name: string): Promise<Result[]> {
    const [row] = await this.run(this.q.fetch, [name]);
    if (!row) throw new Error(`${this.where()}: no stored round named ${JSON.stringify(name)}`);
    // checkup's column is nullable; Go reads a NULL as an empty round.
    if (row.results === null || row.results === undefined) return [];
    return parseResults(String(row.results), `${this.where()}: checks ${JSON.stringify(name)}`);
  }

  /** Deletes rounds stored before now − check_expiry, as checkup's DELETE does. */
  async maintain(now: UnixNanos = nowUnixNanos()): Promise<{ removed: string[] }> {
    if (this.options.checkExpiry <= 0) return { removed: [] };
    const cutoff = now - BigInt(this.options.checkExpiry);
    const removed = (await this.run(this.q.expired, [cutoff])).map((row) => String(row.name));
    if (removed.length > 0) await this.run(this.q.expire, [cutoff]);
    return { removed };
  }

  /** One row per heartbeat, replaced by each ping. */
  async recordPing(key: string, ping: Ping): Promise<void> {
    await this.run(this.q.recordPing, [key, ping.at, ping.status, ping.message ?? null], this.heartbeats);
  }

  async lastPing(key: string): Promise<Ping | undefined> {
    const [row] = await this.run(this.q.lastPing, [key], this.heartbeats);
    const at = toUnixNanos(row?.pinged_at);
    if (!row || at === undefined) return undefined;
    const ping: Ping = { at, status: Number(row.status) };
    if (typeof row.message === "string" && row.message) ping.message = row.message;
    return ping;
  }

  /** Shared documents live in their own table (sql-shared.ts), never among the rounds in `checks`. */
  async readShared(name: string): Promise<string | undefined> {
    assertSharedName(name);
    const [row] = await this.run(this.sharedQ.read, [name], this.shared);
    return bodyText(row?.body);
  }

  async updateShared<T>(name: string, update: (current: string | undefined) => Promise<SharedUpdate<T>>): Promise<T> {
    assertSharedName(name);
    await this.prepared(this.shared);
    return updateSharedRow(this.client, this.dialect, this.sharedQ, name, update, (e) => this.explain(e, this.shared));
  }

  /** One row per process, its beat time set by the server's clock (so the nodes' clocks may disagree). */
  async heartbeat(self: Omit<NodeBeat, "at">, aliveFor: Nanos, forgetAfter: Nanos): Promise<NodeBeat[]> {
    await this.run(this.q.beat, [self.node, self.instance], this.nodes);
    await this.run(this.q.forget, [forgetAfter], this.nodes);
    return (await this.run(this.q.live, [aliveFor], this.nodes)).flatMap((row) => {
      const at = toUnixNanos(row.beat_at);
      return at === undefined ? [] : [{ node: String(row.node), instance: String(row.instance), at }];
    });
  }

  async leave(self: Omit<NodeBeat, "at">): Promise<void> {
    await this.run(this.q.leave, [self.node, self.instance], this.nodes);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private where(): string {
    return `${this.type} storage (${this.target})`;
  }

  private async run(sql: string, params: readonly unknown[], table = this.checks, again = true): Promise<Row[]> {
    await this.prepared(table);
    try {
      return await this.client.query(sql, params);
    } catch (e) {
      // The table went away under a running process (its SQLite file was deleted): make it again.
      if (again && this.options.create && this.dialect.isMissingTable(e)) {
        this.ready.delete(table);
        return this.run(sql, params, table, false);
      }
      throw this.explain(e, table);
    }
  }

  /** Runs a table's schema once per storage when `create` is set; a failure is retried on next use. */
  private prepared(table: Table): Promise<void> {
    let ready = this.ready.get(table);
    if (!ready) this.ready.set(table, (ready = this.prepare(table)));
    return ready;
  }

  private async prepare(table: Table, again = true): Promise<void> {
    if (!this.options.create) return;
    try {
      for (const statement of table.schema) await this.client.query(statement);
    } catch (e) {
      // Another process created the table at the same moment; once more finds it there.
      if (again && this.dialect.isRacingCreate?.(e)) return this.prepare(table, false);
      this.ready.delete(table);
      throw this.explain(e, table);
    }
  }

  /** Driver errors gain the storage and target; a missing table says how to fix it. */
  private explain(e: unknown, table: Table): unknown {
    if (this.dialect.isDuplicate(e)) return e; // handled by store()
    if (this.dialect.isMissingTable(e)) {
      return new Error(`${this.where()}: table "${table.name}" does not exist: set "create": true in the storage config ` +
        `to create it, or create it as docs/storage-sql.md shows`, { cause: e });
    }
    return new Error(`${this.where()}: ${(e as Error).message ?? String(e)}`, { cause: e });
  }
}

function maxOf(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
