import assert from "node:assert/strict";
import { test } from "node:test";
import { Report, Scope } from "../../lib/config/fields.js";
import mattermost from "../../lib/notify/mattermost.js";
import { bytes, downFields, degradedEvent, digestNotice, downEvent, events, notifierOf, parseOne, receiver, recoveredEvent, signal } from "../helpers/notify.js";

const options = mattermost.parse({ webhook: "https://chat.example.com/hooks/abc", username: "checkup", channel: "ops", icon_url: "https://example.com/c.png" }, new Scope(new Report()));

test("mattermost: an alert is the headline plus a red attachment with the facts", () => {
  assert.equal(bytes(mattermost.format(events(downEvent), options)), bytes({
    username: "checkup",
    channel: "ops",
    icon_url: "https://example.com/c.png",
    text: "API is down: response status 502 Bad Gateway",
    attachments: [{
      color: "#c21408",
      fallback: "API is down: response status 502 Bad Gateway",
      fields: downFields,
    }],
  }));
});

test("mattermost: degraded is amber, a recovery green; unset fields are left to the webhook", () => {
  const bare = { ...options, username: "", channel: "", iconUrl: "" };
  const colors = [degradedEvent, recoveredEvent].map((e) => (mattermost.format(events(e), bare) as { attachments: { color: string }[] }).attachments[0]!.color);
  assert.deepEqual(colors, ["#f0a30a", "#2e7d32"]);
  assert.deepEqual(Object.keys(mattermost.format(digestNotice, bare)), ["text"]);
});

test("mattermost: POSTs the JSON to the webhook; an error shows only the server", async () => {
  const server = await receiver(200, "ok", { "content-type": "text/plain" });
  const n = await notifierOf({ type: "mattermost", webhook: `${server.url}/hooks/xxx-generatedkey-xxx` });
  await n.deliver(events(downEvent), signal());
  const [req] = server.requests;
  assert.deepEqual([req!.method, req!.url, req!.headers["content-type"]], ["POST", "/hooks/xxx-generatedkey-xxx", "application/json"]);
  assert.equal(req!.body, bytes(mattermost.format(events(downEvent), { webhook: "", username: "", channel: "", iconUrl: "" })));

  const gone = await receiver(404, '{"id":"web.incoming_webhook.invalid.app_error"}');
  const m = await notifierOf({ type: "mattermost", webhook: `${gone.url}/hooks/generatedkey` });
  await assert.rejects(m.deliver(events(downEvent), signal()), (e: Error) => /HTTP 404/.test(e.message) && !e.message.includes("generatedkey"));
});

test("mattermost: the webhook must be an absolute URL", async () => {
  assert.deepEqual((await parseOne({ type: "mattermost", webhook: "/hooks/abc" })).problems,
    ["notifiers[0].webhook: expected an absolute URL like \"https://chat.example.com/hooks/xxx-generatedkey-xxx\", got \"/hooks/abc\""]);
});
