/**
 * `every` with a remote config: before each round the source is read again (a conditional GET on
 * its ETag), and a changed, valid config replaces the Checkup for the rounds that follow. A
 * config that cannot be read or is invalid keeps the last good one running, and says why. The
 * replaced Checkup gets HANDOVER_MS to finish its deliveries; what it cannot finish stays pending
 * in the alert state both share (one per config location), and the new one sends it next round.
 */
import type { Checkup, LoadOptions } from "../checkup.js";
import type { ConfigSource } from "../config/load.js";
import { messageOf } from "../errors.js";

/** How long a replaced Checkup may keep delivering before handing what is left over. Milliseconds. */
const HANDOVER_MS = 500;

export interface Follower {
  /** The Checkup for the coming round: a new one when the config changed, else `current`. */
  next(current: Checkup, signal?: AbortSignal): Promise<Checkup>;
  /** Resolves once every replaced Checkup has closed. */
  retired(): Promise<void>;
}

/** `build` turns a read config into a Checkup (Checkup.fromConfig); `say` hears each change and failure. */
export function followConfig(source: ConfigSource, build: (raw: unknown, options: LoadOptions & { file: string }) => Promise<Checkup>,
  options: LoadOptions, say: (message: string) => void): Follower {
  const closing = new Set<Promise<void>>();
  return {
    async next(current, signal) {
      let replacement: Checkup;
      try {
        const raw = await untilAborted(source.read(), signal);
        if (raw === undefined) return current;
        replacement = await build(raw, { ...options, file: source.name });
      } catch (e) {
        if (signal?.aborted) return current; // stopping: the round is abandoned anyway
        say(`keeping the last good config: ${messageOf(e)}`);
        return current;
      }
      say(`${source.name} changed: ${replacement.checkers.length} checks from the next round`);
      const closed = current.close({ deliveryWaitMs: HANDOVER_MS }).catch((e: unknown) => say(`closing the replaced config: ${messageOf(e)}`));
      closing.add(closed);
      void closed.finally(() => closing.delete(closed));
      return replacement;
    },
    async retired() {
      await Promise.all(closing);
    },
  };
}

/** `work`, or a rejection as soon as `signal` aborts (stopping must not wait out a slow server). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
