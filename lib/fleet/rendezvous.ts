/**
 * Rendezvous (highest-random-weight) hashing: every node weighs every check by a stable hash of
 * the pair, and a check belongs to the `replicas` nodes that weigh it most. Each node decides
 * alone from the same list of live nodes; when a node leaves, only the checks it owned move (each
 * to the next heaviest node), and when one joins it takes only the checks it now outweighs.
 */
import { createHash } from "node:crypto";
import { checkKey, type Identified } from "../check-key.js";

/** The first 8 bytes of SHA-256(check key, NUL, node): the same on every machine and in every version. */
export function weight(key: string, node: string): bigint {
  return createHash("sha256").update(key).update("\0").update(node).digest().readBigUInt64BE(0);
}

/**
 * Whether `node` is among the `replicas` owners of `key` over `nodes` (distinct names, `node`
 * among them): fewer than `replicas` others outweigh it (a tie, never seen in practice, goes to
 * the smaller name).
 */
export function owns(key: string, node: string, nodes: readonly string[], replicas: number): boolean {
  const own = weight(key, node);
  let heavier = 0;
  for (const other of nodes) {
    if (other === node) continue;
    const w = weight(key, other);
    if (w > own || (w === own && other < node)) heavier++;
    if (heavier >= replicas) return false;
  }
  return true;
}

/** The checks `node` owns among `nodes`, in config order. */
export function ownedChecks<T extends Identified>(checks: readonly T[], node: string, nodes: readonly string[], replicas: number): T[] {
  return checks.filter((c) => owns(checkKey(c), node, nodes, replicas));
}
