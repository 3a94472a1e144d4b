/**
 * `tls`: one TLS handshake per attempt, then checkup's rules for the leaf certificate: none or
 * expired → down; expiring within `cert_expiry_threshold` → degraded. RTT is dial + handshake.
 * Only the leaf is inspected, and the result is stamped after the attempts, as checkup does.
 */
import { readFileSync } from "node:fs";
import tls from "node:tls";
import { nanos, shown, strList, type Raw, type Scope } from "../config/fields.js";
import { DAY, SECOND, type Nanos } from "../duration.js";
import { messageOf } from "../errors.js";
import { dial, PEM_CERTIFICATE, type DialTarget, parseDialTarget } from "../checking/dial.js";
import { certificateVerdict, leafOutcome, type Expiry } from "../checking/expiry.js";
import type { CheckerType, Common, Outcome } from "../plugin-types.js";

interface TlsOptions extends DialTarget {
  title: string;
  endpoint: string;
  /** A leaf expiring sooner than this marks the result degraded. Integer ns. */
  certExpiryThreshold: Nanos;
  /** PEM texts of the only roots trusted (`trusted_roots`); undefined = the system roots. */
  roots: string[] | undefined;
}

export default {
  // Go's tls checker had none (0), so a port that never handshakes hung the round: 10 s, as http.
  defaultTimeout: 10 * SECOND,
  stampAfterAttempts: true,
  parse: (raw: Raw, at: Scope): TlsOptions => {
    const target = parseDialTarget(raw, at);
    return {
      ...target,
      certExpiryThreshold: nanos(raw, "cert_expiry_threshold", at, { default: 14 * DAY }),
      roots: readTrustedRoots(raw, at),
    };
  },
  attempt: handshake,
  judge: (o, outcomes, verdict) => certificateVerdict(o.certExpiryThreshold, outcomes, verdict),
} satisfies CheckerType<TlsOptions, Expiry>;

/** `trusted_roots` is read once, at load time: a file that cannot be used is a config error. */
function readTrustedRoots(raw: Raw, at: Scope): string[] | undefined {
  const files = strList(raw, "trusted_roots", at);
  if (files.length === 0) return undefined;
  const fix = "point it at a PEM file of root certificates, or remove it";
  return files.flatMap((file, j) => {
    let pem: string;
    try {
      pem = readFileSync(file, "utf8");
    } catch (e) {
      at.problem(`trusted_roots[${j}]`, `cannot read ${shown(file)} (${readFailure(e)}); ${fix}`);
      return [];
    }
    if (pem.includes(PEM_CERTIFICATE)) return [pem];
    at.problem(`trusted_roots[${j}]`, `${shown(file)} holds no PEM certificate ("${PEM_CERTIFICATE}"); ${fix}`);
    return [];
  });
}

function readFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "it is a folder";
  return messageOf(e);
}

async function handshake(o: TlsOptions & Common, signal: AbortSignal): Promise<Outcome<Expiry>> {
  const d = await dial(o, signal, { rejectUnauthorized: false, ca: o.roots });
  if (!d.ok) return { rtt: d.rtt, error: d.error };
  const outcome = leafOutcome(d.socket as tls.TLSSocket, o.host, d.rtt);
  d.socket.destroy();
  return outcome;
}
