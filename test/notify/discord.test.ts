import assert from "node:assert/strict";
import { test } from "node:test";
import { Report, Scope } from "../../lib/config/fields.js";
import discord from "../../lib/notify/discord.js";
import { bytes, degradedEvent, downEvent, events, notifierOf, receiver, signal } from "../helpers/notify.js";

const options = discord.parse({ webhook: "https://discord.com/api/webhooks/1/x" }, new Scope(new Report()));

test("discord: content is the headline; an embed carries the facts", () => {
  assert.equal(bytes(discord.format(events(downEvent), options)), bytes({
    username: "Checkup",
    content: "API is down: response status 502 Bad Gateway",
    embeds: [{
      title: "API",
      color: 0xc21408,
      fields: [
        { name: "Endpoint", value: "https://api.example.org/health", inline: false },
        { name: "Status", value: "down", inline: true },
        { name: "Error", value: "response status 502 Bad Gateway", inline: false },
        { name: "Time", value: "2024-06-10 12:00:00 UTC", inline: true },
      ],
      timestamp: "2024-06-10T12:00:00.000Z",
    }],
  }));
});

test("discord: a degraded check is amber and shows its notice", () => {
  const body = discord.format(events(degradedEvent), options) as { embeds: { color: number; fields: { name: string }[] }[] };
  assert.equal(body.embeds[0]!.color, 0xf0a30a);
  assert.deepEqual(body.embeds[0]!.fields.map((f) => f.name), ["Endpoint", "Status", "Notice", "Time"]);
});

test("discord: POSTs JSON to the webhook; 204 No Content is success", async () => {
  const server = await receiver(204);
  const n = await notifierOf({ type: "discord", webhook: `${server.url}/api/webhooks/1/tok` });
  await n.deliver(events(downEvent), signal());
  const [req] = server.requests;
  assert.equal(req!.method, "POST");
  assert.equal(req!.url, "/api/webhooks/1/tok");
  assert.equal(req!.headers["content-type"], "application/json");
  assert.equal(req!.body, bytes(discord.format(events(downEvent), options)));
});
