import assert from "node:assert/strict";
import { test } from "node:test";
import { Report, Scope } from "../../lib/config/fields.js";
import mailgun from "../../lib/notify/mailgun.js";
import { htmlText, plainText } from "../../lib/alerting/text.js";
import { downEvent, events, notifierOf, receiver, signal } from "../helpers/notify.js";

const raw = { type: "mailgun", from: "Checkup <checkup@mg.example.com>", to: ["a@example.com", "b@example.com"], apikey: "key-123", domain: "mg.example.com" };

test("mailgun: one form per run with from, each to, subject, text and html", () => {
  const o = mailgun.parse({ ...raw, subject: "Status Alert" }, new Scope(new Report()));
  assert.equal(o.baseUrl, "https://api.mailgun.net");
  assert.deepEqual(mailgun.format(events(downEvent), o), [
    ["from", "Checkup <checkup@mg.example.com>"],
    ["to", "a@example.com"],
    ["to", "b@example.com"],
    ["subject", "Status Alert: API is down"],
    ["text", plainText(events(downEvent))],
    ["html", htmlText(events(downEvent))],
  ]);
  assert.equal(mailgun.parse({ ...raw, region: "eu" }, new Scope(new Report())).baseUrl, "https://api.eu.mailgun.net");
  assert.deepEqual(mailgun.parse({ ...raw, to: "solo@example.com" }, new Scope(new Report())).to, ["solo@example.com"], "checkup's pre-2020 string form");
});

test("mailgun: POSTs the form to /v3/<domain>/messages with basic auth api:<key>", async () => {
  const server = await receiver(200, '{"id":"<x@mg>","message":"Queued. Thank you."}');
  const n = await notifierOf({ ...raw, base_url: server.url });
  await n.deliver(events(downEvent), signal());
  const [req] = server.requests;
  assert.equal(req!.method, "POST");
  assert.equal(req!.url, "/v3/mg.example.com/messages");
  assert.equal(req!.headers.authorization, `Basic ${Buffer.from("api:key-123").toString("base64")}`);
  assert.equal(req!.headers["content-type"], "application/x-www-form-urlencoded");
  const form = new URLSearchParams(req!.body);
  assert.deepEqual(form.getAll("to"), ["a@example.com", "b@example.com"]);
  assert.equal(form.get("subject"), "Checkup: API is down");
  assert.equal(form.get("text"), plainText(events(downEvent)));
});
