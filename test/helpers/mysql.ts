/**
 * A real MariaDB server for the SQL storage tests: mariadb-install-db into a temp folder, then
 * `mariadbd --no-defaults` (so /etc/mysql is never read) on 127.0.0.1 and a free port as a child
 * of the test, stopped when the file finishes. Installed by test/setup/install-deps.sh.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chown, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after } from "node:test";
import { promisify } from "node:util";
import mysql from "mysql2/promise";
import { closedPort } from "./http-server.js";
import { ready, serverUser, stop } from "./postgres.js";

export interface MysqlServer {
  port: number;
  /** Runs SQL as root (over the socket), in `database` when given. */
  query(sql: string, database?: string): Promise<unknown>;
  /** A fresh, empty database; returns a go-sql-driver DSN for it (user `checkup`, with a password). */
  newDatabase(): Promise<string>;
}

export async function startMysql(): Promise<MysqlServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "checkup-my-"));
  // Until the server is up (and its after() hook owns the folder), a failure removes the folder here.
  return start(dir).catch(async (e: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw e;
  });
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
  let child: ChildProcess | undefined;
  let port = 0;
  for (let tries = 0; !child && tries < 5; tries++) {
    port = await closedPort();
    const c = spawn("mariadbd", ["--no-defaults", ...asRoot, `--datadir=${data}`, `--socket=${socket}`,
      `--pid-file=${path.join(dir, "pid")}`, `--port=${port}`, "--bind-address=127.0.0.1", "--skip-name-resolve",
      "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=0", "--skip-log-bin"],
    { stdio: ["ignore", "ignore", "pipe"] });
    const outcome = await ready(c, /ready for connections/);
    if (outcome === true) child = c;
    else if (!/already in use/i.test(outcome)) throw new Error(`mariadbd did not start: ${outcome}`);
  }
  if (!child) throw new Error("mariadbd: no free port after 5 tries");
  const server = child;
  after(async () => {
    await stop(server, "SIGTERM");
    await rm(dir, { recursive: true, force: true });
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
