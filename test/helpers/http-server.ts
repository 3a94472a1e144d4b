/** A real HTTP server on loopback for checker tests, closed when the test file finishes. */
import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after } from "node:test";

export interface TestServer {
  url: string;
  port: number;
  /** Requests seen, in order. */
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  /** Resolves once `n` requests have arrived; rejects after `withinMs`. */
  received(n: number, withinMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHttpServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<TestServer> {
  const requests: TestServer["requests"] = [];
  const arrivals = new EventEmitter();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, res, body);
      arrivals.emit("request");
    });
  });
  const received = (n: number, withinMs: number) => new Promise<void>((resolve, reject) => {
    const check = () => {
      if (requests.length < n) return;
      clearTimeout(timer);
      arrivals.off("request", check);
      resolve();
    };
    const timer = setTimeout(() => {
      arrivals.off("request", check);
      reject(new Error(`${requests.length} of ${n} requests arrived within ${withinMs} ms`));
    }, withinMs);
    arrivals.on("request", check);
    check();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  after(close);
  return { url: `http://127.0.0.1:${port}`, port, requests, received, close };
}

/** A port on loopback that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
