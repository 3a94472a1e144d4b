import assert from "node:assert/strict";
import { test } from "node:test";
import teams from "../../lib/notify/teams.js";
import { bytes, downEvent, events, notifierOf, receiver, signal } from "../helpers/notify.js";

test("teams: a message with an Adaptive Card attachment, as incoming webhooks and Workflows take", () => {
  assert.equal(bytes(teams.format(events(downEvent))), bytes({
    type: "message",
    attachments: [{
      contentType: "application/vnd.microsoft.card.adaptive",
      contentUrl: null,
      content: {
        $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
        type: "AdaptiveCard",
        version: "1.4",
        body: [
          { type: "TextBlock", text: "API is down: response status 502 Bad Gateway", wrap: true, weight: "Bolder", size: "Medium", color: "Attention" },
          { type: "FactSet", facts: [
            { title: "Check", value: "API" },
            { title: "Endpoint", value: "https://api.example.org/health" },
            { title: "Status", value: "down" },
            { title: "Error", value: "response status 502 Bad Gateway" },
            { title: "Time", value: "2024-06-10 12:00:00 UTC" },
          ] },
        ],
      },
    }],
  }));
});

test("teams: POSTs JSON to the workflow URL (202 Accepted is success)", async () => {
  const server = await receiver(202);
  const n = await notifierOf({ type: "teams", webhook: `${server.url}/workflows/abc/triggers/manual/paths/invoke?sig=s3cret` });
  await n.deliver(events(downEvent), signal());
  const [req] = server.requests;
  assert.equal(req!.method, "POST");
  assert.equal(req!.url, "/workflows/abc/triggers/manual/paths/invoke?sig=s3cret");
  assert.equal(req!.headers["content-type"], "application/json");
  assert.equal(req!.body, bytes(teams.format(events(downEvent))));
});
