/**
 * Opening one fresh connection, shared by tcp, tls and dns: plain TCP or TCP+TLS, with an abort
 * signal, the time it took, and Go-like error texts so stored results read like checkup's. Also the
 * TLS client fields (`tls_skip_verify`, `tls_ca_file`) and the reading of the roots, shared by
 * every checker that speaks TLS.
 */
import { readFile } from "node:fs/promises";
import net from "node:net";
import tls from "node:tls";
import type { Nanos } from "../duration.js";
import { elapsedSince } from "./attempts.js";
import { bool, hostPort, str, type Raw, type Scope } from "../config/fields.js";
import type { Target } from "../plugin-types.js";

export interface DialTarget {
  host: string;
  port: number;
  /** `host:port` as configured, used in error texts. */
  address: string;
}

/** `endpoint_name` + `endpoint_url` (`host:port`): whom a connection-based checker targets. */
export function parseDialTarget(raw: Raw, at: Scope, example?: string): Target & DialTarget {
  const address = hostPort(raw, "endpoint_url", at, example ? { example } : {});
  return { title: str(raw, "endpoint_name", at), endpoint: address.text, address: address.text, host: address.host, port: address.port };
}

export type Dialled =
  | { ok: true; rtt: Nanos; socket: net.Socket | tls.TLSSocket }
  | { ok: false; rtt: Nanos; error: string };

/** Connects, and with `tlsOptions` completes the handshake. The caller must destroy the socket. */
export function dial(target: DialTarget, signal: AbortSignal, tlsOptions?: tls.ConnectionOptions): Promise<Dialled> {
  const started = performance.now();
  return new Promise<Dialled>((resolve) => {
    const socket: net.Socket = tlsOptions
      ? tls.connect({
        host: target.host,
        port: target.port,
        servername: net.isIP(target.host) ? undefined : target.host,
        ...tlsOptions,
      })
      : net.connect({ host: target.host, port: target.port });
    const onAbort = () => socket.destroy(Object.assign(new Error("i/o timeout"), { code: "ETIMEDOUT" }));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    socket.once(tlsOptions ? "secureConnect" : "connect", () => {
      signal.removeEventListener("abort", onAbort);
      resolve({ ok: true, rtt: elapsedSince(started), socket });
    });
    socket.once("error", (e) => {
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve({ ok: false, rtt: elapsedSince(started), error: dialError(target, e) });
    });
  });
}

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connect: connection refused",
  ECONNRESET: "read: connection reset by peer",
  EHOSTUNREACH: "connect: no route to host",
  ENETUNREACH: "connect: network is unreachable",
  ETIMEDOUT: "i/o timeout",
};

/** OpenSSL verification codes, in the words Go's x509 package uses for the same failure. */
const X509_REASONS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "certificate signed by unknown authority",
  SELF_SIGNED_CERT_IN_CHAIN: "certificate signed by unknown authority",
  UNABLE_TO_GET_ISSUER_CERT: "certificate signed by unknown authority",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "certificate signed by unknown authority",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "certificate signed by unknown authority",
  CERT_HAS_EXPIRED: "certificate has expired or is not yet valid",
  CERT_NOT_YET_VALID: "certificate has expired or is not yet valid",
};

/**
 * `tls: failed to verify certificate: x509: …` (Go's text) when `code` is a certificate
 * verification failure (an OpenSSL code, or Node's host name mismatch); otherwise undefined.
 */
export function verifyError(code: string | undefined, message: string): string | undefined {
  const reason = code === undefined ? undefined : code === "ERR_TLS_CERT_ALTNAME_INVALID" ? message : X509_REASONS[code];
  return reason === undefined ? undefined : `tls: failed to verify certificate: x509: ${reason}`;
}

/** `dial tcp 127.0.0.1:1: connect: connection refused`, as Go's net package words it. */
export function dialError(target: DialTarget, e: Error & { code?: string }): string {
  const unverified = verifyError(e.code, e.message);
  if (unverified) return unverified;
  if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN") return `dial tcp: lookup ${target.host}: no such host`;
  return `dial tcp ${target.address}: ${dialReason(e)}`;
}

/** The syscall part of a network error in Go's words, e.g. `connect: connection refused`. */
export function dialReason(e: Error & { code?: string }): string {
  return (e.code !== undefined ? REASONS[e.code] ?? tlsAlert(e.code) : undefined) ?? e.message;
}

/** Go's names where they differ from OpenSSL's alert names. */
const ALERT_NAMES: Readonly<Record<string, string>> = {
  UNKNOWN_CA: "unknown certificate authority",
  PROTOCOL_VERSION: "protocol version not supported",
};

/**
 * A TLS alert from the peer (`ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`, with OpenSSL's long
 * text as message) in Go's words: `remote error: tls: certificate required`.
 */
function tlsAlert(code: string): string | undefined {
  const name = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_(\w+)$/.exec(code)?.[1];
  return name && `remote error: tls: ${ALERT_NAMES[name] ?? name.toLowerCase().replace(/_/g, " ")}`;
}

/**
 * Reads a PEM file of root certificates for a TLS client (`tls_ca_file`). Failures come back as
 * checkup's attempt texts, since checkup reads the file on every attempt.
 */
export async function readRoots(file: string): Promise<{ pem: string } | { error: string }> {
  let pem: string;
  try {
    pem = await readFile(file, "utf8");
  } catch {
    return { error: "error reading root certificate" };
  }
  return pem.includes(PEM_CERTIFICATE) ? { pem } : { error: "error parsing root certificate" };
}

/** checkup's TLS client fields. */
export interface TlsClient {
  /** Accept any certificate (`tls_skip_verify`). */
  tlsSkipVerify: boolean;
  /** PEM roots that replace the system roots (`tls_ca_file`); read per attempt, as checkup does. */
  tlsCaFile: string;
}

export function parseTlsClient(raw: Raw, at: Scope): TlsClient {
  return { tlsSkipVerify: bool(raw, "tls_skip_verify", at), tlsCaFile: str(raw, "tls_ca_file", at) };
}

/**
 * The roots one attempt trusts: `tls_ca_file`'s, read on every attempt as checkup does; none
 * (the system's) when the file is unset or the attempt does not use TLS.
 */
export async function attemptRoots(caFile: string, usesTls: boolean): Promise<{ ca?: string } | { error: string }> {
  if (!usesTls || !caFile) return {};
  const roots = await readRoots(caFile);
  return "error" in roots ? roots : { ca: roots.pem };
}

/** What a PEM file holding at least one certificate contains. */
export const PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";
