/**
 * Static sharding: with `--shard i/N`, a node runs only the checks whose title hashes to shard i,
 * so N nodes given 1/N … N/N run every check exactly once per round. The hash is stable across
 * processes, versions and machines (SHA-256 of the check's key), so a check stays on its node
 * while the config changes around it.
 */
import { createHash } from "node:crypto";
import { checkKey, type Identified } from "../check-key.js";

export interface Shard {
  /** 1-based: 1 … count. */
  index: number;
  count: number;
}

/** More shards than this is a typo; a fleet that large wants auto-shards. */
export const MAX_SHARDS = 1000;

/** `"2/3"` → { index: 2, count: 3 }; a message saying what is wrong otherwise. */
export function parseShard(text: string): Shard | string {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return `expected i/N like "1/3" (this node runs the i-th of N shards), got ${JSON.stringify(text)}`;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) return `N must be from 1 to ${MAX_SHARDS}, got ${JSON.stringify(text)}`;
  if (index < 1 || index > count) return `i must be from 1 to ${count} (shards are counted from 1), got ${JSON.stringify(text)}`;
  return { index, count };
}

/** Which of `count` shards (1-based) a check falls in. */
export function shardOf(check: Identified, count: number): number {
  const digest = createHash("sha256").update(checkKey(check)).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/** The checks shard `shard` runs, in config order; all of them without a shard. */
export function inShard<T extends Identified>(checks: readonly T[], shard: Shard | undefined): T[] {
  return shard ? checks.filter((c) => shardOf(c, shard.count) === shard.index) : [...checks];
}

export const shardText = (shard: Shard): string => `${shard.index}/${shard.count}`;
