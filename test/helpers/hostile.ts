/**
 * Hostile peers for fault tests: a server that accepts and never speaks, an HTTP server that
 * trickles its body forever, a library checker that never settles, and `within()` to wait on
 * any of them with a deadline. The servers track their sockets (see tracked-server.ts).
 */
import http from "node:http";
import net from "node:net";
import type { Checker, Result } from "../../lib/types.js";
import { listenTracked, type TrackedServer } from "./tracked-server.js";

/** Accepts TCP connections and never answers: no TLS handshake, no HTTP response. */
export function startSilentServer(): Promise<TrackedServer> {
  // Reads (and drops) what comes, or a client's hang-up would never be seen and the socket never close.
  return listenTracked(net.createServer((s) => s.resume()));
}

/**
 * Answers 200 at once, then sends its body one byte every `everyMs` (default 100 ms) forever,
 * so an idle timeout never fires and only a deadline on the whole read ends it.
 */
export async function startTricklingServer(everyMs = 100): Promise<TrackedServer & { url: string }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.flushHeaders();
    const drip = setInterval(() => res.write("."), everyMs);
    res.once("close", () => clearInterval(drip));
  });
  const tracked = await listenTracked(server);
  return Object.assign(tracked, { url: `http://${tracked.address}/` });
}

/** A program's own checker whose check() never settles, even when aborted. */
export interface StuckChecker extends Checker {
  /** The signals check() was given, in call order. */
  readonly signals: AbortSignal[];
  /** Resolves when the signal of the first call is aborted. */
  readonly aborted: Promise<unknown>;
}

export function stuckChecker(title: string, limit?: number): StuckChecker {
  const signals: AbortSignal[] = [];
  let sawAbort!: (reason: unknown) => void;
  const aborted = new Promise<unknown>((r) => (sawAbort = r));
  return {
    type: "stuck",
    title,
    endpoint: `stuck://${title}`,
    ...(limit !== undefined && { limit }),
    signals,
    aborted,
    check(signal?: AbortSignal): Promise<Result> {
      if (signal) {
        signals.push(signal);
        signal.addEventListener("abort", () => sawAbort(signal.reason), { once: true });
      }
      return new Promise<Result>(() => {});
    },
  };
}

/** `promise`, or a rejection naming `what` once `ms` have passed first. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
