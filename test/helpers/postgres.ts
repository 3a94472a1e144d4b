/**
 * A real PostgreSQL server for the SQL storage tests: initdb into a temp folder, then `postgres`
 * on 127.0.0.1 and a free port as a child of the test, stopped (fast shutdown) when the file
 * finishes. As root the server runs as the `postgres` user (it refuses root). Installed by
 * test/setup/install-deps.sh (Debian's postgresql; its own cluster stays down).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chown, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after } from "node:test";
import { promisify } from "node:util";
import pg from "pg";
import { closedPort } from "./http-server.js";

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

/** The uid/gid a server runs as: the system user `name` when we are root, ourselves otherwise. */
export function serverUser(name: string): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, name], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

export async function startPostgres(): Promise<PgServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "checkup-pg-"));
  // Until the server is up (and its after() hook owns the folder), a failure removes the folder here.
  return start(dir).catch(async (e: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw e;
  });
}

async function start(dir: string): Promise<PgServer> {
  const bin = await pgBin();
  const user = serverUser("postgres");
  if (user.uid !== undefined) await chown(dir, user.uid, user.gid!);
  const data = path.join(dir, "data");
  await promisify(execFile)(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], { ...user });
  let child: ChildProcess | undefined;
  let port = 0;
  for (let tries = 0; !child && tries < 5; tries++) {
    port = await closedPort();
    const c = spawn(path.join(bin, "postgres"), ["-D", data, "-p", String(port), "-k", dir,
      "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    { ...user, stdio: ["ignore", "ignore", "pipe"] });
    const outcome = await ready(c, /ready to accept connections/);
    if (outcome === true) child = c;
    else if (!/already in use/i.test(outcome)) throw new Error(`postgres did not start: ${outcome}`);
  }
  if (!child) throw new Error("postgres: no free port after 5 tries");
  const server = child;
  after(async () => {
    await stop(server, "SIGINT");
    await rm(dir, { recursive: true, force: true });
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
    query,
    newDatabase: async () => {
      const db = `t${++n}`;
      await query(`CREATE DATABASE ${db} OWNER checkup`);
      return `postgres://checkup:pg-secret-pw@127.0.0.1:${port}/${db}?sslmode=disable`;
    },
  };
}

/** Resolves true once stderr shows `pattern`, or with the server's output when it exits first. */
export function ready(child: ChildProcess, pattern: RegExp): Promise<true | string> {
  return new Promise((resolve) => {
    let out = "";
    child.stderr?.on("data", (d: Buffer) => {
      out += d;
      if (pattern.test(out)) resolve(true);
    });
    child.once("error", (e) => resolve(e.message));
    child.once("exit", () => resolve(out.trim()));
  });
}

/** Signals our own child and waits for it to exit. */
export function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}
