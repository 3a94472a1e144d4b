/**
 * What every storage's shared documents (SharedStore in types.ts) have in common: their names,
 * the folder or key prefix object stores keep them under, and, for stores without locks or
 * transactions (S3, GitHub), the compare-and-swap loop that makes an update atomic.
 */
import type { SharedUpdate } from "../types.js";
import { retryRaces } from "./retry.js";

/** The folder (fs, GitHub) or key prefix (S3) beside the check files: never a check file's name. */
export const SHARED_DIR = "shared";

/** Tries of a compare-and-swap update before it gives up (its random pauses add up to at most 9.15 s). */
export const SHARED_TRIES = 10;

/** A document name is one plain path segment (a file name, a key, a row's key), at most 200 characters. */
export function assertSharedName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(name) || name.includes("..")) {
    throw new Error(`invalid shared document name ${JSON.stringify(name)}: letters, digits, ".", "_" and "-" only`);
  }
}

/** A document as read, with what its next write must be conditional on (an ETag, a blob sha). */
export interface Versioned {
  text: string;
  version: string;
}

/** An object store's documents, written only if unchanged since they were read. */
export interface VersionedDocs {
  read(name: string): Promise<Versioned | undefined>;
  /**
   * Writes `text` if the document is still at `version` (undefined: if it still does not exist).
   * Resolves false when another writer got there first.
   */
  write(name: string, text: string, version: string | undefined): Promise<boolean>;
}

class LostRace extends Error {}

/**
 * Reads, updates and writes back conditionally, from a fresh read after each lost race, at most
 * SHARED_TRIES times. An error from `update` ends it at once, the document unchanged.
 * `where` names the store for the error when every try lost.
 */
export async function compareAndSwap<T>(docs: VersionedDocs, name: string,
  update: (current: string | undefined) => Promise<SharedUpdate<T>>, where: string, tries = SHARED_TRIES): Promise<T> {
  assertSharedName(name);
  try {
    return await retryRaces(async () => {
      const current = await docs.read(name);
      const next = await update(current?.text);
      if (!(await docs.write(name, next.text, current?.version))) throw new LostRace();
      return next.value;
    }, (e) => e instanceof LostRace, tries);
  } catch (e) {
    if (!(e instanceof LostRace)) throw e;
    throw new Error(`${where}: shared document ${JSON.stringify(name)} was changed by another writer during each of ${tries} tries; ` +
      "nothing was written (another node is updating it constantly, or the store is misbehaving)");
  }
}
