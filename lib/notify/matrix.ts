/**
 * `matrix`: one m.text message per event to a room, through the homeserver's client-server API
 * (`PUT …/rooms/{roomId}/send/m.room.message/{txnId}` with the bot's access token as Bearer).
 * The transaction id is derived from the message, so a retry after a lost answer is recognised by
 * the homeserver and posts nothing twice.
 */
import { createHash } from "node:crypto";
import { str, url, type Raw, type Scope } from "../config/fields.js";
import { joinUrl, putJson } from "../http-client.js";
import { htmlText, plainText } from "../alerting/text.js";
import type { NotifierType } from "../plugin-types.js";

export interface MatrixOptions {
  homeserver: string;
  accessToken: string;
  roomId: string;
}

export interface MatrixPayload {
  txnId: string;
  content: { msgtype: "m.text"; body: string; format: "org.matrix.custom.html"; formatted_body: string };
}

export default {
  parse: (raw: Raw, at: Scope): MatrixOptions => {
    const roomId = str(raw, "room_id", at, { required: "the room's internal ID, like \"!AbCdEf:example.org\" (room settings → Advanced)" });
    // Sending needs the ID; an alias (#ops:example.org) would be a 404 on every run.
    if (roomId && !roomId.startsWith("!")) {
      at.problem("room_id", `expected a room ID starting with "!", like "!AbCdEf:example.org" (room settings → Advanced), got ${JSON.stringify(roomId)}`);
    }
    return {
      homeserver: url(raw, "homeserver", at, { required: "your homeserver's URL", example: "https://matrix.example.org" }),
      accessToken: str(raw, "access_token", at, { required: "the access token of the account that posts (a bot user)" }),
      roomId,
    };
  },
  format: (notice): MatrixPayload => {
    const content = { msgtype: "m.text", body: plainText(notice), format: "org.matrix.custom.html", formatted_body: htmlText(notice) } as const;
    return { txnId: `checkup-${createHash("sha256").update(JSON.stringify(content)).digest("hex").slice(0, 32)}`, content };
  },
  send: async (p, o, signal) => void await putJson(
    joinUrl(o.homeserver, `/_matrix/client/v3/rooms/${encodeURIComponent(o.roomId)}/send/m.room.message/${p.txnId}`),
    p.content, signal, { headers: { authorization: `Bearer ${o.accessToken}` } }),
} satisfies NotifierType<MatrixOptions, MatrixPayload>;
