/**
 * `index.json`, the map of stored file → Unix ns that the fs and github storages keep and the
 * status page reads. Values keep their exact digits (see nanos.ts); keys are written sorted, as
 * Go's encoder writes a map.
 */
import { checkFileDigits, SUMMARIES_ENTRY } from "checkup/statuspage/rules";
import { parseJsonExact, toUnixNanos } from "../nanos.js";
import type { StoreIndex } from "../types.js";

/** index.json whole, as a writer rewrites it: the stored files, and whether it says the store keeps summaries. */
export interface IndexFile {
  index: StoreIndex;
  /** The SUMMARIES_ENTRY (`"summaries/index.json": 1`), which is no stored file: readers never see it in `index`. */
  summaries: boolean;
}

export function parseIndexFile(text: string, source = "index.json"): IndexFile {
  const data = parseJsonExact(text);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new Error(`${source}: expected a JSON object mapping file names to nanoseconds`);
  }
  const index: StoreIndex = new Map();
  for (const [name, value] of Object.entries(data)) {
    const ns = toUnixNanos(value);
    if (ns !== undefined && name !== SUMMARIES_ENTRY) index.set(name, ns);
  }
  return { index, summaries: Object.hasOwn(data, SUMMARIES_ENTRY) };
}

export const parseIndex = (text: string, source = "index.json"): StoreIndex => parseIndexFile(text, source).index;

export function indexJson(index: StoreIndex, summaries = false): string {
  const entries = [...index].map(([n, ns]) => [n, ns.toString()]);
  if (summaries) entries.push([SUMMARIES_ENTRY, "1"]);
  return `{${entries.sort(([a], [b]) => (a! < b! ? -1 : 1)).map(([n, v]) => `${JSON.stringify(n)}:${v}`).join(",")}}`;
}

/** `<ns>-check.json`: the name checkup gives a stored round. */
export function checkFileName(at: bigint): string {
  return `${at}-check.json`;
}

/** The ns a check file's name starts with, or undefined when it is not a check file. */
export function checkFileTime(name: string): bigint | undefined {
  const digits = checkFileDigits(name);
  return digits === undefined ? undefined : BigInt(digits);
}

/** One path segment and no dot file: a name a reader may open (never `../x` or `.git`). */
export function isPlainName(name: string): boolean {
  return /^[\w.-]+$/.test(name) && !name.startsWith(".");
}

/** The one guard of the readers (fs, s3, github): a name from a request never leaves their folder. */
export function assertPlainName(name: string): void {
  if (!isPlainName(name)) throw new Error(`invalid check file name ${JSON.stringify(name)}`);
}

/** How a storage writes check files, for {@link placeRound}. */
export interface CheckFiles {
  /** Writes `name` unless it exists; false when it does. */
  create(name: string): Promise<boolean>;
  /** A stored file's text; undefined when there is none (any more). */
  read(name: string): Promise<string | undefined>;
  /** True for a name this process is writing for another round right now: skipped unread. */
  busy?(name: string): boolean;
}

/**
 * Writes a round stored at `at` under the first free name of `<at>`, `<at+1>`, … (another writer
 * may hold a nanosecond), unless one of them already holds exactly `body`: that is this very round,
 * written by an earlier try that failed at a later step and is now replayed (from the spool), so a
 * round is stored once however often it is retried. `created` tells whether this call wrote it.
 */
export async function placeRound(at: bigint, body: string, files: CheckFiles): Promise<{ name: string; ns: bigint; created: boolean }> {
  for (let ns = at; ; ns++) {
    const name = checkFileName(ns);
    if (files.busy?.(name)) continue;
    if (await files.create(name)) return { name, ns, created: true };
    if ((await files.read(name)) === body) return { name, ns, created: false };
  }
}
