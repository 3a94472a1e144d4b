/**
 * Certificates for TLS tests, made with the `openssl` CLI (installed by test/setup/install-deps.sh):
 * a test CA, leaves for 127.0.0.1/localhost/*.checkup.test signed by it (valid a year, expiring in
 * 3 days, already expired, a client certificate) and a self-signed leaf nobody trusts. Made once per test process, in a folder removed
 * at exit. Synchronous on purpose: a promise shared between tests would carry the first test's
 * async context into the next, and node:test would then attach that test's `after()` hooks to
 * the wrong test (the file never ends).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** A certificate and its key, as PEM text, plus the file holding the certificate. */
export interface CertPair {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
  /** When the certificate stops being valid. Whole seconds, as in the certificate. */
  notAfter: Date;
}

export interface TestCerts {
  /** The test CA; `ca.certFile` is what tls_ca_file / trusted_roots point at. */
  ca: CertPair;
  /** Signed by the CA, valid from yesterday for a year. */
  valid: CertPair;
  /** Signed by the CA, expires 3 days from now. */
  expiring: CertPair;
  /** Signed by the CA, expired a day ago. */
  expired: CertPair;
  /** Self-signed, valid a year, trusted by no one. */
  selfSigned: CertPair;
  /** Signed by the CA, valid a year: a client certificate for mTLS (every leaf may also serve). */
  client: CertPair;
  /** The folder holding every file (also a place for other test files). */
  dir: string;
}

const DAY_MS = 86_400_000;
/** `*.checkup.test`: names only the test proxy reaches (Go never proxies loopback addresses). */
const SAN = "subjectAltName = IP:127.0.0.1, DNS:localhost, DNS:*.checkup.test";

/** One `openssl ca` setup: a database, a serial file, and the extensions every leaf gets. */
function configText(dir: string): string {
  return `[ ca ]
default_ca = test_ca
[ test_ca ]
database = ${dir}/index.txt
new_certs_dir = ${dir}
serial = ${dir}/serial
default_md = sha256
policy = policy_any
unique_subject = no
x509_extensions = leaf_ext
[ policy_any ]
commonName = supplied
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused
[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ leaf_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
${SAN}
`;
}

/** openssl's UTCTime form, YYMMDDHHMMSSZ, for `openssl ca -startdate/-enddate`. */
function asn1Time(d: Date): string {
  return `${d.toISOString().slice(2, 19).replace(/[-T:]/g, "")}Z`;
}

let made: TestCerts | undefined;

/** The test certificates, made on first use (about a quarter of a second). */
export function testCerts(): TestCerts {
  made ??= makeCerts();
  return made;
}

function makeCerts(): TestCerts {
  const dir = mkdtempSync(path.join(os.tmpdir(), "checkup-certs-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const config = path.join(dir, "openssl.cnf");
  writeFileSync(config, configText(dir));
  writeFileSync(path.join(dir, "index.txt"), "");
  writeFileSync(path.join(dir, "serial"), "1000\n");
  const file = (name: string) => path.join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

  const openssl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const pair = (name: string): CertPair => {
    const cert = readFileSync(file(`${name}.pem`), "utf8");
    const key = readFileSync(file(`${name}.key`), "utf8");
    const end = openssl(["x509", "-in", file(`${name}.pem`), "-noout", "-enddate"]);
    return { cert, key, certFile: file(`${name}.pem`), keyFile: file(`${name}.key`), notAfter: new Date(end.trim().replace(/^notAfter=/, "")) };
  };

  openssl(["req", "-x509", "-config", config, ...ec, "-keyout", file("ca.key"), "-out", file("ca.pem"),
    "-days", "3650", "-subj", "/CN=checkup test CA", "-extensions", "ca_ext"]);
  openssl(["req", "-x509", "-config", config, ...ec, "-keyout", file("self.key"), "-out", file("self.pem"),
    "-days", "365", "-subj", "/CN=localhost", "-extensions", "leaf_ext"]);

  const now = Date.now();
  const leaf = (name: string, from: number, until: number) => {
    openssl(["req", "-new", "-config", config, ...ec, "-keyout", file(`${name}.key`), "-out", file(`${name}.csr`),
      "-subj", `/CN=localhost ${name}`]);
    openssl(["ca", "-batch", "-config", config, "-notext", "-cert", file("ca.pem"), "-keyfile", file("ca.key"),
      "-in", file(`${name}.csr`), "-out", file(`${name}.pem`),
      "-startdate", asn1Time(new Date(from)), "-enddate", asn1Time(new Date(until))]);
    return pair(name);
  };
  const valid = leaf("valid", now - DAY_MS, now + 365 * DAY_MS);
  const expiring = leaf("expiring", now - DAY_MS, now + 3 * DAY_MS);
  const expired = leaf("expired", now - 30 * DAY_MS, now - DAY_MS);
  const client = leaf("client", now - DAY_MS, now + 365 * DAY_MS);
  return { ca: pair("ca"), valid, expiring, expired, selfSigned: pair("self"), client, dir };
}
