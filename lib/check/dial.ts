/**
 * Opening one fresh connection, shared by tcp, tls and dns: plain TCP or TCP+TLS, with an abort
 * signal, the time it took, and Go-like error texts so stored results read like checkup's.
 */
import net from "node:net";
import tls from "node:tls";
import type { Nanos } from "../duration.js";
import { elapsedSince } from "./attempts.js";

export interface DialTarget {
  host: string;
  port: number;
  /** `host:port` as configured, used in error texts. */
  address: string;
}

export type Dialled =
  | { ok: true; rtt: Nanos; socket: net.Socket | tls.TLSSocket }
  | { ok: false; rtt: Nanos; error: string };

/** Connects, and with `tlsOptions` completes the handshake. The caller must destroy the socket. */
export function dial(target: DialTarget, signal: AbortSignal, tlsOptions?: tls.ConnectionOptions): Promise<Dialled> {
  const started = performance.now();
  return new Promise<Dialled>((resolve) => {
    const socket: net.Socket = tlsOptions
      ? tls.connect({
        host: target.host,
        port: target.port,
        servername: net.isIP(target.host) ? undefined : target.host,
        ...tlsOptions,
      })
      : net.connect({ host: target.host, port: target.port });
    const onAbort = () => socket.destroy(Object.assign(new Error("i/o timeout"), { code: "ETIMEDOUT" }));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    socket.once(tlsOptions ? "secureConnect" : "connect", () => {
      signal.removeEventListener("abort", onAbort);
      resolve({ ok: true, rtt: elapsedSince(started), socket });
    });
    socket.once("error", (e) => {
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve({ ok: false, rtt: elapsedSince(started), error: dialError(target, e) });
    });
  });
}

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connect: connection refused",
  ECONNRESET: "read: connection reset by peer",
  EHOSTUNREACH: "connect: no route to host",
  ENETUNREACH: "connect: network is unreachable",
  ETIMEDOUT: "i/o timeout",
};

/** `dial tcp 127.0.0.1:1: connect: connection refused`, as Go's net package words it. */
export function dialError(target: DialTarget, e: Error & { code?: string }): string {
  if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN") return `dial tcp: lookup ${target.host}: no such host`;
  const reason = (e.code !== undefined ? REASONS[e.code] : undefined) ?? e.message;
  return `dial tcp ${target.address}: ${reason}`;
}
