/** `tcp`: connect (and with `tls: true` complete a handshake); RTT is the time that took. */
import { readFile } from "node:fs/promises";
import { bool, hostPort, str, type Raw, type Scope } from "../config/fields.js";
import { SECOND } from "../duration.js";
import type { CheckerType, Outcome } from "./attempts.js";
import { dial, type DialTarget } from "./dial.js";

interface TcpOptions extends DialTarget {
  title: string;
  endpoint: string;
  tls: boolean;
  tlsSkipVerify: boolean;
  /** PEM roots that replace the system roots. Read per attempt, as checkup does. */
  tlsCaFile: string;
}

export default {
  defaultTimeout: SECOND,
  parse: (raw: Raw, at: Scope): TcpOptions => {
    const address = hostPort(raw, "endpoint_url", at);
    return {
      title: str(raw, "endpoint_name", at),
      endpoint: address.text,
      address: address.text,
      host: address.host,
      port: address.port,
      tls: bool(raw, "tls", at),
      tlsSkipVerify: bool(raw, "tls_skip_verify", at),
      tlsCaFile: str(raw, "tls_ca_file", at),
    };
  },
  attempt: async (o, signal): Promise<Outcome> => {
    let ca: string | undefined;
    if (o.tls && o.tlsCaFile) {
      const roots = await readRoots(o.tlsCaFile);
      if (roots.error) return { rtt: 0, error: roots.error };
      ca = roots.pem;
    }
    const tlsOptions = o.tls ? { rejectUnauthorized: !o.tlsSkipVerify, ca } : undefined;
    const d = await dial(o, signal, tlsOptions);
    if (!d.ok) return { rtt: d.rtt, error: d.error };
    d.socket.destroy();
    return { rtt: d.rtt, answered: true };
  },
} satisfies CheckerType<TcpOptions>;

/** checkup's texts for a CA file it cannot use. */
async function readRoots(file: string): Promise<{ pem?: string; error?: string }> {
  let pem: string;
  try {
    pem = await readFile(file, "utf8");
  } catch {
    return { error: "error reading root certificate" };
  }
  return pem.includes("-----BEGIN CERTIFICATE-----") ? { pem } : { error: "error parsing root certificate" };
}
