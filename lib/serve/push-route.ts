/**
 * `GET|HEAD|POST /api/push/<token>`: a heartbeat's ping. `?status=N` is the job's exit status
 * (0 = ok, else the heartbeat is down at once); a POST body is kept as the ping's message (the
 * first 10 KB). An unknown token is a plain 404, whatever exists; the token is never logged.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { messageOf } from "../errors.js";
import { nowUnixNanos } from "../nanos.js";
import { MAX_PING_MESSAGE_BYTES, takePing } from "../ping.js";
import type { Checker, PingStore } from "../types.js";
import { sendError, sendJson } from "./http.js";

/** The path a push arrives on; its last segment is the token. */
export const PUSH_PATH = /^\/api\/push\/([^/]+)$/;
/** A body past this is refused (413) rather than read on: 1 MiB. The first 10 KB are kept. */
const MAX_PUSH_BODY_BYTES = 1024 * 1024;

export interface PushTarget {
  checkers: readonly Checker[];
  /** Where pings go; without one every token is unknown. */
  pings?: PingStore;
  /** Told which check was pinged, so a cached result is not served past the ping. */
  pinged(checker: Checker): void;
  warn(message: string): void;
}

export async function pushRoute(req: IncomingMessage, res: ServerResponse, target: PushTarget, token: string,
  params: URLSearchParams): Promise<void> {
  const statusText = params.get("status") ?? "0";
  if (!/^-?\d{1,10}$/.test(statusText)) {
    return sendError(req, res, 400, "status must be the job's exit status, a whole number (0 = it worked)");
  }
  const body = req.method === "POST" ? await readMessage(req) : "";
  if (body === undefined) {
    res.setHeader("Connection", "close");
    return sendError(req, res, 413, `the body is over ${MAX_PUSH_BODY_BYTES} bytes; send at most ${MAX_PING_MESSAGE_BYTES} (the rest is not kept)`);
  }
  if (!target.pings) return unknownToken(req, res);
  let checker: Checker | undefined;
  try {
    checker = await takePing(target.checkers, target.pings, token, { at: nowUnixNanos(), status: Number(statusText), message: body || undefined });
  } catch (e) {
    target.warn(`recording a heartbeat ping: ${messageOf(e)}`);
    return sendError(req, res, 503, `storage unavailable: ${messageOf(e)}`);
  }
  if (!checker) return unknownToken(req, res);
  target.pinged(checker);
  sendJson(req, res, { ok: true }, { cacheControl: "no-store" });
}

function unknownToken(req: IncomingMessage, res: ServerResponse): void {
  sendError(req, res, 404, "no heartbeat has this token");
}

/**
 * The body's start as text (takePing cuts it to MAX_PING_MESSAGE_BYTES at a character boundary);
 * undefined when it is longer than MAX_PUSH_BODY_BYTES: refused by its length when it states one,
 * else abandoned (the connection closed) as soon as it runs past.
 */
async function readMessage(req: IncomingMessage): Promise<string | undefined> {
  if (Number(req.headers["content-length"] ?? 0) > MAX_PUSH_BODY_BYTES) return undefined;
  const keep = MAX_PING_MESSAGE_BYTES + 4; // + a character's longest UTF-8 form
  const kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (size < keep) kept.push(chunk.subarray(0, keep - size));
    size += chunk.length;
    if (size > MAX_PUSH_BODY_BYTES) return undefined;
  }
  return Buffer.concat(kept).toString("utf8");
}
