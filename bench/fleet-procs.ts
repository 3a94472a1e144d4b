/**
 * The processes of the fleet benchmark: `checkup every … --log-format json` nodes read line by
 * line, and CPU and memory of any process from /proc (Linux), sampled while they run.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../cmd/checkup.js", import.meta.url));

/** One line of `checkup every --log-format json` (docs/multi-node.md, "The round log"). */
export interface RoundLine {
  healthy: number; degraded: number; down: number; unknown: number;
  duration_ms: number; store_ms: number; missed: number; late_ms: number;
  stored: string | null; error: string | null; abandoned: boolean;
}

export interface NodeProcess {
  name: string;
  child: ChildProcess;
  rounds: RoundLine[];
  /** Resolves once the node has logged a round or skipped one at `ticks` grid points, or at `deadline` (epoch ms). */
  reached(ticks: number, deadline: number): Promise<void>;
  /** SIGTERM (the round in flight finishes or is abandoned), then the exit code. */
  stop(): Promise<number | null>;
  stderr(): string;
}

export function startNode(name: string, args: string[], env: NodeJS.ProcessEnv): NodeProcess {
  const child = spawn(process.execPath, [CLI, "--node", name, ...args], { env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const rounds: RoundLine[] = [];
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d));
  const lines = createInterface({ input: child.stdout! });
  const passed = () => rounds.length + rounds.reduce((n, r) => n + r.missed, 0);
  lines.on("line", (line) => rounds.push(JSON.parse(line) as RoundLine));
  const exited = once(child, "exit");
  return {
    name, child, rounds, stderr: () => stderr,
    reached: (ticks, deadline) => new Promise<void>((resolve) => {
      const done = () => {
        lines.off("line", check);
        clearTimeout(timer);
        resolve();
      };
      const check = () => passed() >= ticks && done();
      const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
      lines.on("line", check);
      void exited.then(done);
      check();
    }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      return child.exitCode;
    },
  };
}

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

/** CPU seconds a process used, its children that exited included; undefined once it is gone. */
function cpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the parenthesized command: state is [0], utime [11], stime [12], cutime [13], cstime [14].
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
    return (f[11]! + f[12]! + f[13]! + f[14]!) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Peak resident memory (VmHWM), MB. */
function peakRssMb(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

export interface Usage {
  /** CPU seconds since watching began. */
  cpuSec: number;
  /** Seconds watched. */
  wallSec: number;
  peakRssMb: number;
}

/** Samples processes every second until stopped; the figures are those of the last sample. */
export class Sampler {
  private readonly watched = new Map<number, { since: number; cpu0: number; usage: Usage; tree: boolean }>();
  private readonly timer = setInterval(() => this.sample(), 1000);

  /** `tree`: add the CPU of its live children (PostgreSQL's backends). */
  watch(pid: number, tree = false): void {
    this.watched.set(pid, { since: Date.now(), cpu0: this.cpuOf(pid, tree) ?? 0, usage: { cpuSec: 0, wallSec: 0, peakRssMb: 0 }, tree });
  }

  usage(pid: number): Usage {
    this.sample();
    return this.watched.get(pid)!.usage;
  }

  sample(): void {
    for (const [pid, w] of this.watched) {
      const cpu = this.cpuOf(pid, w.tree);
      if (cpu === undefined) continue;
      w.usage = { cpuSec: cpu - w.cpu0, wallSec: (Date.now() - w.since) / 1000, peakRssMb: Math.max(w.usage.peakRssMb, peakRssMb(pid) ?? 0) };
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private cpuOf(pid: number, tree: boolean): number | undefined {
    const own = cpuSeconds(pid);
    if (own === undefined || !tree) return own;
    return own + childrenOf(pid).reduce((sum, child) => sum + (cpuSeconds(child) ?? 0), 0);
  }
}

function childrenOf(pid: number): number[] {
  return readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
    } catch {
      return false;
    }
  });
}

/** The postmaster serving `port` (the benchmark's own server), found by its command line. */
export function postmasterOf(port: number): number | undefined {
  for (const d of readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
    try {
      const argv = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0");
      if (argv[0]?.endsWith("/postgres") && argv[argv.indexOf("-p") + 1] === String(port)) return Number(d);
    } catch {
      continue;
    }
  }
  return undefined;
}
