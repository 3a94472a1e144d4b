import assert from "node:assert/strict";
import { test } from "node:test";
import { Report, Scope } from "../../lib/config/fields.js";
import slack from "../../lib/notify/slack.js";
import { bytes, downFields, digestNotice, downEvent, events, notifierOf, parseOne, receiver, recoveredEvent, signal } from "../helpers/notify.js";

const options = slack.parse({ webhook: "https://hooks.slack.com/services/T0/B0/X", username: "status-bot", channel: "#unicorn" }, new Scope(new Report()));

test("slack: an alert is the headline plus a red attachment with the facts", () => {
  assert.equal(bytes(slack.format(events(downEvent), options)), bytes({
    username: "status-bot",
    channel: "#unicorn",
    text: "API is down: response status 502 Bad Gateway",
    attachments: [{
      color: "danger",
      fallback: "API is down: response status 502 Bad Gateway",
      fields: downFields,
      ts: 1718020800,
    }],
  }));
});

test("slack: a recovery is green and gives the outage length", () => {
  const body = slack.format(events(recoveredEvent), { ...options, username: "", channel: "" }) as { text: string; attachments: { color: string; fields: unknown[] }[] };
  assert.equal(body.text, "API is back up (was down for 12m 30s)");
  assert.equal("username" in body, false, "unset username/channel are left to the webhook's defaults");
  assert.equal(body.attachments[0]!.color, "good");
  assert.deepEqual(body.attachments[0]!.fields.slice(2, 4), [
    { title: "Status", value: "healthy (was down)", short: true },
    { title: "Outage", value: "12m 30s", short: true },
  ]);
});

test("slack: a digest is plain text", () => {
  const body = slack.format(digestNotice, options) as { text: string };
  assert.match(body.text, /^Status at 2024-06-10 13:00:00 UTC: 1 degraded, 1 healthy\n- DB \(db.example.org:5432\): degraded since/);
});

test("slack: POSTs the JSON to the webhook, as Slack's incoming webhooks expect", async () => {
  const server = await receiver(200, "ok");
  const n = await notifierOf({ type: "slack", webhook: `${server.url}/services/T0/B0/X`, username: "status-bot" });
  await n.deliver(events(downEvent), signal());
  const [req] = server.requests;
  assert.equal(req!.method, "POST");
  assert.equal(req!.url, "/services/T0/B0/X");
  assert.equal(req!.headers["content-type"], "application/json");
  assert.equal(req!.body, bytes(slack.format(events(downEvent), { ...options, channel: "" })));
});

test("slack: an error names the host and status, never the secret webhook path", async () => {
  const server = await receiver(404, "no_service");
  const n = await notifierOf({ type: "slack", webhook: `${server.url}/services/T0/B0/SECRET` });
  await assert.rejects(n.deliver(events(downEvent), signal()), (e: Error) => {
    assert.equal(e.message, `${server.url} answered HTTP 404 Not Found: no_service`);
    return true;
  });
});

test("slack: checkup 1.x's legacy form (\"name\": \"slack\") parses; a missing webhook is a clear error", async () => {
  const legacy = await parseOne({ name: "slack", username: "status-bot", channel: "#unicorn", webhook: "https://hooks.slack.com/services/T/B/X" });
  assert.deepEqual(legacy.problems, []);
  assert.equal(legacy.notifier?.type, "slack");
  const missing = await parseOne({ type: "slack", username: "Checkup" });
  assert.deepEqual(missing.problems, ["notifiers[0].webhook: missing: set it to your Slack incoming-webhook URL"]);
  const typo = await parseOne({ type: "slack", webhook: "hooks.slack.com/services/T/B/X" });
  assert.deepEqual(typo.problems, ['notifiers[0].webhook: expected an absolute URL like "https://hooks.slack.com/services/T000/B000/XXXX", ' +
    "but this one does not parse as a URL: does it start with http:// or https://? (value not shown)"], "the webhook is a secret: never quoted");
});

test("slack: a template's placeholder webhook (\"\", REDACTED, <url>) switches the notifier off with a warning", async () => {
  for (const webhook of ["", "REDACTED", "<your webhook>"]) {
    const blank = await parseOne({ name: "slack", username: "Checkup", webhook });
    assert.deepEqual(blank.problems, [], webhook);
    assert.equal(blank.notifier, undefined, webhook);
    assert.deepEqual(blank.warnings, ["notifiers[0].webhook: is a placeholder, so this slack notifier is off until webhook is set"]);
  }
});
