/**
 * The fleet benchmark's target (bench/fleet.ts forks it, so its work is not the bench's): plain
 * HTTP servers on several loopback ports (spreading 100,000 fresh connections a minute over more
 * address pairs than one port's ephemeral range holds) answering 200 "ok" to `/c/<check>`, and
 * counting hits per check and per node (from checkup's `User-Agent: checkup/… (node n<k>)`).
 *
 *   argv: <checks> <nodes> <ports>; sends its ports, then answers "hits" with the counts
 *   (row k × checks + check; row 0 = any other node name).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

const [checks = 0, nodes = 0, portCount = 1] = process.argv.slice(2).map(Number);
const hits = new Uint32Array((nodes + 1) * checks);

function count(req: http.IncomingMessage): void {
  const check = Number(req.url?.slice(3));
  const node = /\(node n(\d+)\)/.exec(req.headers["user-agent"] ?? "")?.[1];
  const row = node !== undefined && Number(node) <= nodes ? Number(node) : 0;
  if (Number.isInteger(check) && check >= 0 && check < checks) hits[row * checks + check]!++;
}

const servers = Array.from({ length: portCount }, () => http.createServer((req, res) => {
  count(req);
  res.end("ok");
}));
const ports = await Promise.all(servers.map((s) => new Promise<number>((resolve) => {
  s.listen(0, "127.0.0.1", 4096, () => resolve((s.address() as AddressInfo).port));
})));
process.on("message", (m) => {
  if (m === "hits") process.send!(Array.from(hits));
});
process.send!(ports);
