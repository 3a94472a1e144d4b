/**
 * A real PostgreSQL server for the SQL storage tests and the fleet benchmark: initdb into a temp
 * folder, then `postgres` on 127.0.0.1 and a free port as a child process, stopped (fast shutdown)
 * when the test file finishes (or by the benchmark). As root the server runs as the `postgres`
 * user (it refuses root). Installed by test/setup/install-deps.sh (Debian's postgresql; its own
 * cluster stays down).
 */
import { execFile, spawn } from "node:child_process";
import { chown, readdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { after } from "node:test";
import pg from "pg";
import { inTempDir, serverUser, spawnOnFreePort } from "./server-process.js";

export interface PgServer {
  port: number;
  /** Runs SQL as the superuser on `database` (default "postgres"). */
  query(sql: string, database?: string): Promise<Record<string, unknown>[]>;
  /** A fresh, empty database; returns a DSN for it with a password in it (user `checkup`). */
  newDatabase(): Promise<string>;
}

async function pgBin(): Promise<string> {
  const root = "/usr/lib/postgresql";
  const versions = await readdir(root).catch(() => []);
  if (versions.length === 0) throw new Error("PostgreSQL is not installed: run test/setup/install-deps.sh");
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0]!, "bin");
}

/** A server for this test file, stopped when it finishes. */
export async function startPostgres(): Promise<PgServer> {
  const server = await launchPostgres();
  after(() => server.stop());
  return server;
}

/** A server the caller stops (bench/fleet.ts runs outside node:test). */
export function launchPostgres(): Promise<PgServer & { stop(): Promise<void> }> {
  return inTempDir("checkup-pg-", start);
}

async function start(dir: string): Promise<PgServer & { stop(): Promise<void> }> {
  const bin = await pgBin();
  const user = serverUser("postgres");
  if (user.uid !== undefined) await chown(dir, user.uid, user.gid!);
  const data = path.join(dir, "data");
  await promisify(execFile)(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], { ...user });
  const { port, stop } = await spawnOnFreePort(dir, {
    name: "postgres",
    spawnAt: (p) => spawn(path.join(bin, "postgres"), ["-D", data, "-p", String(p), "-k", dir,
      "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    { ...user, stdio: ["ignore", "ignore", "pipe"] }),
    ready: /ready to accept connections/,
    stopSignal: "SIGINT", // fast shutdown
  });

  const query = async (sql: string, database = "postgres") => {
    const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", database });
    await client.connect();
    try {
      return (await client.query(sql)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  await query("CREATE USER checkup PASSWORD 'pg-secret-pw' SUPERUSER");
  let n = 0;
  return {
    port,
    stop,
    query,
    newDatabase: async () => {
      const db = `t${++n}`;
      await query(`CREATE DATABASE ${db} OWNER checkup`);
      return `postgres://checkup:pg-secret-pw@127.0.0.1:${port}/${db}?sslmode=disable`;
    },
  };
}
