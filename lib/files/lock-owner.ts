/**
 * Who holds a lock: the record a holder writes inside its lock folder, and whether that holder is
 * gone. Only a holder on this machine can be checked (its pid exists, is no zombie, and started
 * when the record says, so a reused pid does not pass for the holder); one on another host or in
 * another container's pid namespace cannot, and is waited for.
 */
import { randomBytes } from "node:crypto";
import { readFile, readlink } from "node:fs/promises";
import os from "node:os";

export interface LockOwner {
  pid: number;
  host: string;
  /** The kernel's boot id: a record from an earlier boot belongs to no running process. */
  boot?: string;
  /** The pid namespace (`pid:[…]`): pids of another namespace (container) mean nothing here. */
  pidns?: string;
  /** The process's start time, in clock ticks after boot (`/proc/<pid>/stat` field 22). */
  start?: string;
  /** Unique per acquisition, so a breaker and a releaser know it is still this very lock. */
  token: string;
  /** When the lock was taken, ISO 8601. */
  since: string;
}

/** The record's file inside the lock folder. */
export const OWNER_FILE = "owner.json";

interface ProcStat {
  state: string;
  start: string;
}

/** State and start time of a process from /proc; undefined where there is no /proc or no such process. */
async function procStat(pid: number): Promise<ProcStat | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0]!, start: fields[19]! };
}

const optional = (read: Promise<string>) => read.then((s) => s.trim(), () => undefined);

type Facts = Omit<LockOwner, "token" | "since">;
let facts: Promise<Facts> | undefined;

/** This process's lasting facts, read on first use. */
const self = (): Promise<Facts> => (facts ??= (async () => ({
  pid: process.pid,
  host: os.hostname(),
  boot: await optional(readFile("/proc/sys/kernel/random/boot_id", "utf8")),
  pidns: await optional(readlink("/proc/self/ns/pid")),
  start: (await procStat(process.pid))?.start,
}))());

/** A fresh record for a lock this process is taking. */
export async function ownRecord(): Promise<LockOwner> {
  return { ...(await self()), token: randomBytes(8).toString("hex"), since: new Date().toISOString() };
}

/** The record as written, or undefined when it is missing, half written or not one. */
export function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return Number.isInteger(o.pid) && o.pid! > 0 && typeof o.host === "string" && typeof o.token === "string" ? (o as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

/** True only when the holder is certainly not running: never for a holder this machine cannot see. */
export async function ownerIsGone(owner: LockOwner): Promise<boolean> {
  const me = await self();
  if (owner.host !== me.host) return false;
  if (owner.boot && me.boot && owner.boot !== me.boot) return true;
  if (owner.pidns !== me.pidns) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
  const stat = await procStat(owner.pid);
  if (stat === undefined) return false;
  return stat.state === "Z" || stat.state === "X" || (owner.start !== undefined && stat.start !== owner.start);
}

/** For messages: `pid 4242 on host "web-2" since 2026-11-22T10:00:00.000Z`. */
export function describeOwner(owner: LockOwner): string {
  return `pid ${owner.pid} on host ${JSON.stringify(owner.host)} since ${owner.since}`;
}
