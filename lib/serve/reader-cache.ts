/**
 * A StorageReader that remembers the rounds it fetched. Stored rounds never change (a deleted one
 * just leaves the index), so a page refreshing `/api/history` every minute costs one index read
 * plus the rounds stored since, instead of every round in the window again.
 */
import type { Result, StorageReader, StoreIndex } from "../types.js";

/** Rounds kept: a month of 10-minute rounds with room to spare, a few tens of MB at most. */
const DEFAULT_MAX_ROUNDS = 5_000;

export class CachingReader implements StorageReader {
  /** Insertion order is recency order: a hit moves its entry to the end. */
  private readonly rounds = new Map<string, Promise<Result[]>>();

  constructor(private readonly inner: StorageReader, private readonly maxRounds = DEFAULT_MAX_ROUNDS) {}

  index(): Promise<StoreIndex> {
    return this.inner.index();
  }

  /** Callers share the returned arrays: they must not modify them. */
  fetch(name: string): Promise<Result[]> {
    const hit = this.rounds.get(name);
    if (hit) {
      this.rounds.delete(name);
      this.rounds.set(name, hit);
      return hit;
    }
    const pending = this.inner.fetch(name);
    this.rounds.set(name, pending);
    pending.catch(() => this.rounds.delete(name));
    if (this.rounds.size > this.maxRounds) this.rounds.delete(this.rounds.keys().next().value!);
    return pending;
  }
}
