/**
 * `smtp`: read the 220 greeting, say EHLO, and with `starttls: true` upgrade the connection and
 * judge the server's certificate as the tls checker does (expired → down, expiring within
 * `cert_expiry_threshold` → degraded, `cert_expiry` stored). No mail is sent. RTT is the whole
 * conversation, TLS handshake included.
 */
import net from "node:net";
import tls from "node:tls";
import { bool, nanos, str, type Raw, type Scope } from "../config/fields.js";
import { DAY, SECOND, type Nanos } from "../duration.js";
import { elapsedSince } from "../checking/attempts.js";
import { dial, dialReason, parseDialTarget, attemptRoots, type DialTarget, parseTlsClient, type TlsClient } from "../checking/dial.js";
import { certificateVerdict, leafOutcome, type Expiry } from "../checking/expiry.js";
import { LineReader } from "../checking/lines.js";
import type { CheckerType, Outcome } from "../plugin-types.js";

/** The most lines one reply may have (an EHLO reply lists one extension a line). */
const MAX_REPLY_LINES = 64;

interface SmtpOptions extends DialTarget, TlsClient {
  title: string;
  endpoint: string;
  /** The name given in EHLO. */
  ehlo: string;
  starttls: boolean;
  /** With STARTTLS: a leaf expiring sooner than this marks the result degraded. Integer ns. */
  certExpiryThreshold: Nanos;
}

export default {
  defaultTimeout: 10 * SECOND,
  parse: (raw: Raw, at: Scope): SmtpOptions => ({
    ...parseDialTarget(raw, at, "mail.example.com:25"),
    ehlo: str(raw, "ehlo", at, { default: "localhost" }),
    starttls: bool(raw, "starttls", at),
    ...parseTlsClient(raw, at),
    certExpiryThreshold: nanos(raw, "cert_expiry_threshold", at, { default: 14 * DAY }),
  }),
  attempt: async (o, signal): Promise<Outcome<Expiry>> => {
    const roots = await attemptRoots(o.tlsCaFile, o.starttls);
    if ("error" in roots) return { rtt: 0, error: roots.error };
    const ca = roots.ca;
    const started = performance.now();
    const d = await dial(o, signal);
    if (!d.ok) return { rtt: d.rtt, error: d.error };
    try {
      return await converse(o, d.socket, signal, started, ca);
    } finally {
      d.socket.destroy();
    }
  },
  judge: (o, outcomes, verdict) => certificateVerdict(o.certExpiryThreshold, outcomes, verdict),
} satisfies CheckerType<SmtpOptions, Expiry>;

async function converse(o: SmtpOptions, socket: net.Socket, signal: AbortSignal, started: number, ca?: string):
  Promise<Outcome<Expiry>> {
  const lines = new LineReader(socket, signal);
  const fail = (error: string): Outcome<Expiry> => ({ rtt: elapsedSince(started), answered: true, error });
  const greeting = await reply(lines, "the greeting");
  if (greeting.code !== 220) return fail(`greeting: ${greeting.text}`);
  socket.write(`EHLO ${o.ehlo}\r\n`);
  const hello = await reply(lines, "EHLO");
  if (hello.code !== 250) return fail(`EHLO: ${hello.text}`);
  if (!o.starttls) {
    socket.end("QUIT\r\n");
    return { rtt: elapsedSince(started), answered: true };
  }
  if (!hello.lines.some((line) => /^250[ -]STARTTLS\b/i.test(line))) return fail("STARTTLS: the server does not offer it");
  socket.write("STARTTLS\r\n");
  const ready = await reply(lines, "STARTTLS");
  if (ready.code !== 220) return fail(`STARTTLS: ${ready.text}`);
  lines.detach();
  const secure = await upgrade(o, socket, signal, ca);
  const outcome = leafOutcome(secure, o.host, elapsedSince(started), !o.tlsSkipVerify);
  secure.destroy();
  return outcome;
}

interface Reply {
  code: number;
  /** The whole reply as one line, e.g. `554 5.7.1 no service`. */
  text: string;
  lines: string[];
}

/** One reply, multi-line (`250-…` … `250 …`) or not (RFC 5321 §4.2). */
async function reply(lines: LineReader, awaiting: string): Promise<Reply> {
  const seen: string[] = [];
  while (seen.length < MAX_REPLY_LINES) {
    let line: string;
    try {
      line = await lines.next();
    } catch (e) {
      throw new Error(`reading the reply to ${awaiting}: ${dialReason(e as Error)}`);
    }
    const m = /^(\d{3})([ -]|$)/.exec(line);
    if (!m) throw new Error(`not an SMTP server: it sent ${JSON.stringify(line)}`);
    seen.push(line);
    if (m[2] !== "-") return { code: Number(m[1]), text: seen.join(" "), lines: seen };
  }
  throw new Error(`the reply to ${awaiting} has more than ${MAX_REPLY_LINES} lines`);
}

/** The TLS handshake over the connection, accepting any certificate so leafOutcome can judge it. */
function upgrade(o: SmtpOptions, socket: net.Socket, signal: AbortSignal, ca?: string): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({ socket, servername: net.isIP(o.host) ? undefined : o.host, rejectUnauthorized: false, ca });
    const onAbort = () => secure.destroy(new Error("i/o timeout"));
    signal.addEventListener("abort", onAbort, { once: true });
    secure.once("secureConnect", () => {
      signal.removeEventListener("abort", onAbort);
      resolve(secure);
    });
    secure.once("error", (e) => {
      signal.removeEventListener("abort", onAbort);
      reject(new Error(`STARTTLS: ${dialReason(e)}`));
    });
  });
}
