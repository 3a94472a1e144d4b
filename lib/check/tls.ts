/**
 * `tls`: one TLS handshake per attempt, then checkup's rules for the leaf certificate: none or
 * expired → down; expiring within `cert_expiry_threshold` → degraded. RTT is dial + handshake.
 * Only the leaf is inspected, and the result is stamped after the attempts, as checkup does.
 */
import { readFileSync } from "node:fs";
import tls from "node:tls";
import { nanos, shown, strList, type Raw, type Scope } from "../config/fields.js";
import { DAY, formatGoDuration, SECOND, type Nanos } from "../duration.js";
import { messageOf } from "../errors.js";
import type { CheckerType, Outcome, Verdict } from "./attempts.js";
import { dial, PEM_CERTIFICATE, verifyError, type DialTarget, parseDialTarget } from "./dial.js";

interface TlsOptions extends DialTarget {
  title: string;
  endpoint: string;
  /** A leaf expiring sooner than this marks the result degraded. Integer ns. */
  certExpiryThreshold: Nanos;
  /** PEM texts of the only roots trusted (`trusted_roots`); undefined = the system roots. */
  roots: string[] | undefined;
}

/** What an attempt saw of the leaf certificate: when it expires, in ms since the epoch. */
interface Leaf {
  notAfterMs: number;
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
  judge: expiryRules,
} satisfies CheckerType<TlsOptions, Leaf>;

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

async function handshake(o: TlsOptions, signal: AbortSignal): Promise<Outcome<Leaf>> {
  // Node is told to accept any certificate so that the checker can tell an expired leaf (checkup's
  // `certificate expired … ago`) from an untrusted one; the connection is closed either way.
  const d = await dial(o, signal, { rejectUnauthorized: false, ca: o.roots });
  if (!d.ok) return { rtt: d.rtt, error: d.error };
  const socket = d.socket as tls.TLSSocket;
  const cert = socket.getPeerCertificate();
  const unverified = socket.authorized ? undefined : String(socket.authorizationError);
  socket.destroy();
  const rtt = d.rtt;
  if (unverified && unverified !== "CERT_HAS_EXPIRED") {
    return { rtt, error: verificationText(unverified, o.host, cert) };
  }
  if (!cert?.valid_to) return { rtt, error: "no certificates presented" };
  const leaf = { notAfterMs: Date.parse(cert.valid_to) };
  const overdue = Date.now() - leaf.notAfterMs;
  if (overdue > 0) return { rtt, detail: leaf, error: `certificate expired ${goDurationOfMs(overdue)} ago` };
  return { rtt, answered: true, detail: leaf };
}

/** Go's wording for a failed verification; for a host mismatch, Node's text naming the names. */
function verificationText(code: string, host: string, cert: tls.PeerCertificate): string {
  const message = code === "ERR_TLS_CERT_ALTNAME_INVALID" ? tls.checkServerIdentity(host, cert)?.message ?? code : code;
  return verifyError(code, message) ?? `tls: failed to verify certificate: ${code}`;
}

/** checkup's order: down stays down; a leaf expiring soon is degraded before any RTT rule. */
function expiryRules(o: TlsOptions, outcomes: Outcome<Leaf>[], verdict: Verdict): Verdict {
  const expiries = outcomes.flatMap((x) => (x.detail ? [x.detail.notAfterMs] : []));
  if (expiries.length === 0) return verdict;
  const soonest = Math.min(...expiries);
  const certExpiry = Math.floor(soonest / 1000);
  const left = soonest - Date.now();
  if (verdict.status !== "down" && left * 1e6 < o.certExpiryThreshold) {
    return { status: "degraded", notice: `certificate expiring soon (${goDurationOfMs(left)})`, certExpiry };
  }
  return { ...verdict, certExpiry };
}

function goDurationOfMs(ms: number): string {
  return formatGoDuration(BigInt(ms) * 1_000_000n);
}
