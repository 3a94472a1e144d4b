/**
 * Two network namespaces made by the test, joined by a veth pair, for icmp tests that need packets
 * lost: the pinger (10.213.0.1) and a target (10.213.0.2) whose nftables rule drops every second
 * echo request. 10.213.0.3 answers nobody. Nothing outside the two namespaces changes; both are
 * deleted after the test file. Needs root and iproute2 + nftables (test/setup/install-deps.sh).
 */
import { execFileSync, spawn } from "node:child_process";
import { after } from "node:test";

export const PINGER = "10.213.0.1";
export const HALF_LOSS_TARGET = "10.213.0.2";
export const SILENT_TARGET = "10.213.0.3";

export interface PingNamespaces {
  /** Runs `node <args>` inside the pinger's namespace; resolves with its stdout. */
  node(args: string[]): Promise<string>;
}

const DROP_EVERY_SECOND_ECHO = `table ip checkup_test {
  chain input { type filter hook input priority 0; icmp type echo-request numgen inc mod 2 == 1 drop; }
}`;

/** The namespaces, or the reason they cannot be made here (then the caller skips). */
export function pingNamespaces(): PingNamespaces | { skip: string } {
  const [pinger, target] = [`checkup-ping-${process.pid}`, `checkup-target-${process.pid}`];
  const run = (...args: string[]) => execFileSync(args[0]!, args.slice(1), { stdio: ["pipe", "ignore", "pipe"] });
  try {
    run("ip", "netns", "add", pinger);
  } catch (e) {
    return { skip: `cannot create a network namespace here (needs root and iproute2): ${(e as Error).message.split("\n")[0]}` };
  }
  after(() => {
    for (const ns of [pinger, target]) execFileSync("ip", ["netns", "del", ns], { stdio: "ignore" });
  });
  run("ip", "netns", "add", target);
  const inPinger = (...args: string[]) => run("ip", "netns", "exec", pinger, ...args);
  const inTarget = (...args: string[]) => run("ip", "netns", "exec", target, ...args);
  inPinger("ip", "link", "add", "veth-ping", "type", "veth", "peer", "name", "veth-target", "netns", target);
  inPinger("ip", "addr", "add", `${PINGER}/24`, "dev", "veth-ping");
  inTarget("ip", "addr", "add", `${HALF_LOSS_TARGET}/24`, "dev", "veth-target");
  for (const [inNs, dev] of [[inPinger, "veth-ping"], [inTarget, "veth-target"]] as const) {
    inNs("ip", "link", "set", "lo", "up");
    inNs("ip", "link", "set", dev, "up");
  }
  execFileSync("ip", ["netns", "exec", target, "nft", "-f", "-"], { input: DROP_EVERY_SECOND_ECHO });
  return {
    node: (args) => new Promise((resolve, reject) => {
      const child = spawn("ip", ["netns", "exec", pinger, process.execPath, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let [out, err] = ["", ""];
      child.stdout.on("data", (d: Buffer) => (out += d));
      child.stderr.on("data", (d: Buffer) => (err += d));
      child.once("error", reject);
      child.once("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`node in ${pinger} exited ${code}: ${err}`))));
    }),
  };
}
