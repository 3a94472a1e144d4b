/**
 * `websocket`: open a ws:// or wss:// connection (the `ws` package; Node 20 has no WebSocket
 * client without a flag). RTT is the time to open. With `send`, that text is sent once open; with
 * `must_contain`, the first message must contain it.
 */
import { WebSocket, type RawData } from "ws";
import { str, url, type Raw, type Scope } from "../config/fields.js";
import { SECOND } from "../duration.js";
import { elapsedSince } from "../checking/attempts.js";
import { dialError, attemptRoots, verifyError, parseTlsClient, type TlsClient } from "../checking/dial.js";
import { contentError } from "../checking/content.js";
import type { CheckerType, Outcome } from "../plugin-types.js";

/** The largest first message read for must_contain; a bigger one fails the attempt. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

interface WebSocketOptions extends TlsClient {
  title: string;
  endpoint: string;
  send: string;
  mustContain: string;
}

export default {
  defaultTimeout: 10 * SECOND,
  parse: (raw: Raw, at: Scope): WebSocketOptions => ({
    title: str(raw, "endpoint_name", at),
    endpoint: url(raw, "endpoint_url", at, {
      schemes: ["ws", "wss"], example: "wss://example.com/socket", required: "the socket's URL, e.g. \"wss://example.com/socket\"",
    }),
    send: str(raw, "send", at),
    mustContain: str(raw, "must_contain", at),
    ...parseTlsClient(raw, at),
  }),
  attempt: async (o, signal): Promise<Outcome> => {
    const roots = await attemptRoots(o.tlsCaFile, o.endpoint.startsWith("wss:"));
    if ("error" in roots) return { rtt: 0, error: roots.error };
    const socket = new WebSocket(o.endpoint, { rejectUnauthorized: !o.tlsSkipVerify, ca: roots.ca, maxPayload: MAX_MESSAGE_BYTES });
    const onAbort = () => socket.terminate();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      return await converse(o, socket, signal);
    } finally {
      signal.removeEventListener("abort", onAbort);
      socket.terminate();
    }
  },
} satisfies CheckerType<WebSocketOptions>;

/** Waits for the open (and with must_contain the first message); rejects on abort or close. */
function converse(o: WebSocketOptions, socket: WebSocket, signal: AbortSignal): Promise<Outcome> {
  const started = performance.now();
  return new Promise<Outcome>((resolve, reject) => {
    let rtt = 0;
    socket.once("unexpected-response", (_req, res) => {
      resolve({ rtt: elapsedSince(started), answered: true, error: `handshake: response status ${res.statusCode ?? 0} (expected 101)` });
    });
    socket.on("error", (e: Error & { code?: string }) => {
      if (signal.aborted) return reject(e);
      const opened = rtt > 0;
      resolve({ rtt: opened ? rtt : elapsedSince(started), error: opened ? e.message : openError(o.endpoint, e) });
    });
    socket.once("close", (code) => reject(new Error(`closed by the server (code ${code}) before its first message`)));
    socket.once("open", () => {
      rtt = elapsedSince(started);
      if (o.send) socket.send(o.send);
      if (!o.mustContain) return resolve({ rtt, answered: true });
      socket.once("message", (data: RawData) => {
        const error = contentError({ mustContain: o.mustContain, mustNotContain: "" }, text(data));
        resolve(error ? { rtt, answered: true, error } : { rtt, answered: true });
      });
    });
  });
}

/** Go-like texts for a connection that never opened: `dial tcp 127.0.0.1:1: connect: connection refused`. */
function openError(endpoint: string, e: Error & { code?: string }): string {
  const unverified = verifyError(e.code, e.message);
  if (unverified) return unverified;
  if (!e.code) return e.message;
  const target = new URL(endpoint);
  const host = target.hostname.replace(/^\[|\]$/g, "");
  const port = Number(target.port || (target.protocol === "wss:" ? 443 : 80));
  return dialError({ host, port, address: `${target.hostname}:${port}` }, e);
}

function text(data: RawData): string {
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)).toString("utf8");
}
