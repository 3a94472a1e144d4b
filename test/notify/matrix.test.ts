import assert from "node:assert/strict";
import { test } from "node:test";
import matrix from "../../lib/notify/matrix.js";
import { bytes, downEvent, downText, events, notifierOf, parseOne, receiver, recoveredEvent, signal } from "../helpers/notify.js";

const TOKEN = "syt_Y2hlY2t1cA_secret";

test("matrix: an alert is an m.text message with a plain body and an HTML formatted_body", () => {
  assert.equal(bytes(matrix.format(events(downEvent)).content), bytes({
    msgtype: "m.text",
    body: downText,
    format: "org.matrix.custom.html",
    formatted_body: "<p><b>API is down: response status 502 Bad Gateway</b></p>\n<ul>\n<li>Check: API</li>\n" +
      "<li>Endpoint: https://api.example.org/health</li>\n<li>Status: down</li>\n<li>Error: response status 502 Bad Gateway</li>\n" +
      "<li>Time: 2024-06-10 12:00:00 UTC</li>\n</ul>",
  }));
});

test("matrix: the transaction id is the same for the same message and differs for another", () => {
  const first = matrix.format(events(downEvent)).txnId;
  assert.match(first, /^checkup-[0-9a-f]{32}$/);
  assert.equal(matrix.format(events(downEvent)).txnId, first);
  assert.notEqual(matrix.format(events(recoveredEvent)).txnId, first);
});

test("matrix: PUTs to the room's send endpoint with the access token as Bearer", async () => {
  const server = await receiver(200, '{"event_id":"$x"}', { "content-type": "application/json" });
  const n = await notifierOf({ type: "matrix", homeserver: `${server.url}/`, access_token: TOKEN, room_id: "!AbCdEf:example.org" });
  await n.deliver(events(downEvent), signal());
  const [req] = server.requests;
  const { txnId, content } = matrix.format(events(downEvent));
  assert.deepEqual([req!.method, req!.url, req!.headers.authorization, req!.headers["content-type"]], [
    "PUT", `/_matrix/client/v3/rooms/!AbCdEf%3Aexample.org/send/m.room.message/${txnId}`, `Bearer ${TOKEN}`, "application/json",
  ]);
  assert.equal(req!.body, bytes(content));
});

test("matrix: a rejected token is reported with Matrix's error code, never the token", async () => {
  const server = await receiver(401, '{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token passed."}');
  const n = await notifierOf({ type: "matrix", homeserver: server.url, access_token: TOKEN, room_id: "!r:example.org" });
  await assert.rejects(n.deliver(events(downEvent), signal()), (e: Error) => /HTTP 401.*M_UNKNOWN_TOKEN/.test(e.message) && !e.message.includes("secret"));
});

test("matrix: a room alias is refused with where to find the room ID", async () => {
  assert.deepEqual((await parseOne({ type: "matrix", homeserver: "https://matrix.example.org", access_token: TOKEN, room_id: "#ops:example.org" })).problems, [
    "notifiers[0].room_id: expected a room ID starting with \"!\", like \"!AbCdEf:example.org\" (room settings → Advanced), got \"#ops:example.org\"",
  ]);
});
