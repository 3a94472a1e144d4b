/**
 * A real MariaDB server for the SQL storage tests: mariadb-install-db into a temp folder, then
 * `mariadbd --no-defaults` (so /etc/mysql is never read) on 127.0.0.1 and a free port as a child
 * of the test, stopped when the file finishes. Installed by test/setup/install-deps.sh.
 */
import { execFile, spawn } from "node:child_process";
import { chown } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import mysql from "mysql2/promise";
import { inTempDir, serverUser, startOnFreePort } from "./server-process.js";

export interface MysqlServer {
  port: number;
  /** Runs SQL as root (over the socket), in `database` when given. */
  query(sql: string, database?: string): Promise<unknown>;
  /** A fresh, empty database; returns a go-sql-driver DSN for it (user `checkup`, with a password). */
  newDatabase(): Promise<string>;
}

export function startMysql(): Promise<MysqlServer> {
  return inTempDir("checkup-my-", start);
}

async function start(dir: string): Promise<MysqlServer> {
  const data = path.join(dir, "data");
  const socket = path.join(dir, "sock");
  const user = serverUser("mysql");
  if (user.uid !== undefined) await chown(dir, user.uid, user.gid!);
  const asRoot = user.uid !== undefined ? ["--user=mysql"] : [];
  await promisify(execFile)("mariadb-install-db", [...asRoot, `--datadir=${data}`, "--auth-root-authentication-method=normal",
    "--skip-test-db", "--skip-name-resolve"]).catch((e: Error) => {
    throw new Error(`mariadb-install-db failed (run test/setup/install-deps.sh): ${e.message}`);
  });
  const port = await startOnFreePort(dir, {
    name: "mariadbd",
    spawnAt: (p) => spawn("mariadbd", ["--no-defaults", ...asRoot, `--datadir=${data}`, `--socket=${socket}`,
      `--pid-file=${path.join(dir, "pid")}`, `--port=${p}`, "--bind-address=127.0.0.1", "--skip-name-resolve",
      "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=0", "--skip-log-bin"],
    { stdio: ["ignore", "ignore", "pipe"] }),
    ready: /ready for connections/,
    stopSignal: "SIGTERM",
  });

  const query = async (sql: string, database?: string) => {
    const conn = await mysql.createConnection({ socketPath: socket, user: "root", database, multipleStatements: true });
    try {
      return (await conn.query(sql))[0];
    } finally {
      await conn.end();
    }
  };
  await query("CREATE USER 'checkup'@'127.0.0.1' IDENTIFIED BY 'my-secret-pw'; GRANT ALL ON *.* TO 'checkup'@'127.0.0.1'");
  let n = 0;
  return {
    port,
    query,
    newDatabase: async () => {
      const db = `t${++n}`;
      await query(`CREATE DATABASE ${db}`);
      return `checkup:my-secret-pw@tcp(127.0.0.1:${port})/${db}?parseTime=true`;
    },
  };
}
