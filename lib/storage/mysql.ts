/**
 * `mysql`: checkup's `checks` table in MySQL or MariaDB, through `mysql2` (an optional dependency
 * loaded only when the storage opens). `dsn` takes Go's go-sql-driver form, which checkup configs
 * hold (`user:password@tcp(host:3306)/checkup?tls=skip-verify`), or a `mysql://` URL.
 */
import type { PoolOptions } from "mysql2";
import type { Pool, PoolConnection } from "mysql2/promise";
import { formatBound, MAX_TIMEOUT, parseDuration } from "../duration.js";
import { str, type Raw, type Scope } from "../config/fields.js";
import { errorCode, parseSqlOptions, SqlStorage, type Dialect, type SqlOptions, type SqlQuery } from "../storing/sql-store.js";
import { onConnection, SHARED_TABLE } from "../storing/sql-shared.js";
import { importPackage } from "../optional-package.js";
import type { StorageType } from "../plugin-types.js";

export const mysqlDialect: Dialect = {
  name: "MySQL",
  // checkup's DDL; the charset is added so any title round-trips whatever the server's default.
  schema: [
    `CREATE TABLE IF NOT EXISTS \`checks\` (
    \`name\` VARCHAR(512) NOT NULL,
    \`timestamp\` BIGINT NOT NULL,
    \`results\` TEXT NULL,
    PRIMARY KEY(\`name\`),
    UNIQUE(\`timestamp\`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4`,
  ],
  pingSchema: [
    `CREATE TABLE IF NOT EXISTS \`checkup_heartbeats\` (
    \`ping_key\` VARCHAR(64) NOT NULL,
    \`pinged_at\` BIGINT NOT NULL,
    \`status\` INT NOT NULL,
    \`message\` TEXT NULL,
    PRIMARY KEY(\`ping_key\`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4`,
  ],
  // MEDIUMTEXT: a document may outgrow TEXT's 64 KB (alert state for thousands of checks).
  sharedSchema: [
    `CREATE TABLE IF NOT EXISTS \`${SHARED_TABLE}\` (
    \`name\` VARCHAR(200) NOT NULL,
    \`body\` MEDIUMTEXT NULL,
    \`updated_at\` BIGINT NOT NULL,
    PRIMARY KEY(\`name\`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4`,
  ],
  nodeSchema: [
    `CREATE TABLE IF NOT EXISTS \`checkup_nodes\` (
    \`node\` VARCHAR(253) NOT NULL,
    \`instance\` VARCHAR(64) NOT NULL,
    \`beat_at\` BIGINT NOT NULL,
    PRIMARY KEY(\`node\`, \`instance\`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4`,
  ],
  // NOW(6) is the server's time to the microsecond; UNIX_TIMESTAMP of it is exact decimal seconds.
  now: "CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000000 AS SIGNED)",
  onConflictUpdate: (_key, columns) => `ON DUPLICATE KEY UPDATE ${columns.map((c) => `${c} = VALUES(${c})`).join(", ")}`,
  // Not INSERT IGNORE: on an existing row that takes a shared lock, and two updaters each holding
  // one and asking FOR UPDATE deadlock; this no-op update takes the row's exclusive lock at once.
  onConflictKeep: (key) => `ON DUPLICATE KEY UPDATE ${key} = ${key}`,
  begin: "START TRANSACTION",
  forUpdate: "FOR UPDATE",
  param: () => "?",
  quote: (id) => `\`${id}\``,
  isDuplicate: (e) => errorCode(e) === "ER_DUP_ENTRY",
  isMissingTable: (e) => errorCode(e) === "ER_NO_SUCH_TABLE",
  isDeadlock: (e) => errorCode(e) === "ER_LOCK_DEADLOCK",
};

export interface MysqlConnection {
  config: PoolOptions;
  /** `mysql://user@host:port/db`, for messages: never the password. */
  target: string;
}

/** go-sql-driver's `tls` values that mysql2 can honour. */
const TLS: Record<string, PoolOptions["ssl"]> = {
  false: undefined,
  true: {},
  "skip-verify": { rejectUnauthorized: false },
};
/** Go parameters that mean nothing here (Go types, charset: mysql2 always talks utf8mb4). */
const IGNORED = ["parseTime", "charset", "collation", "loc", "allowNativePasswords"];

