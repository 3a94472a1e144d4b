/**
 * `exec`: run a program (no shell, PATH lookup unless the command has a "/") and judge it by its
 * exit status and its combined stdout+stderr. RTT = wall time of the run. Error texts follow
 * checkup's (Go's os/exec) so stored results read the same.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { str, strList, type Raw, type Scope } from "../config/fields.js";
import { SECOND } from "../duration.js";
import { elapsedSince } from "../checking/attempts.js";
import { contentError } from "./http.js";
import type { CheckerType, Outcome } from "../plugin-types.js";

/** Output kept per run for must_contain and error texts; the rest is read and dropped. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

interface ExecOptions {
  title: string;
  endpoint: string;
  command: string;
  args: string[];
  mustContain: string;
  mustNotContain: string;
  /** `raise: "warn"`: failures make the result degraded instead of down. */
  warn: boolean;
}

export interface Run {
  output: string;
  /** Go's text for a failed run: `exit status 1`, `signal: killed`, `exec: "x": …`. */
  error?: string;
}

export default {
  // checkup's hard limit per run; `timeout` may change it here (extension).
  defaultTimeout: 10 * SECOND,
  titleKey: "name",
  parse: (raw: Raw, at: Scope): ExecOptions => {
    const command = str(raw, "command", at, { required: "the program to run, e.g. \"/usr/local/bin/check-backup\"" });
    return {
      title: str(raw, "name", at), // checkup's exec names its title `name`, not endpoint_name
      endpoint: command,
      command,
      args: strList(raw, "arguments", at),
      mustContain: str(raw, "must_contain", at),
      mustNotContain: str(raw, "must_not_contain", at),
      warn: parseRaise(raw, at),
    };
  },
  attempt: async (o, signal): Promise<Outcome> => {
    const started = performance.now();
    const run = await runOnce(o, signal);
    const rtt = elapsedSince(started);
    if (run.error !== undefined) {
      return { rtt, error: `Error: ${run.error}\nOutput: ${run.output.trim() ? run.output : "empty"}\n` };
    }
    // A run that exited 0 counts as answered (spacing follows it) even if its output fails.
    const error = contentError(o, run.output);
    return error ? { rtt, answered: true, error } : { rtt, answered: true };
  },
  judge: (o, outcomes, verdict) => {
    if (!o.warn || verdict.status !== "down") return verdict;
    return { status: "degraded", notice: outcomes.find((x) => x.error)?.error };
  },
} satisfies CheckerType<ExecOptions>;

/** checkup reads "warn" and "warning" exactly; anything else means down, which a typo would hide. */
function parseRaise(raw: Raw, at: Scope): boolean {
  const raise = str(raw, "raise", at);
  if (raise === "warn" || raise === "warning") return true;
  if (raise && raise !== "error") {
    at.warn("raise", `${JSON.stringify(raise)} is neither "warn" nor "warning", so failures make the result down`);
  }
  return false;
}

/**
 * One run in its own process group, so that on timeout the whole group (grandchildren included)
 * is killed. stdout and stderr are merged in arrival order (Go shares one pipe between them).
 */
export function runOnce(o: { command: string; args: readonly string[] }, signal: AbortSignal): Promise<Run> {
  return new Promise<Run>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      if (size < MAX_OUTPUT_BYTES) chunks.push(chunk.subarray(0, MAX_OUTPUT_BYTES - size));
      size += chunk.length;
    };
    let settled = false;
    const done = (error?: string) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", kill);
      resolve({ output: Buffer.concat(chunks).toString("utf8"), error });
    };
    let child: ChildProcess;
    try {
      child = spawn(o.command, o.args, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      return done(startError(o.command, e as NodeJS.ErrnoException));
    }
    let exited = false;
    // A process that left the group (setsid) may hold the pipes past the timeout: stop reading them.
    const dropPipes = () => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    };
    function kill() {
      if (exited) return dropPipes();
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group is already gone.
      }
    }
    if (signal.aborted) kill();
    else signal.addEventListener("abort", kill, { once: true });
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.once("error", (e: NodeJS.ErrnoException) => done(startError(o.command, e)));
    child.once("exit", () => {
      exited = true;
      if (signal.aborted) dropPipes();
    });
    child.once("close", (code, sig) => {
      if (sig) done(`signal: ${GO_SIGNALS[sig] ?? sig}`);
      // Exited by itself, but its output was still held open at the timeout: Go's WaitDelay text.
      else if (code === 0 && signal.aborted) done("exec: WaitDelay expired before I/O complete");
      else done(code === 0 ? undefined : `exit status ${code ?? -1}`);
    });
  });
}

/** Go's texts for a program that could not start. */
function startError(command: string, e: NodeJS.ErrnoException): string {
  const inPath = !command.includes("/");
  if (inPath && (e.code === "ENOENT" || e.code === "EACCES")) {
    return `exec: ${JSON.stringify(command)}: executable file not found in $PATH`;
  }
  const reason = e.code === "ENOENT" ? "no such file or directory" : e.code === "EACCES" ? "permission denied" : e.message;
  return `fork/exec ${command}: ${reason}`;
}

/** How Go names the signal that ended a process (`signal: killed`). */
const GO_SIGNALS: Readonly<Record<string, string>> = {
  SIGHUP: "hangup",
  SIGINT: "interrupt",
  SIGQUIT: "quit",
  SIGILL: "illegal instruction",
  SIGTRAP: "trace/breakpoint trap",
  SIGABRT: "aborted",
  SIGBUS: "bus error",
  SIGFPE: "floating point exception",
  SIGKILL: "killed",
  SIGUSR1: "user defined signal 1",
  SIGSEGV: "segmentation fault",
  SIGUSR2: "user defined signal 2",
  SIGPIPE: "broken pipe",
  SIGALRM: "alarm clock",
  SIGTERM: "terminated",
};
