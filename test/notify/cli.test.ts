/**
 * The promise to cron users: separate `checkup --store` processes tell each provider once that a
 * check went down, and once that it came back, however long the outage.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, test } from "node:test";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { runCli } from "../helpers/cli.js";
import { closedPort, startHttpServer, type TestServer } from "../helpers/http-server.js";
import { notifierTypes } from "../../lib/notify/index.js";
import { receiver } from "../helpers/notify.js";
import { startSnsFake } from "../helpers/sns-fake.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

/** The checked service: healthy or failing on demand. */
async function service() {
  const s = { healthy: true, server: undefined as unknown as TestServer };
  s.server = await startHttpServer((_req, res) => {
    res.writeHead(s.healthy ? 200 : 503);
    res.end();
  });
  return s;
}

async function smtp(): Promise<{ port: number; mails: ParsedMail[] }> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    logger: false, authOptional: true, disabledCommands: ["STARTTLS"],
    onData: (stream, _session, callback) => void simpleParser(stream).then((m) => (mails.push(m), callback()), callback),
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, mails };
}

async function setup(extra: Record<string, unknown> = {}, notifiers?: unknown[]) {
  const svc = await service();
  const dir = await tmpDir();
  const config = await writeConfig({
    checkers: [{ type: "http", endpoint_name: "API", endpoint_url: `${svc.server.url}/health` }],
    storage: { type: "fs", dir: path.join(dir, "checks") },
    notifiers,
    ...extra,
  });
  const env = { XDG_STATE_HOME: path.join(dir, "state") };
  const run = async (...args: string[]) => {
    const r = await runCli(["-c", config, ...args], { env, timeoutMs: 60_000 });
    return r;
  };
  return { svc, dir, config, run };
}

test("cli: up, then a ten-run outage, then up: exactly one alert and one recovery per provider", async () => {
  const hooks = {
    slack: await receiver(200, "ok"), discord: await receiver(204), teams: await receiver(202), pagerduty: await receiver(202),
    webhook: await receiver(200), telegram: await receiver(200, '{"ok":true}'), mailgun: await receiver(200), pushover: await receiver(200, '{"status":1}'),
    ntfy: await receiver(200), gotify: await receiver(200), matrix: await receiver(200, '{"event_id":"$e"}'), mattermost: await receiver(200, "ok"),
    opsgenie: await receiver(202), googlechat: await receiver(200), sns: await startSnsFake(),
  };
  const mail = await smtp();
  const providers: Record<string, Record<string, unknown>> = {
    slack: { webhook: `${hooks.slack.url}/services/T/B/X` },
    discord: { webhook: `${hooks.discord.url}/api/webhooks/1/x` },
    teams: { webhook: `${hooks.teams.url}/workflows/1` },
    pagerduty: { routing_key: "R0123456789abcdef0123456789abcde", base_url: hooks.pagerduty.url },
    webhook: { url: `${hooks.webhook.url}/hook` },
    telegram: { token: "1:tok", chat_id: 42, base_url: hooks.telegram.url },
    mailgun: { from: "c@mg.example.com", to: ["ops@example.com"], apikey: "k", domain: "mg.example.com", base_url: hooks.mailgun.url },
    pushover: { token: "t", recipient: "u", base_url: hooks.pushover.url },
    mail: { from: "c@example.com", to: ["ops@example.com"], smtp: { server: "127.0.0.1", port: mail.port } },
    ntfy: { server: hooks.ntfy.url, topic: "checkup-test" },
    gotify: { server: hooks.gotify.url, token: "app-token" },
    matrix: { homeserver: hooks.matrix.url, access_token: "syt_token", room_id: "!room:example.org" },
    mattermost: { webhook: `${hooks.mattermost.url}/hooks/key` },
    opsgenie: { api_key: "genie-key", base_url: hooks.opsgenie.url },
    googlechat: { webhook: `${hooks.googlechat.url}/v1/spaces/A/messages?key=k&token=t` },
    sns: { topic_arn: "arn:aws:sns:eu-west-1:123456789012:checkup", endpoint: hooks.sns.url, access_key_id: "AKID", secret_access_key: "s" },
  };
  assert.deepEqual(Object.keys(providers).sort(), Object.keys(notifierTypes).sort(), "every registered notifier takes part");
  const { svc, dir, run } = await setup({}, Object.entries(providers).map(([type, fields]) => ({ type, ...fields })));
  const plan = [true, ...Array.from({ length: 10 }, () => false), true, true];
  for (const healthy of plan) {
    svc.healthy = healthy;
    const r = await run("--store");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
  }
  for (const [name, hook] of Object.entries(hooks)) assert.equal(hook.requests.length, 2, `${name}: one alert, one recovery`);
  const og = hooks.opsgenie.requests.map((r) => r.url);
  assert.match(og[1]!, /^\/v2\/alerts\/checkup-[0-9a-f]{32}\/close\?identifierType=alias$/);
  assert.equal(og[1], `/v2/alerts/${JSON.parse(hooks.opsgenie.requests[0]!.body).alias}/close?identifierType=alias`);
  assert.deepEqual(mail.mails.map((m) => m.subject), ["Checkup: API is down", "Checkup: API is back up (was down for " + /for (.*)\)$/.exec(mail.mails[1]!.subject!)![1] + ")"]);
  assert.match(mail.mails[0]!.text!, /Error: response status 503 Service Unavailable/);
  assert.deepEqual(hooks.sns.calls.map((c) => c.form.Subject), mail.mails.map((m) => m.subject), "sns and mail say the same");

  const slack = hooks.slack.requests.map((r) => JSON.parse(r.body).text as string);
  assert.equal(slack[0], "API is down: response status 503 Service Unavailable");
  assert.match(slack[1]!, /^API is back up \(was down for [\dms ]+\)$/);
  const pd = hooks.pagerduty.requests.map((r) => JSON.parse(r.body) as { event_action: string; dedup_key: string });
  assert.deepEqual(pd.map((e) => e.event_action), ["trigger", "resolve"]);
  assert.equal(pd[0]!.dedup_key, pd[1]!.dedup_key);
  const stored = (await readdir(path.join(dir, "checks"))).filter((f) => f.endsWith("-check.json"));
  assert.equal(stored.length, plan.length, "every round stored");
});

