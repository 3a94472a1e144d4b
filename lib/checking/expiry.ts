/**
 * Expiry rules shared by the checkers that watch a deadline: a TLS leaf certificate (tls, smtp
 * after STARTTLS) and a domain's registration (domain). Expired → the attempt fails; expiring
 * within the threshold → degraded, judged before any RTT rule, as checkup's tls checker does.
 */
import tls from "node:tls";
import { formatGoDuration, type Nanos } from "../duration.js";
import { verifyError } from "./dial.js";
import type { Outcome, Verdict } from "../plugin-types.js";

/** What an attempt saw: when the watched thing stops being valid, in ms since the epoch. */
export interface Expiry {
  notAfterMs: number;
}

/** `certificate expired 26h0m0s ago` once `notAfterMs` has passed; undefined before. */
export function expiredError(what: string, notAfterMs: number): string | undefined {
  const overdue = Date.now() - notAfterMs;
  return overdue > 0 ? `${what} expired ${goDurationOfMs(overdue)} ago` : undefined;
}

/**
 * checkup's order: down stays down; the soonest expiry within `thresholdNs` makes the result
 * degraded (`certificate expiring soon (70h0m0s)`). Also returns that soonest expiry, if any.
 */
export function expiryVerdict(what: string, thresholdNs: Nanos, outcomes: readonly Outcome<Expiry>[], verdict: Verdict):
  { verdict: Verdict; soonestMs?: number } {
  const expiries = outcomes.flatMap((x) => (x.detail ? [x.detail.notAfterMs] : []));
  if (expiries.length === 0) return { verdict };
  const soonestMs = Math.min(...expiries);
  const left = soonestMs - Date.now();
  if (verdict.status !== "down" && left * 1e6 < thresholdNs) {
    return { verdict: { status: "degraded", notice: `${what} expiring soon (${goDurationOfMs(left)})` }, soonestMs };
  }
  return { verdict, soonestMs };
}

/** The rule for TLS leaves, plus the soonest expiry stored as `cert_expiry` (Unix seconds). */
export function certificateVerdict(thresholdNs: Nanos, outcomes: readonly Outcome<Expiry>[], verdict: Verdict): Verdict {
  const judged = expiryVerdict("certificate", thresholdNs, outcomes, verdict);
  if (judged.soonestMs === undefined) return judged.verdict;
  return { ...judged.verdict, certExpiry: Math.floor(judged.soonestMs / 1000) };
}

/**
 * One attempt's outcome from a finished TLS handshake made with `rejectUnauthorized: false`, so
 * that an expired leaf (checkup's `certificate expired … ago`) reads apart from an untrusted one.
 * `verify: false` (tls_skip_verify) ignores trust failures but still judges expiry.
 */
export function leafOutcome(socket: tls.TLSSocket, host: string, rtt: Nanos, verify = true): Outcome<Expiry> {
  const cert = socket.getPeerCertificate();
  const unverified = socket.authorized ? undefined : String(socket.authorizationError);
  if (verify && unverified && unverified !== "CERT_HAS_EXPIRED") {
    return { rtt, error: verificationText(unverified, host, cert) };
  }
  if (!cert?.valid_to) return { rtt, error: "no certificates presented" };
  const detail = { notAfterMs: Date.parse(cert.valid_to) };
  const error = expiredError("certificate", detail.notAfterMs);
  return error ? { rtt, detail, error } : { rtt, answered: true, detail };
}

/** Go's wording for a failed verification; for a host mismatch, Node's text naming the names. */
function verificationText(code: string, host: string, cert: tls.PeerCertificate): string {
  const message = code === "ERR_TLS_CERT_ALTNAME_INVALID" ? tls.checkServerIdentity(host, cert)?.message ?? code : code;
  return verifyError(code, message) ?? `tls: failed to verify certificate: ${code}`;
}

function goDurationOfMs(ms: number): string {
  return formatGoDuration(BigInt(ms) * 1_000_000n);
}
