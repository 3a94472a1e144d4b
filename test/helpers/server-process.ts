/**
 * Running a real database server as a child of the tests: in a temp folder that is removed when
 * the test file finishes (or at once when starting fails), on a free loopback port (retried when
 * another suite grabbed it first), as the server's system user when the tests run as root.
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after } from "node:test";
import { closedPort } from "./http-server.js";

export interface ServerStart {
  /** Short name for errors, e.g. "postgres". */
  name: string;
  /** Starts the server on `port`, with its log on stderr. */
  spawnAt(port: number): ChildProcess;
  /** What the log says once it accepts connections. */
  ready: RegExp;
  /** How it shuts down cleanly. */
  stopSignal: NodeJS.Signals;
}

/** A temp folder for one server, handed to `start`; removed if `start` fails. */
export async function inTempDir<T>(prefix: string, start: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return start(dir).catch(async (e: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw e;
  });
}

/** A server started by spawnOnFreePort; stop() shuts it down and removes its folder. */
export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

/** Starts the server on a free port; stops it and removes `dir` after the test file. */
export async function startOnFreePort(dir: string, server: ServerStart): Promise<number> {
  const running = await spawnOnFreePort(dir, server);
  after(() => running.stop());
  return running.port;
}

/** Starts the server on a free port; the caller stops it (benchmarks, which run outside node:test). */
export async function spawnOnFreePort(dir: string, server: ServerStart): Promise<RunningServer> {
  for (let tries = 0; tries < 5; tries++) {
    const port = await closedPort();
    const child = server.spawnAt(port);
    const outcome = await logShows(child, server.ready);
    if (outcome === true) {
      return {
        port,
        stop: async () => {
          await stop(child, server.stopSignal);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    if (!/already in use/i.test(outcome)) throw new Error(`${server.name} did not start: ${outcome}`);
  }
  throw new Error(`${server.name}: no free port after 5 tries`);
}

/** The uid/gid a server runs as: the system user `name` when we are root, ourselves otherwise. */
export function serverUser(name: string): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, name], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

/** Resolves true once stderr shows `pattern`, or with the server's output when it exits first. */
function logShows(child: ChildProcess, pattern: RegExp): Promise<true | string> {
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
function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}
