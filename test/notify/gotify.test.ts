import assert from "node:assert/strict";
import { test } from "node:test";
import { Report, Scope } from "../../lib/config/fields.js";
import gotify from "../../lib/notify/gotify.js";
import { bytes, digestNotice, downEvent, downText, events, notifierOf, parseOne, receiver, recoveredEvent, signal } from "../helpers/notify.js";

const options = gotify.parse({ server: "https://gotify.example.com", token: "AppTok.en" }, new Scope(new Report()));

test("gotify: an alert is a message with a title, the text and priority 8", () => {
  assert.equal(bytes(gotify.format(events(downEvent), options)), bytes({ title: "Checkup: API is down", message: downText, priority: 8 }));
});

test("gotify: a recovery or a digest leaves the priority to the application's default", () => {
  assert.equal("priority" in (gotify.format(events(recoveredEvent), options) as object), false);
  assert.equal("priority" in (gotify.format(digestNotice, options) as object), false);
});

test("gotify: POSTs to /message under the server URL with the app token in X-Gotify-Key", async () => {
  const server = await receiver(200, '{"id":1,"appid":1}', { "content-type": "application/json" });
  const n = await notifierOf({ type: "gotify", server: `${server.url}/gotify`, token: "AppTok.en", priority: 10 });
  await n.deliver(events(downEvent), signal());
  const [req] = server.requests;
  assert.deepEqual([req!.method, req!.url, req!.headers["x-gotify-key"], req!.headers["content-type"]],
    ["POST", "/gotify/message", "AppTok.en", "application/json"]);
  assert.equal(req!.url.includes("token"), false, "the token is never put in the URL");
  assert.equal(req!.body, bytes(gotify.format(events(downEvent), { ...options, priority: 10 })));
});

test("gotify: needs the server and the token; a refusal never shows the token", async () => {
  assert.deepEqual((await parseOne({ type: "gotify", priority: 11 })).problems, [
    "notifiers[0].server: missing: set it to your Gotify server's URL",
    "notifiers[0].token: missing: set it to the token of a Gotify application (Apps → Create Application)",
    "notifiers[0].priority: expected a whole number from 0 to 10, got 11",
  ]);
  const denied = await receiver(401, '{"error":"Unauthorized","errorCode":401,"errorDescription":"you need to provide a valid access token"}');
  const n = await notifierOf({ type: "gotify", server: denied.url, token: "AppTok.en" });
  await assert.rejects(n.deliver(events(downEvent), signal()), (e: Error) => /HTTP 401/.test(e.message) && !e.message.includes("AppTok"));
});
