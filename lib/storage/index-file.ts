/**
 * `index.json`, the map of stored file → Unix ns that the fs and github storages keep and the
 * status page reads. Values keep their exact digits (see nanos.ts); keys are written sorted, as
 * Go's encoder writes a map.
 */
import { parseJsonExact, toUnixNanos } from "../nanos.js";
import type { StoreIndex } from "../types.js";

export function parseIndex(text: string, source = "index.json"): StoreIndex {
  const data = parseJsonExact(text);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new Error(`${source}: expected a JSON object mapping file names to nanoseconds`);
  }
  const index: StoreIndex = new Map();
  for (const [name, value] of Object.entries(data)) {
    const ns = toUnixNanos(value);
    if (ns !== undefined) index.set(name, ns);
  }
  return index;
}

export function indexJson(index: StoreIndex): string {
  const names = [...index.keys()].sort();
  return `{${names.map((n) => `${JSON.stringify(n)}:${index.get(n)!.toString()}`).join(",")}}`;
}

/** `<ns>-check.json`: the name checkup gives a stored round. */
export function checkFileName(at: bigint): string {
  return `${at}-check.json`;
}

/** The ns a check file's name starts with, or undefined when it is not a check file. */
export function checkFileTime(name: string): bigint | undefined {
  const m = /^(\d+)-check\.json$/.exec(name);
  return m ? BigInt(m[1]!) : undefined;
}
