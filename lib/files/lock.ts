/**
 * A cross-process lock on a shared folder: `mkdir` is atomic on local disks and NFS alike, so two
 * cron jobs or two nodes updating one index.json take turns instead of losing each other's entry.
 * The holder writes who it is inside (lock-owner.ts). A waiter takes over at once from a holder on
 * this machine that is gone (killed, crashed); a lock whose holder cannot be checked (another host)
 * is broken only once it is `staleMs` old. Breaking goes through `<lock>.break`, so of two waiters
 * breaking the same lock one does it, and neither removes the lock the other has just taken.
 */
import { mkdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { writeFileAtomic } from "./atomic.js";
import { describeOwner, ownerIsGone, ownRecord, OWNER_FILE, parseOwner, type LockOwner } from "./lock-owner.js";

export interface LockOptions {
  /** Give up after this long. Milliseconds. */
  timeoutMs?: number;
  /** A lock whose holder cannot be checked is considered abandoned after this long. Milliseconds. */
  staleMs?: number;
}

/** A lock folder as a waiter saw it: enough to tell later whether it is still the same lock. */
interface Held {
  ino: number;
  mtimeMs: number;
  owner: LockOwner | undefined;
}

export async function withLock<T>(lockDir: string, work: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const staleMs = opts.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let me: LockOwner | undefined;
  for (let wait = 2; !(me = await tryAcquire(lockDir)); wait = Math.min(wait * 2, 100)) {
    const held = await inspect(lockDir);
    if (held && (await abandoned(held, staleMs)) && (await breakLock(lockDir, held, staleMs))) continue;
    if (Date.now() > deadline) throw lockTimeout(lockDir, held, timeoutMs, staleMs);
    await sleep(wait + Math.random() * wait);
  }
  try {
    return await work();
  } finally {
    await release(lockDir, me);
  }
}

/** Takes the lock and records this process in it; undefined when someone holds it. */
async function tryAcquire(lockDir: string): Promise<LockOwner | undefined> {
  try {
    await mkdir(lockDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw e;
  }
  const me = await ownRecord();
  // Best effort: without its record (a full disk) the lock still excludes; waiters go by its age.
  await writeFileAtomic(path.join(lockDir, OWNER_FILE), JSON.stringify(me)).catch(() => undefined);
  return me;
}

/** The lock as it is now; undefined when it was released meanwhile. */
async function inspect(lockDir: string): Promise<Held | undefined> {
  const s = await stat(lockDir).catch(() => undefined);
  if (!s) return undefined;
  const owner = parseOwner(await readFile(path.join(lockDir, OWNER_FILE), "utf8").catch(() => ""));
  return { ino: s.ino, mtimeMs: s.mtimeMs, owner };
}

async function abandoned(held: Held, staleMs: number): Promise<boolean> {
  if (held.owner && (await ownerIsGone(held.owner))) return true;
  return Date.now() - held.mtimeMs > staleMs;
}

/**
 * Removes the lock `held` describes unless it changed since: nobody else breaks it meanwhile (they
 * wait for `<lock>.break`) and its holder is gone, so what is checked is what is removed.
 * Returns false when another waiter was breaking it.
 */
async function breakLock(lockDir: string, held: Held, staleMs: number): Promise<boolean> {
  const breaker = `${lockDir}.break`;
  try {
    await mkdir(breaker);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    // A waiter that died in the instant it was breaking left this behind.
    const age = await stat(breaker).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > staleMs) await rm(breaker, { recursive: true, force: true });
    return false;
  }
  try {
    const now = await inspect(lockDir);
    const same = now !== undefined && now.ino === held.ino && now.mtimeMs === held.mtimeMs && now.owner?.token === held.owner?.token;
    if (same) await rm(lockDir, { recursive: true, force: true });
    return true;
  } finally {
    await rm(breaker, { recursive: true, force: true });
  }
}

async function release(lockDir: string, me: LockOwner): Promise<void> {
  const held = await inspect(lockDir);
  // Broken as stale and taken by another process meanwhile: that lock is theirs.
  if (held?.owner && held.owner.token !== me.token) return;
  await rm(lockDir, { recursive: true, force: true });
}

function lockTimeout(lockDir: string, held: Held | undefined, timeoutMs: number, staleMs: number): Error {
  const who = held?.owner ? describeOwner(held.owner) : "a process that left no owner record (an older checkup, or a full disk)";
  return new Error(`could not lock ${lockDir} within ${timeoutMs} ms: it is held by ${who}. ` +
    `If no checkup is running there, remove ${lockDir}; it is taken over anyway once it is ${staleMs / 1000} s old`);
}
