/**
 * A loopback listener that tracks its sockets, so a test can wait for a client to open or close
 * them (an event, not a sleep). Every socket is destroyed and the server closed after the file.
 */
import type net from "node:net";
import { after } from "node:test";

export interface TrackedServer {
  port: number;
  /** `127.0.0.1:<port>`, a tcp/tls endpoint_url. */
  address: string;
  /** TCP connections accepted so far. */
  connections: number;
  /** Connections still open on the server's side. */
  open: number;
  /** Resolves once `n` connections have been accepted in all. */
  accepted(n: number): Promise<void>;
  /** Resolves once no connection is open (at once when none is). */
  drained(): Promise<void>;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:0, counting what it accepts and what is still open. */
export async function listenTracked(server: net.Server): Promise<TrackedServer> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let waiters: (() => void)[] = [];
  const changed = () => {
    const due = waiters;
    waiters = [];
    for (const w of due) w();
  };
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise<void>((r) => waiters.push(r));
  };
  server.on("connection", (s: net.Socket) => {
    connections++;
    sockets.add(s);
    s.once("close", () => {
      sockets.delete(s);
      changed();
    });
    changed();
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
    get connections() { return connections; },
    get open() { return sockets.size; },
    accepted: (n) => until(() => connections >= n),
    drained: () => until(() => sockets.size === 0),
    close,
  };
}
