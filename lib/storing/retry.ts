/**
 * Redoing work that lost a race with another writer (a GitHub commit on a moved branch, an S3
 * conditional write on a changed object): after a random pause, so writers that collided once
 * do not collide again in lockstep.
 */
import { setTimeout as sleep } from "node:timers/promises";

/** The longest pause between two tries. Milliseconds. */
const MAX_PAUSE_MS = 2000;

/**
 * Runs `work` up to `tries` times while `lost(error)` says it lost a race; pauses a random time
 * below 25 ms × 2^try (at most 2 s) in between. Any other error, or the last loss, is thrown.
 * `work` must re-read what it depends on.
 */
export async function retryRaces<T>(work: () => Promise<T>, lost: (e: unknown) => boolean, tries: number): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (e) {
      if (!lost(e) || i >= tries) throw e;
      await sleep(Math.random() * Math.min(MAX_PAUSE_MS, 25 * 2 ** i));
    }
  }
}
