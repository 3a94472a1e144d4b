/**
 * Deliveries beside the schedule: one queue per notifier, so a dead notifier never delays a healthy
 * one, and each notifier hears its notices in the order they were decided (an alert before its
 * recovery). Every notice has a deadline: each try its notifier's `timeout`, all tries together
 * boundMs(); a notifier that ignores its signal is given up on all the same.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { messageOf } from "../errors.js";
import type { Notice, Notifier } from "../types.js";

/** Why a notice was not delivered; undefined once it was. */
export type Outcome = string | undefined;

export const INTERRUPTED = "delivery interrupted (stopping)";

interface Queue {
  tail: Promise<void>;
  /** Notices queued, counting the one being sent. */
  depth: number;
}

export class Outbox {
  private readonly queues = new Map<string, Queue>();
  private stop = new AbortController();

  /** `delaysMs`: the pause before each retry, so delaysMs.length + 1 tries in all. */
  constructor(private readonly delaysMs: readonly number[]) {}

  /** The longest one notice to `n` may take: every try running out its timeout, plus the pauses. ms */
  boundMs(n: Notifier): number {
    return (this.delaysMs.length + 1) * tryMs(n) + this.delaysMs.reduce((sum, ms) => sum + ms, 0);
  }

  /** Notices queued for `n`, counting the one being sent. */
  depth(n: Notifier): number {
    return this.queues.get(n.id)?.depth ?? 0;
  }

  /** Queues `notice` behind what `n` already has; `then` hears how it went. */
  push(n: Notifier, notice: Notice, then: (outcome: Outcome) => Promise<void>): void {
    const queue = this.queues.get(n.id) ?? { tail: Promise.resolve(), depth: 0 };
    this.queues.set(n.id, queue);
    queue.depth++;
    queue.tail = queue.tail
      .then(async () => {
        const stop = this.stop.signal;
        await then(stop.aborted ? INTERRUPTED : await this.send(n, notice, stop));
      })
      .catch(() => undefined)
      .finally(() => {
        if (--queue.depth === 0 && this.queues.get(n.id) === queue) this.queues.delete(n.id);
      });
  }

  /**
   * Waits until every queue is empty, at most `waitMs`; then interrupts what is left (its `then`
   * hears INTERRUPTED) and waits for that. Notices queued afterwards are delivered as usual.
   */
  async settle(waitMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(resolve, waitMs, "late")));
    // Rounds may queue more while this waits: wait for those too, within the same bound.
    while (this.queues.size > 0 && (await Promise.race([this.idle(), late])) !== "late");
    clearTimeout(timer);
    if (this.queues.size === 0) return;
    this.stop.abort();
    await this.idle();
    this.stop = new AbortController();
  }

  /** One notice with retries, within boundMs(n): the reason it failed, or undefined once delivered. */
  async send(n: Notifier, notice: Notice, stop?: AbortSignal): Promise<Outcome> {
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(tryMs(n));
      const signal = stop ? AbortSignal.any([stop, timeout]) : timeout;
      try {
        await untilAborted(n.deliver(notice, signal), signal, tryMs(n));
        return undefined;
      } catch (e) {
        if (stop?.aborted) return INTERRUPTED;
        if (attempt >= this.delaysMs.length) return `delivery failed after ${attempt + 1} tries: ${messageOf(e)}`;
        await sleep(this.delaysMs[attempt], undefined, { signal: stop }).catch(() => undefined);
      }
    }
  }

  private async idle(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.tail));
  }
}

/** One try's deadline, ms. */
const tryMs = (n: Notifier): number => Math.max(1, Math.round(n.policy.timeout / 1e6));

/**
 * `work`, or a rejection once `signal` has aborted: a notifier that heeds its signal gets to
 * report its own reason first (a turn of the event loop); one that ignores it is left behind.
 */
function untilAborted(work: Promise<void>, signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => setImmediate(() => reject(new Error(`no answer within ${ms} ms`)));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
