/**
 * A store three nodes write into (each its own fs storage on one folder, as three machines
 * sharing it): "API", which eu-1 sees down in the newest 10 rounds (2 min apart), and "Search",
 * from us-1 only. Options give every result a quorum rule, stop a node some rounds before the
 * newest, or leave summaries out (the page then reads check files only).
 */
import { FsStorage } from "../../lib/storage/fs.js";
import type { QuorumRule, Result } from "../../lib/types.js";

export const NODES = ["eu-1", "eu-2", "us-1"] as const;
export const STEP_NS = 120_000_000_000n;
const ROUNDS = 30;

export interface ThreeNodeOptions {
  /** Carried by every result, as a checker with `quorum` writes it (window in ns). */
  quorum?: QuorumRule;
  /** This node stored nothing in the newest `rounds` rounds. */
  stopped?: { node: (typeof NODES)[number]; rounds: number };
  summaries?: boolean;
}

/** What node i stores in round k (k = 0 newest). */
function nodeRound(i: number, k: number, at: bigint, quorum?: QuorumRule): Result[] {
  const down = NODES[i] === "eu-1" && k < 10;
  const results: Result[] = [{
    title: "API", endpoint: "https://api.example.test/", timestamp: at - 200_000_000n, node: NODES[i],
    times: down ? [{ rtt: 3_000_000_000, error: "dial tcp 10.0.0.7:443: connection refused" }] : [{ rtt: (30 + 10 * i) * 1_000_000 }],
    ...(down ? { down: true } : { healthy: true }), ...(quorum && { quorum }),
  }];
  if (NODES[i] === "us-1") results.push({ title: "Search", endpoint: "https://search.example.test/", timestamp: at - 100_000_000n, node: "us-1", times: [{ rtt: 90_000_000 }], healthy: true });
  return results;
}

const isStopped = ({ stopped }: ThreeNodeOptions, i: number, k: number): boolean => stopped !== undefined && stopped.node === NODES[i] && k < stopped.rounds;

/** Rounds up to a minute before `now` (ns), oldest first; node i stores 1.5 s after node i-1. */
export async function writeThreeNodeStore(dir: string, now: bigint, options: ThreeNodeOptions = {}): Promise<void> {
  const nodes = NODES.map(() => new FsStorage({ dir, url: "", checkExpiry: 0, summaries: options.summaries ?? true }));
  for (let k = ROUNDS - 1; k >= 0; k--) {
    for (let i = 0; i < NODES.length; i++) {
      if (isStopped(options, i, k)) continue;
      const at = now - 60_000_000_000n - BigInt(k) * STEP_NS + BigInt(i) * 1_500_000_000n;
      await nodes[i]!.store(nodeRound(i, k, at, options.quorum), at);
    }
  }
}