test("cli: two runs racing on one outage alert once", async () => {
  const hook = await receiver(200);
  const { svc, run } = await setup({}, [{ type: "webhook", url: `${hook.url}/hook` }]);
  svc.healthy = false;
  const runs = await Promise.all([run("--store"), run("--store"), run("--store")]);
  assert.deepEqual(runs.map((r) => r.code), [0, 0, 0]);
  assert.equal(hook.requests.length, 1);
});

test("cli: a dead provider is logged with its type while the others deliver and the round is stored", async () => {
  const hook = await receiver(200);
  const { svc, dir, run } = await setup({}, [
    { type: "slack", webhook: `http://127.0.0.1:${await closedPort()}/services/SECRET` },
    { type: "webhook", url: `${hook.url}/hook` },
  ]);
  svc.healthy = false;
  const r = await run("--store");
  assert.equal(r.code, 0);
  assert.match(r.stderr, /^warning: notifier slack: delivery failed after 3 tries: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED; 1 event kept for the next run\n$/);
  assert.doesNotMatch(r.stderr, /SECRET/);
  assert.equal(hook.requests.length, 1);
  assert.equal((await readdir(path.join(dir, "checks"))).filter((f) => f.endsWith("-check.json")).length, 1);
});

test("cli: a maintenance window stores marked results and sends nothing", async () => {
  const hook = await receiver(200);
  const now = new Date();
  const { svc, dir, run } = await setup({
    maintenance: [{ start: new Date(now.getTime() - 60_000).toISOString().replace(/\.\d+Z$/, "Z"), duration: "1h", checks: ["API"] }],
  }, [{ type: "webhook", url: `${hook.url}/hook` }]);
  svc.healthy = false;
  assert.equal((await run("--store")).code, 0);
  assert.equal(hook.requests.length, 0);
  const [file] = (await readdir(path.join(dir, "checks"))).filter((f) => f.endsWith("-check.json"));
  assert.match(await readFile(path.join(dir, "checks", file!), "utf8"), /"down":true,"maintenance":true[,}]/, "marked right after its status, before the newer extension keys");
});

test("cli: `checkup message` never alerts; `checkup digest` reports to digest notifiers", async () => {
  const chat = await receiver(200);
  const report = await receiver(200);
  const { svc, run } = await setup({}, [{ type: "webhook", url: `${chat.url}/hook` }, { type: "webhook", url: `${report.url}/r`, digest: true }]);
  svc.healthy = false;
  const m = await run("message", "--about", "API", "Investigating");
  assert.equal(m.code, 0, m.stderr);
  assert.equal(chat.requests.length, 0);
  assert.equal((await run("--store")).code, 0);
  assert.equal(chat.requests.length, 1);
  const d = await run("digest");
  assert.equal(d.code, 0, d.stderr);
  assert.equal(d.stdout, "Digest sent to webhook\n");
  const digest = JSON.parse(report.requests.at(-1)!.body);
  assert.equal(digest.kind, "digest");
  assert.deepEqual(digest.digest.checks.map((c: { status: string }) => c.status), ["down"]);
});

test("cli: a bad notifier config stops startup with exit 2 and a clear message", async () => {
  const { run } = await setup({ notifier: { name: "kpnsms", SENDER: "x" } }, [{ type: "slack" }]);
  const r = await run("--store");
  assert.equal(r.code, 2);
  assert.equal(r.stderr.replace(/^.*?checkup\.json/gm, "checkup.json"),
    `checkup.json: notifier.name: unknown notifier type "kpnsms"; known: ${Object.keys(notifierTypes).join(", ")}\n` +
    "checkup.json: notifiers[0].webhook: missing: set it to your Slack incoming-webhook URL\n");
  const noDigest = await setup({}, [{ type: "webhook", url: "https://example.com/h" }]);
  const d = await noDigest.run("digest");
  assert.equal(d.code, 2);
  assert.equal(d.stderr, "checkup: no notifier takes digests: add \"digest\": true to a notifier in checkup.json\n");
});
