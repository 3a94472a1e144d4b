import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, test } from "node:test";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { Report, Scope } from "../../lib/config/fields.js";
import mail from "../../lib/notify/mail.js";
import { htmlText, plainText } from "../../lib/alerting/text.js";
import { downEvent, events, notifierOf, parseOne, recoveredEvent, signal } from "../helpers/notify.js";

interface Received { mail: ParsedMail; secure: boolean; user?: string; envelopeTo: string[] }

/** A real SMTP server on loopback (smtp-server), keeping what it receives. */
async function smtp(options: SMTPServerOptions = {}): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    ...options,
    onData(stream, session, callback) {
      simpleParser(stream).then((parsed) => {
        received.push({ mail: parsed, secure: session.secure, user: session.user as string | undefined, envelopeTo: session.envelope.rcptTo.map((r) => r.address) });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, received };
}

const config = (port: number, smtpExtra: object = {}) => ({
  type: "mail", from: "checkup@example.com", to: ["ops@example.com", "oncall@example.com"], subject: "Status Alert",
  smtp: { server: "127.0.0.1", port, ...smtpExtra },
});

test("mail: one mail per run lists every change, as text and HTML", async () => {
  const server = await smtp({ disabledCommands: ["STARTTLS", "AUTH"] });
  const n = await notifierOf(config(server.port));
  assert.equal(n.batch, "run");
  const notice = events(downEvent, recoveredEvent);
  await n.deliver(notice, signal());
  assert.equal(server.received.length, 1);
  const [{ mail: m, envelopeTo }] = server.received as [Received];
  assert.equal(m.from?.text, "checkup@example.com");
  assert.deepEqual(envelopeTo, ["ops@example.com", "oncall@example.com"]);
  assert.equal(m.subject, "Status Alert: 1 failing, 1 recovered");
  assert.equal(m.text?.trim(), plainText(notice));
  assert.equal(m.html, htmlText(notice));
  assert.match(m.html as string, /<li>Error: response status 502 Bad Gateway<\/li>/);
});

test("mail: STARTTLS then AUTH with username and password", async () => {
  const server = await smtp({
    onAuth(auth, _session, callback) {
      if (auth.username === "postmaster" && auth.password === "s3cret") callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
  });
  await (await notifierOf(config(server.port, { username: "postmaster", password: "s3cret", tls_skip_verify: true }))).deliver(events(downEvent), signal());
  assert.equal(server.received[0]!.secure, true, "upgraded with STARTTLS");
  assert.equal(server.received[0]!.user, "postmaster");

  const wrong = await notifierOf(config(server.port, { username: "postmaster", password: "nope", tls_skip_verify: true }));
  await assert.rejects(wrong.deliver(events(downEvent), signal()), (e: Error) => {
    assert.match(e.message, /^SMTP 127\.0\.0\.1:\d+: 535 /);
    assert.doesNotMatch(e.message, /nope/);
    return true;
  });
});

test("mail: a certificate that does not verify is refused unless tls_skip_verify", async () => {
  const server = await smtp({ disabledCommands: ["AUTH"] });
  await assert.rejects((await notifierOf(config(server.port))).deliver(events(downEvent), signal()), /certificate/i);
  assert.equal(server.received.length, 0);
});

test("mail: implicit TLS (port 465's mode, or secure: true)", async () => {
  const server = await smtp({ secure: true, disabledCommands: ["AUTH"] });
  await (await notifierOf(config(server.port, { secure: true, tls_skip_verify: true }))).deliver(events(downEvent), signal());
  assert.equal(server.received[0]!.secure, true);
  assert.equal(mail.parse(config(465), new Scope(new Report())).smtp.secure, true, "port 465 means implicit TLS");
  assert.equal(mail.parse(config(587), new Scope(new Report())).smtp.secure, false);
});

test("mail: checkup's field set parses (maxime-sourdin's config) and a missing smtp server is a clear error", async () => {
  const ok = await parseOne({ type: "mail", from: "POSTMASTER@EXAMPLE.COM", to: ["DESTINATAIRE@EXAMPLE.ORG"], subject: "Status Alert",
    smtp: { server: "SERVEUR MAIL", port: 587, username: "POSTMASTER@EXAMPLE.COM", password: "MOT DE PASSE POSTMASTER" } });
  assert.deepEqual([ok.problems, ok.warnings], [[], []]);
  const bad = await parseOne({ type: "mail", from: "a@example.com", to: ["b@example.com"], smtp: { port: 25 } });
  assert.deepEqual(bad.problems, ["notifiers[0].smtp.server: missing: set it to the SMTP server's host name, like \"smtp.example.com\""]);
});
