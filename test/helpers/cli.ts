/** Runs the built `checkup` binary the way a user would, with the Node running the tests. */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { after } from "node:test";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../cmd/checkup.js", import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A long-running `checkup` (`every`, `serve`), read line by line as it writes. */
export interface RunningCli {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  /** Resolves when stdout has `n` lines; rejects if the process exits first, or after `withinMs` when given. */
  waitForLines(n: number, withinMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the binary; it is killed (SIGKILL) if it still runs after `killAfterMs` (default 20 s). */
export function startCli(args: string[], opts: { env?: NodeJS.ProcessEnv; killAfterMs?: number } = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: "1", ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let stderr = "";
  let buffer = "";
  const waiters: (() => void)[] = [];
  child.stdout!.on("data", (d: Buffer) => {
    buffer += d;
    const parts = buffer.split("\n");
    buffer = parts.pop()!;
    lines.push(...parts);
    waiters.splice(0).forEach((w) => w());
  });
  child.stderr!.on("data", (d: Buffer) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })));
  const killer = setTimeout(() => child.kill("SIGKILL"), opts.killAfterMs ?? 20_000);
  void exited.then(() => clearTimeout(killer));
  return {
    child, lines, exited, stderr: () => stderr,
    async waitForLines(n, withinMs) {
      const deadline = withinMs === undefined ? undefined : Date.now() + withinMs;
      while (lines.length < n) {
        let timer: NodeJS.Timeout | undefined;
        const late = deadline === undefined ? new Promise<never>(() => undefined) : new Promise<"late">((r) => (timer = setTimeout(() => r("late"), deadline - Date.now())));
        const outcome = await Promise.race([new Promise<void>((r) => waiters.push(r)), exited.then((e) => e), late]);
        clearTimeout(timer);
        if (outcome === "late") throw new Error(`${lines.length} of ${n} lines within ${withinMs} ms: ${lines.join("\n")}`);
        if (outcome) throw new Error(`exited early (${JSON.stringify(outcome)}): ${stderr}`);
      }
    },
  };
}

/**
 * Starts `checkup serve`, waits for the URL it prints, and hands back a way to stop it. A server
 * still running when the test file ends (a test failed before stopping it) is stopped then.
 */
export async function startServe(args: string[], cwd?: string) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  after(() => void (child.exitCode === null && child.signalCode === null && child.kill("SIGTERM")));
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
      const m = /serving on (http:\/\/\S+)/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  return { url, child, exited, stdout: () => stdout, stderr: () => stderr };
}
