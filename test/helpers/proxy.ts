/**
 * A forward proxy on loopback for HTTP checker tests: absolute-URI requests (http targets) are
 * forwarded, CONNECT (https targets) opens a tunnel. Every host name is reached at 127.0.0.1, so
 * a test can use names like `app.checkup.test` that only the proxy can reach. It records what it
 * was asked, and tracks its sockets so a test can wait for them to close.
 */
import http from "node:http";
import net from "node:net";
import { listenTracked, type TrackedServer } from "./tracked-server.js";

export interface TestProxy extends TrackedServer {
  /** `http://127.0.0.1:<port>`, for HTTP_PROXY or `proxy`. */
  url: string;
  /** What was asked, in order: `GET http://host:port/path` or `CONNECT host:port`. */
  asked: string[];
  /** The request headers, in the same order. */
  headers: http.IncomingHttpHeaders[];
}

export interface ProxyBehaviour {
  /** Answer CONNECT with this status instead of tunnelling (e.g. 403). */
  refuseConnect?: number;
  /** Accept CONNECT and then never answer it. */
  stallConnect?: boolean;
}

export async function startProxy(behaviour: ProxyBehaviour = {}): Promise<TestProxy> {
  const asked: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    headers.push(req.headers);
    forward(req, res);
  });
  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    asked.push(`CONNECT ${req.url}`);
    headers.push(req.headers);
    client.on("error", () => client.destroy());
    // Reads (and drops) what comes, and closes when the client hangs up (an http server's
    // sockets are half-open, so that is not done for us).
    if (behaviour.stallConnect) return void client.resume().once("end", () => client.destroy());
    if (behaviour.refuseConnect) return void client.end(`HTTP/1.1 ${behaviour.refuseConnect} ${http.STATUS_CODES[behaviour.refuseConnect]}\r\n\r\n`);
    const port = Number(new URL(`http://${req.url}`).port);
    const upstream = net.connect(port, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  const tracked = await listenTracked(server);
  return Object.assign(tracked, { url: `http://127.0.0.1:${tracked.port}`, asked, headers });
}

/** Sends an absolute-URI request on to 127.0.0.1 at the URL's port, and the answer back. */
function forward(req: http.IncomingMessage, res: http.ServerResponse): void {
  const target = new URL(req.url ?? "/");
  const upstream = http.request({
    host: "127.0.0.1",
    port: target.port || 80,
    method: req.method,
    path: `${target.pathname}${target.search}`,
    headers: req.headers,
    agent: false,
  }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  // The client hung up: so does the proxy, towards the target.
  res.once("close", () => upstream.destroy());
  req.pipe(upstream);
}
