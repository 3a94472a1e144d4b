/**
 * Loopback servers for TLS tests: a TLS server presenting a given certificate, an HTTPS server,
 * and a TCP server that accepts and then never says a word (for timeouts). Closed after the file.
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { after } from "node:test";
import tls from "node:tls";
import type { CertPair } from "./certs.js";

export interface LoopbackServer {
  port: number;
  /** `127.0.0.1:<port>`, a tcp/tls endpoint_url. */
  address: string;
  /** TCP connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:0, counts and tracks sockets, and closes them all when done. */
async function serve(server: net.Server): Promise<LoopbackServer> {
  const sockets = new Set<net.Socket>();
  const info = { connections: 0 };
  server.on("connection", (s: net.Socket) => {
    info.connections++;
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  const close = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  after(close);
  return {
    port,
    address: `127.0.0.1:${port}`,
    get connections() { return info.connections; },
    close,
  };
}

/** A TLS server presenting `pair`; it completes the handshake and hangs up. */
export function startTlsServer(pair: CertPair): Promise<LoopbackServer> {
  const server = tls.createServer({ cert: pair.cert, key: pair.key }, (s) => s.end());
  // Clients that reject the certificate reset the connection; that is the test, not a failure.
  server.on("tlsClientError", () => {});
  return serve(server);
}

/** An HTTPS server presenting `pair` and answering with `handler`. */
export async function startHttpsServer(pair: CertPair, handler: http.RequestListener): Promise<LoopbackServer & { url: string }> {
  const server = https.createServer({ cert: pair.cert, key: pair.key }, handler);
  server.on("tlsClientError", () => {});
  const s = await serve(server);
  return Object.assign(s, { url: `https://127.0.0.1:${s.port}` });
}

/** Accepts TCP connections and never answers: no TLS handshake, no HTTP response. */
export function startSilentServer(): Promise<LoopbackServer> {
  return serve(net.createServer(() => {}));
}
