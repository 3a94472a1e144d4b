/**
 * `mail`: one email per run listing every change, over SMTP with nodemailer (checkup's fields:
 * `from`, `to`, `subject`, `smtp` {`server`, `port` (default 25), `username`, `password`}).
 * Implicit TLS on port 465 (or `secure: true`), STARTTLS whenever the server offers it.
 * nodemailer is loaded only when a mail is sent.
 */
import { bool, int, record, str, strList, type Raw, type Scope } from "../config/fields.js";
import { htmlText, plainText, subjectOf } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";

export interface MailOptions {
  from: string;
  to: string[];
  subject: string;
  smtp: {
    server: string;
    port: number;
    username: string;
    password: string;
    /** Implicit TLS from the first byte (port 465); otherwise STARTTLS when offered. */
    secure: boolean;
    /** Accept a certificate that does not verify (self-signed test servers). */
    tlsSkipVerify: boolean;
  };
}

export interface Mail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

function parseSmtp(raw: Raw, at: Scope): MailOptions["smtp"] {
  const smtp = record(raw, "smtp", at);
  if (!smtp) at.problem("smtp", "missing: set it to { \"server\": \"smtp.example.com\", \"port\": 587, \"username\": \"…\", \"password\": \"…\" }");
  const s = at.child("smtp");
  const o = smtp ?? {};
  const port = int(o, "port", s, { default: 25, min: 1, max: 65535 });
  const parsed = {
    server: str(o, "server", s, { required: "the SMTP server's host name, like \"smtp.example.com\"" }),
    port,
    username: str(o, "username", s),
    password: str(o, "password", s, { secret: true }),
    secure: bool(o, "secure", s, port === 465),
    tlsSkipVerify: bool(o, "tls_skip_verify", s),
  };
  if (smtp) s.warnUnknownKeys(smtp);
  return parsed;
}

type Transport = { sendMail(mail: Mail): Promise<unknown>; close(): void };
type Nodemailer = { createTransport(options: object): Transport };

async function loadNodemailer(): Promise<Nodemailer> {
  try {
    return ((await import("nodemailer")) as unknown as { default: Nodemailer }).default;
  } catch {
    throw new Error("the mail notifier needs the nodemailer package: npm install nodemailer");
  }
}

export default {
  parse: (raw: Raw, at: Scope): MailOptions => ({
    from: str(raw, "from", at, { required: "the sender address, like \"checkup@example.com\"" }),
    to: strList(raw, "to", at, { required: "the recipients, like [\"ops@example.com\"]" }),
    subject: str(raw, "subject", at),
    smtp: parseSmtp(raw, at),
  }),
  batch: "run",
  format: (notice, o): Mail => ({ from: o.from, to: o.to, subject: subjectOf(notice, o.subject), text: plainText(notice), html: htmlText(notice) }),
  send: async (mail, o, signal) => {
    const nodemailer = await loadNodemailer();
    const transport = nodemailer.createTransport({
      host: o.smtp.server,
      port: o.smtp.port,
      secure: o.smtp.secure,
      ...(o.smtp.username && { auth: { user: o.smtp.username, pass: o.smtp.password } }),
      tls: { rejectUnauthorized: !o.smtp.tlsSkipVerify },
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 10_000,
    });
    // nodemailer takes no AbortSignal: closing the transport ends a send that outlives its try.
    let onAbort!: () => void;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        transport.close();
        reject(new Error(`no answer from ${o.smtp.server}:${o.smtp.port} in time`));
      };
    });
    aborted.catch(() => undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      await Promise.race([transport.sendMail(mail), aborted]);
    } catch (e) {
      const err = e as Error & { code?: string; responseCode?: number };
      throw new Error(`SMTP ${o.smtp.server}:${o.smtp.port}: ${err.responseCode ? `${err.responseCode} ` : ""}${err.message}`);
    } finally {
      signal.removeEventListener("abort", onAbort);
      transport.close();
    }
  },
} satisfies NotifierType<MailOptions, Mail>;
