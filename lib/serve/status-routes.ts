/**
 * `/status.json` and `/feed.xml`: the documents a storage with summaries writes beside them
 * (lib/summary/publish.ts), built here from the server's history, so a store without summaries
 * (Go-written, SQL) offers them too.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HoursDay } from "../summary/format.js";
import type { HistoryMirror } from "../summary/mirror.js";
import { publishedOf, statusWindowStart } from "../summary/publish.js";
import { timelinesOf } from "../summary/timeline.js";
import { send } from "./http.js";

export const STATUS_PATHS = ["/status.json", "/feed.xml"] as const;

export async function statusRoute(req: IncomingMessage, res: ServerResponse, mirror: HistoryMirror, p: (typeof STATUS_PATHS)[number],
  nowMs = Date.now()): Promise<void> {
  const { days } = await mirror.history(statusWindowStart(nowMs), BigInt(nowMs) * 1_000_000n, "hours");
  const published = publishedOf(timelinesOf(days as HoursDay[]), nowMs);
  if (p === "/status.json") return send(req, res, published.statusJson, { etag: true });
  send(req, res, published.feedXml, { contentType: "application/atom+xml; charset=utf-8", etag: true });
}
