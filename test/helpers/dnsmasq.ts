/**
 * A real DNS server for the dns checker tests: dnsmasq on 127.0.0.1 (UDP and TCP) on a free port,
 * authoritative for `checkup.test` only, stopped when the test file finishes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import { promises as dns } from "node:dns";
import net from "node:net";
import { after } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

export interface DnsServer {
  /** `127.0.0.1:<port>`, as endpoint_url takes it. */
  address: string;
  port: number;
}

/** The records served, as dnsmasq options. Names under checkup.test not listed are NXDOMAIN. */
const RECORDS = [
  "--host-record=www.checkup.test,10.0.0.1,fd00::1",
  "--host-record=v4only.checkup.test,10.0.0.2",
  "--cname=alias.checkup.test,www.checkup.test",
  "--txt-record=txt.checkup.test,v=spf1 -all",
  "--mx-host=checkup.test,mail.checkup.test,10",
  "--host-record=mail.checkup.test,10.0.0.25",
];

export async function startDnsmasq(): Promise<DnsServer> {
  for (let tries = 0; tries < 5; tries++) {
    const port = await freePort();
    const child = spawn("dnsmasq", [
      "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--pid-file=",
      "--bind-interfaces", "--listen-address=127.0.0.1", `--port=${port}`, "--local=/checkup.test/",
      "--log-facility=-", ...RECORDS,
    ], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d));
    const exited = new Promise<string>((resolve) => {
      child.once("error", (e) => resolve(`dnsmasq did not start: ${e.message} (run test/setup/install-deps.sh)`));
      child.once("exit", () => resolve(`dnsmasq exited: ${stderr.trim()}`));
    });
    const ready = await Promise.race([answers(port), exited]);
    if (ready === true) {
      after(() => stop(child));
      return { address: `127.0.0.1:${port}`, port };
    }
    stop(child);
    // Another suite took the port between our release and dnsmasq's bind: pick another.
    if (!/address already in use/i.test(ready)) throw new Error(ready);
  }
  throw new Error("dnsmasq: no free port after 5 tries");
}

/** A port free for both UDP and TCP on 127.0.0.1 (bound, then released). */
async function freePort(): Promise<number> {
  for (;;) {
    const tcp = net.createServer();
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    const port = (tcp.address() as net.AddressInfo).port;
    const udp = dgram.createSocket("udp4");
    const udpFree = await new Promise<boolean>((resolve) => {
      udp.once("error", () => resolve(false));
      udp.bind(port, "127.0.0.1", () => resolve(true));
    });
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    if (udpFree) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      return port;
    }
    udp.unref();
  }
}

/** Polls until the server answers a known record; throws if it never does. */
async function answers(port: number): Promise<true> {
  const resolver = new dns.Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  for (let i = 0; i < 100; i++) {
    try {
      await resolver.resolve4("www.checkup.test");
      return true;
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`dnsmasq on port ${port} did not answer within 25 s`);
}

function stop(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
}
