import assert from "node:assert/strict";
import { test } from "node:test";
import { Report, Scope } from "../../lib/config/fields.js";
import telegram from "../../lib/notify/telegram.js";
import { bytes, downEvent, downText, events, notifierOf, parseOne, receiver, signal } from "../helpers/notify.js";

const TOKEN = "123456789:AAE-secret_token";

test("telegram: sendMessage with the plain text, no parse mode to escape for", () => {
  const o = telegram.parse({ token: TOKEN, chat_id: -1001234567890 }, new Scope(new Report()));
  assert.equal(bytes(telegram.format(events(downEvent), o)), bytes({
    chat_id: "-1001234567890",
    text: downText,
    disable_web_page_preview: true,
  }));
});

test("telegram: POSTs to /bot<token>/sendMessage; errors never show the token", async () => {
  const ok = await receiver(200, '{"ok":true,"result":{}}', { "content-type": "application/json" });
  const n = await notifierOf({ type: "telegram", token: TOKEN, chat_id: "@ops", base_url: ok.url });
  await n.deliver(events(downEvent), signal());
  const [req] = ok.requests;
  assert.equal(req!.method, "POST");
  assert.equal(req!.url, `/bot${TOKEN}/sendMessage`);
  assert.equal(req!.headers["content-type"], "application/json");
  assert.equal(JSON.parse(req!.body).chat_id, "@ops");

  const bad = await receiver(401, '{"ok":false,"error_code":401,"description":"Unauthorized"}');
  const m = await notifierOf({ type: "telegram", token: TOKEN, chat_id: "@ops", base_url: bad.url });
  await assert.rejects(m.deliver(events(downEvent), signal()), (e: Error) => !e.message.includes("secret_token") && /HTTP 401/.test(e.message));
});

test("telegram: a malformed token is refused without echoing it", async () => {
  const { problems } = await parseOne({ type: "telegram", token: "not-a-token", chat_id: 1 });
  assert.deepEqual(problems, ["notifiers[0].token: expected a bot token like \"123456789:AAE…\" from @BotFather (value not shown)"]);
});
