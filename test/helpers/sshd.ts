/**
 * Debian's OpenSSH server (installed by test/setup/install-deps.sh) on a free loopback port, with a
 * host key made for the test and no config file: the peer for the ssh checker. Stopped after the file.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { inTempDir, startOnFreePort } from "./server-process.js";

/** Appended to the server's identification line, so a test can match it exactly. */
export const SSHD_ADDENDUM = "checkup-test";

export function startSshd(): Promise<{ address: string }> {
  // sshd refuses to start without its privilege separation folder, which its service script makes.
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  return inTempDir("checkup-sshd-", async (dir) => {
    const key = path.join(dir, "host_ed25519");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
    const port = await startOnFreePort(dir, {
      name: "sshd",
      spawnAt: (p) => spawn("/usr/sbin/sshd", ["-D", "-e", "-f", "/dev/null", "-p", String(p), "-h", key,
        "-o", "ListenAddress=127.0.0.1", "-o", "PidFile=none", "-o", `VersionAddendum=${SSHD_ADDENDUM}`],
      { stdio: ["ignore", "ignore", "pipe"] }),
      ready: /Server listening on 127\.0\.0\.1 port \d+/,
      stopSignal: "SIGTERM",
    });
    return { address: `127.0.0.1:${port}` };
  });
}
