import assert from "node:assert/strict";
import { test } from "node:test";
import { Report, Scope } from "../../lib/config/fields.js";
import pushover from "../../lib/notify/pushover.js";
import { plainText } from "../../lib/alerting/text.js";
import { downEvent, events, notifierOf, parseOne, receiver, recoveredEvent, signal } from "../helpers/notify.js";

const raw = { type: "pushover", token: "azGDORePK8gMaC0QOYAMyEEuzJnyUi", recipient: "uQiRzpo4DXghDmr9QzzfQu27cmVRsG" };

test("pushover: one message per run: token, user, title, message, timestamp", () => {
  const o = pushover.parse(raw, new Scope(new Report()));
  const notice = events(downEvent, recoveredEvent);
  assert.deepEqual(pushover.format(notice, o), [
    ["token", raw.token],
    ["user", raw.recipient],
    ["title", "Checkup: 1 failing, 1 recovered"],
    ["message", plainText(notice)],
    ["timestamp", "1718020800"],
  ]);
});

test("pushover: POSTs the form to /1/messages.json", async () => {
  const server = await receiver(200, '{"status":1,"request":"abc"}');
  const n = await notifierOf({ ...raw, priority: 1, base_url: server.url });
  await n.deliver(events(downEvent), signal());
  const [req] = server.requests;
  assert.equal(req!.method, "POST");
  assert.equal(req!.url, "/1/messages.json");
  assert.equal(req!.headers["content-type"], "application/x-www-form-urlencoded");
  const form = new URLSearchParams(req!.body);
  assert.deepEqual([form.get("token"), form.get("user"), form.get("priority"), form.get("title")], [raw.token, raw.recipient, "1", "Checkup: API is down"]);
});

test("pushover: priority 2 (emergency) is refused", async () => {
  assert.deepEqual((await parseOne({ ...raw, priority: 2 })).problems, ["notifiers[0].priority: expected a whole number from -2 to 1, got 2"]);
});
