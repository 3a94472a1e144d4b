/**
 * Loopback servers for TLS tests: a TLS server presenting a given certificate and an HTTPS server.
 * Closed after the file. (A server that never handshakes is in hostile.ts.)
 */
import http from "node:http";
import https from "node:https";
import tls from "node:tls";
import type { CertPair } from "./certs.js";
import { listenTracked, type TrackedServer } from "./tracked-server.js";

/** A TLS server presenting `pair`; it completes the handshake and hangs up. */
export function startTlsServer(pair: CertPair): Promise<TrackedServer> {
  const server = tls.createServer({ cert: pair.cert, key: pair.key }, (s) => s.end());
  // Clients that reject the certificate reset the connection; that is the test, not a failure.
  server.on("tlsClientError", () => {});
  return listenTracked(server);
}

/** An HTTPS server presenting `pair` and answering with `handler`. */
export async function startHttpsServer(pair: CertPair, handler: http.RequestListener): Promise<TrackedServer & { url: string }> {
  const server = https.createServer({ cert: pair.cert, key: pair.key }, handler);
  server.on("tlsClientError", () => {});
  const s = await listenTracked(server);
  return Object.assign(s, { url: `https://127.0.0.1:${s.port}` });
}