/** Reads a go-sql-driver DSN or a mysql:// URL; a bad one becomes a problem at `key`. */
export function parseMysqlDsn(dsn: string, at: Scope, key: string): MysqlConnection | undefined {
  const parts = /^mysql:\/\//i.test(dsn) ? fromUrl(dsn) : fromGo(dsn);
  if (!parts) {
    at.problem(key, `expected a DSN like "user:password@tcp(127.0.0.1:3306)/checkup" or mysql://user:password@host:3306/checkup`);
    return undefined;
  }
  const config: PoolOptions = {
    user: parts.user, password: parts.password, database: parts.database,
    // BIGINT timestamps arrive as exact digit strings, never as a rounded double.
    supportBigNumbers: true, bigNumberStrings: true, charset: "utf8mb4_unicode_ci",
  };
  if (parts.socket) config.socketPath = parts.socket;
  else Object.assign(config, { host: parts.host, port: parts.port });
  if (parts.port < 1 || parts.port > 65535) {
    at.problem(key, `port must be 1-65535, got ${parts.port}`);
    return undefined;
  }
  for (const [k, v] of parts.params) {
    const timeout = k === "timeout" ? parseDuration(v) : undefined;
    if (k === "tls" && Object.hasOwn(TLS, v)) config.ssl = TLS[v];
    else if (timeout !== undefined && timeout <= MAX_TIMEOUT) config.connectTimeout = timeout / 1e6;
    else if (!IGNORED.includes(k)) {
      // An unknown key's value is not echoed: the DSN is secret, and it could be anything.
      const setting = k === "tls" || k === "timeout" ? `${k}=${v}` : k;
      at.problem(key, `unsupported setting ${setting}; supported: tls (true, false, skip-verify), timeout (e.g. 10s, at most ${formatBound(MAX_TIMEOUT)})`);
      return undefined;
    }
  }
  const where = parts.socket ?? `${parts.host}:${parts.port}`;
  return { config, target: `mysql://${parts.user ? `${parts.user}@` : ""}${where}/${parts.database}` };
}

interface DsnParts {
  user?: string; password?: string; host: string; port: number; socket?: string; database: string;
  params: URLSearchParams;
}

/** `[user[:password]@][net[(addr)]]/dbname[?params]`; the password may hold `@` and `:`. */
function fromGo(dsn: string): DsnParts | undefined {
  const m = /^(?:(.*)@)?(?:(tcp|unix)(?:\(([^)]*)\))?)?\/([^?/]*)(?:\?(.*))?$/s.exec(dsn);
  if (!m) return undefined;
  const [, userinfo, net, addr, database, query] = m;
  const colon = userinfo?.indexOf(":") ?? -1;
  const parts: DsnParts = {
    user: colon >= 0 ? userinfo!.slice(0, colon) : userinfo, password: colon >= 0 ? userinfo!.slice(colon + 1) : undefined,
    host: "127.0.0.1", port: 3306, database: database!, params: new URLSearchParams(query ?? ""),
  };
  if (net === "unix") parts.socket = addr || "/tmp/mysql.sock";
  else if (addr) {
    const hp = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d+))?$/.exec(addr);
    if (!hp) return undefined;
    parts.host = hp[1] ?? (hp[2] || "127.0.0.1");
    parts.port = hp[3] ? Number(hp[3]) : 3306;
  }
  return parts;
}

function fromUrl(dsn: string): DsnParts | undefined {
  try {
    const url = new URL(dsn);
    return {
      user: decodeURIComponent(url.username) || undefined, password: decodeURIComponent(url.password) || undefined,
      host: url.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1", port: url.port ? Number(url.port) : 3306,
      database: decodeURIComponent(url.pathname.slice(1)), params: url.searchParams,
    };
  } catch {
    return undefined;
  }
}

/** Opens one pool for the storage's lifetime. */
export async function openMysql(type: string, c: MysqlConnection, options: SqlOptions): Promise<SqlStorage> {
  const mysql = await importPackage(() => import("mysql2/promise"), "mysql2", `the ${type} storage`);
  const pool = mysql.default.createPool({ ...c.config, connectionLimit: 4 });
  // query() (not execute()) sends bigint parameters as exact integer literals.
  const queryOn = (on: Pool | PoolConnection): SqlQuery => async (sql, params = []) => {
    const [rows] = await on.query(sql, [...params] as (string | bigint | null)[]);
    return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
  };
  return new SqlStorage(type, {
    query: queryOn(pool),
    session: async (work) => onConnection(await pool.getConnection(), (conn) => work(queryOn(conn)),
      (conn, broken) => (broken ? conn.destroy() : conn.release())),
    close: () => pool.end(),
  }, mysqlDialect, c.target, options);
}

export interface MysqlOptions extends SqlOptions {
  connection: MysqlConnection;
}

export default {
  parse: (raw: Raw, at: Scope): MysqlOptions => {
    const dsn = str(raw, "dsn", at, { secret: true, required: `a MySQL DSN like "user:password@tcp(127.0.0.1:3306)/checkup"` });
    return {
      connection: (dsn && parseMysqlDsn(dsn, at, "dsn")) || { config: {}, target: "" },
      ...parseSqlOptions(raw, at),
    };
  },
  create: (o: MysqlOptions) => openMysql("mysql", o.connection, o),
  keepsPings: true,
  sharesState: true,
  registersNodes: true,
} satisfies StorageType<MysqlOptions>;
