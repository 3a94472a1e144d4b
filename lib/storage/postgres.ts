/**
 * `postgres`: checkup's `checks` table in PostgreSQL, through `pg` (an optional dependency loaded
 * only when the storage opens). `dsn` takes both forms Go's lib/pq took, `postgres://…` URLs and
 * `host=… dbname=…` key/value strings, with lib/pq's meaning: no `sslmode` = `require`.
 */
import type { Pool, PoolClient, PoolConfig } from "pg";
import { str, type Raw, type Scope } from "../config/fields.js";
import { MAX_TIMEOUT, SECOND } from "../duration.js";
import { CHECKS_SCHEMA, errorCode, NODES_SCHEMA, onConflictDoUpdate, PINGS_SCHEMA, parseSqlOptions, SqlStorage, type Dialect, type SqlOptions, type SqlQuery } from "../storing/sql-store.js";
import { onConflictDoNothing, onConnection, SHARED_SCHEMA } from "../storing/sql-shared.js";
import { importPackage } from "../optional-package.js";
import type { StorageType } from "../plugin-types.js";

export const postgresDialect: Dialect = {
  name: "PostgreSQL",
  schema: CHECKS_SCHEMA,
  pingSchema: PINGS_SCHEMA,
  sharedSchema: SHARED_SCHEMA,
  nodeSchema: NODES_SCHEMA,
  // EXTRACT gives numeric seconds to the microsecond; clock_timestamp() is the server's time at this statement.
  now: "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000000)::INT8",
  onConflictUpdate: onConflictDoUpdate,
  onConflictKeep: onConflictDoNothing,
  begin: "BEGIN",
  forUpdate: "FOR UPDATE",
  param: (n) => `$${n}`,
  quote: (id) => `"${id}"`,
  isDuplicate: (e) => errorCode(e) === "23505", // unique_violation
  isMissingTable: (e) => errorCode(e) === "42P01", // undefined_table
  // unique_violation in the catalog, duplicate_table, duplicate_object (the table's row type)
  isRacingCreate: (e) => ["23505", "42P07", "42710"].includes(errorCode(e) ?? ""),
  isDeadlock: (e) => errorCode(e) === "40P01", // deadlock_detected
};

/** Connection settings as lib/pq names them (`dbname`, `sslmode`, …). */
export type PgParams = Partial<Record<(typeof PG_KEYS)[number], string>>;
const PG_KEYS = ["host", "port", "user", "password", "dbname", "sslmode", "connect_timeout", "application_name"] as const;

export interface PgConnection {
  config: PoolConfig;
  /** `postgres://user@host:port/db`, for messages: never the password. */
  target: string;
}

/** lib/pq's sslmodes. `require` encrypts without checking the certificate, as libpq does. */
const SSL_MODES: Record<string, PoolConfig["ssl"]> = {
  disable: false,
  require: { rejectUnauthorized: false },
  "verify-ca": { rejectUnauthorized: true, checkServerIdentity: () => undefined },
  "verify-full": { rejectUnauthorized: true },
};

/** Builds pg's config from lib/pq-style settings; a bad one becomes a problem at `key`. */
export function pgConnection(p: PgParams, at: Scope, key: string): PgConnection | undefined {
  const mode = p.sslmode || "require";
  if (!Object.hasOwn(SSL_MODES, mode)) {
    at.problem(key, `sslmode ${JSON.stringify(mode)} is not supported; use one of: ${Object.keys(SSL_MODES).join(", ")}`);
    return undefined;
  }
  const port = p.port ? Number(p.port) : 5432;
  const timeout = p.connect_timeout ? Number(p.connect_timeout) : 0;
  if (!Number.isInteger(port) || port < 1 || port > 65535 || !Number.isInteger(timeout) || timeout < 0 || timeout > MAX_TIMEOUT / SECOND) {
    at.problem(key, `port must be 1-65535 and connect_timeout whole seconds from 0 to ${MAX_TIMEOUT / SECOND}`);
    return undefined;
  }
  const host = p.host || "localhost";
  const config: PoolConfig = { host, port, user: p.user, password: p.password, database: p.dbname, ssl: SSL_MODES[mode] };
  if (timeout) config.connectionTimeoutMillis = timeout * 1000;
  if (p.application_name) config.application_name = p.application_name;
  const hostPart = host.startsWith("/") ? `[${host}]` : host;
  return { config, target: `postgres://${p.user ? `${p.user}@` : ""}${hostPart}:${port}/${p.dbname ?? ""}` };
}

/** Reads a DSN: a `postgres://` URL or libpq's `key=value` list (values may be 'quoted'). */
export function parsePgDsn(dsn: string, at: Scope, key: string): PgConnection | undefined {
  const params: Record<string, string> = {};
  if (/^postgres(ql)?:\/\//i.test(dsn)) {
    let url: URL;
    try {
      url = new URL(dsn);
    } catch {
      at.problem(key, "expected a URL like postgres://user:password@host:5432/dbname?sslmode=disable");
      return undefined;
    }
    const set = (k: string, v: string) => v && (params[k] = decodeURIComponent(v));
    set("host", url.hostname.replace(/^\[|\]$/g, ""));
    set("port", url.port);
    set("user", url.username);
    set("password", url.password);
    set("dbname", url.pathname.slice(1));
    for (const [k, v] of url.searchParams) params[k] = v;
  } else {
    const pair = /\s*([A-Za-z_]+)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s']*)/y;
    let end = 0;
    for (let m; (m = pair.exec(dsn)); end = pair.lastIndex) {
      params[m[1]!] = m[2]!.startsWith("'") ? m[2]!.slice(1, -1).replace(/\\(.)/g, "$1") : m[2]!;
    }
    if (dsn.slice(end).trim()) {
      at.problem(key, `expected a URL like postgres://user@host/dbname or "host=… user=… dbname=…" pairs`);
      return undefined;
    }
  }
  const unknown = Object.keys(params).filter((k) => !(PG_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    at.problem(key, `unsupported setting ${unknown.join(", ")}; supported: ${PG_KEYS.join(", ")}`);
    return undefined;
  }
  return pgConnection(params, at, key);
}

/** Opens one pool for the storage's lifetime. */
export async function openPostgres(type: string, c: PgConnection, options: SqlOptions): Promise<SqlStorage> {
  const pg = await importPackage(() => import("pg"), "pg", `the ${type} storage`);
  const pool = new pg.default.Pool({ ...c.config, max: 4 });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  // int8 arrives as a string (pg's default): ns keep every digit.
  const queryOn = (on: Pool | PoolClient): SqlQuery => async (sql, params = []) => (await on.query(sql, params as unknown[])).rows;
  return new SqlStorage(type, {
    query: queryOn(pool),
    session: async (work) => onConnection(await pool.connect(), (client) => work(queryOn(client)), (client, broken) => client.release(broken)),
    close: () => pool.end(),
  }, postgresDialect, c.target, options);
}

export interface PostgresOptions extends SqlOptions {
  connection: PgConnection;
}

export default {
  parse: (raw: Raw, at: Scope): PostgresOptions => {
    const dsn = str(raw, "dsn", at, { secret: true, required: `a PostgreSQL DSN like "postgres://user:password@host:5432/checkup?sslmode=disable"` });
    return {
      connection: (dsn && parsePgDsn(dsn, at, "dsn")) || { config: {}, target: "" },
      ...parseSqlOptions(raw, at),
    };
  },
  create: (o: PostgresOptions) => openPostgres("postgres", o.connection, o),
  keepsPings: true,
  sharesState: true,
  registersNodes: true,
} satisfies StorageType<PostgresOptions>;
