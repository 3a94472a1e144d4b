/**
 * `sql`: checkup's deprecated storage, kept so old configs run unchanged. Either an SQLite file
 * (`sqlite_db_file`) or a nested `postgresql` object; the table is the same `checks` the
 * `postgres` and `sqlite3` storages use. Like checkup it creates nothing unless `create` is set
 * (an extension).
 */
import { int, record, str, type Raw, type Scope } from "../config/fields.js";
import { openPostgres, pgConnection, type PgConnection } from "./postgres.js";
import { parseSqlOptions, type SqlOptions } from "../storing/sql-store.js";
import { openSqlite, type SqliteFile } from "./sqlite3.js";
import type { StorageType } from "../plugin-types.js";

export interface LegacySqlOptions extends SqlOptions {
  sqlite?: SqliteFile;
  postgres?: PgConnection;
}

function parsePostgresql(raw: Raw, at: Scope): PgConnection | undefined {
  const port = int(raw, "port", at, { default: 5432, min: 1, max: 65535 });
  const conn = pgConnection({
    host: str(raw, "host", at),
    port: String(port),
    user: str(raw, "user", at, { required: `the PostgreSQL user, e.g. "checkup"` }),
    password: str(raw, "password", at, { secret: true }),
    dbname: str(raw, "dbname", at, { required: `the database holding the checks table, e.g. "checkup"` }),
    sslmode: str(raw, "sslmode", at),
  }, at, "sslmode");
  at.warnUnknownKeys(raw);
  return conn;
}

export default {
  parse: (raw: Raw, at: Scope): LegacySqlOptions => {
    const typeKey = raw.type !== undefined ? "type" : "provider";
    at.warn(typeKey, `"sql" is deprecated (as in checkup): prefer "type": "postgres" with a "dsn", or "type": "sqlite3"; it keeps working`);
    const file = str(raw, "sqlite_db_file", at);
    const pg = record(raw, "postgresql", at);
    const options: LegacySqlOptions = {
      ...parseSqlOptions(raw, at),
    };
    if (file && pg) {
      at.problem(undefined, "several SQL backends are configured: keep either sqlite_db_file or postgresql");
    } else if (file) {
      options.sqlite = { file, readonly: false, busyTimeout: 5000 };
    } else if (pg) {
      options.postgres = parsePostgresql(pg, at.child("postgresql"));
    } else {
      at.problem(undefined, `no SQL backend is configured: set "sqlite_db_file": "checkup.db" or "postgresql": { "user": …, "dbname": … }`);
    }
    return options;
  },
  create: (o: LegacySqlOptions) => o.sqlite ? openSqlite("sql", o.sqlite, o) : openPostgres("sql", o.postgres!, o),
  keepsPings: true,
  sharesState: true,
  registersNodes: true,
} satisfies StorageType<LegacySqlOptions>;
