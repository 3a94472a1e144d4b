/**
 * A cross-process lock on a shared folder: `mkdir` is atomic on local disks and NFS alike, so two
 * cron jobs or two nodes updating one index.json take turns instead of losing each other's entry.
 * A lock older than `staleMs` was left by a crashed process and is broken.
 */
import { mkdir, rm, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

export interface LockOptions {
  /** Give up after this long. */
  timeoutMs?: number;
  /** A lock untouched for this long is considered abandoned. */
  staleMs?: number;
}

export async function withLock<T>(lockDir: string, work: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const staleMs = opts.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (let wait = 2; ; wait = Math.min(wait * 2, 100)) {
    try {
      await mkdir(lockDir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const age = await stat(lockDir).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > staleMs) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`could not lock ${lockDir} within ${timeoutMs} ms (remove it if no checkup is running)`);
    await sleep(wait + Math.random() * wait);
  }
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
