/**
 * How close the RTT the http checker reports is to the real time-to-headers: a loopback server
 * waits 250 ms before sending its headers; we print the median reported RTT and its ratio to
 * 250 ms. Print-only (run: `node dist/bench/rtt.js`); never a test.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createChecker } from "../lib/checking/create.js";
import { formatGoDuration } from "../lib/duration.js";
import { median } from "../lib/result.js";

const DELAY_MS = 250;
const ATTEMPTS = 10;

const server = http.createServer((_req, res) => {
  setTimeout(() => res.end("ok"), DELAY_MS);
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;
try {
  const checker = await createChecker({ type: "http", endpoint_url: `http://127.0.0.1:${port}/`, attempts: ATTEMPTS });
  const result = await checker.check();
  const failed = result.times.filter((t) => t.error);
  if (failed.length > 0) throw new Error(`attempts failed: ${failed.map((t) => t.error).join("; ")}`);
  const rtt = median(result.times.map((t) => t.rtt));
  const ratio = rtt / (DELAY_MS * 1e6);
  console.log(`http rtt, server waits ${DELAY_MS}ms before headers: median of ${ATTEMPTS} = ${formatGoDuration(rtt)} ` +
    `(ratio to ${DELAY_MS}ms: ${ratio.toFixed(4)})`);
} finally {
  server.close();
}
