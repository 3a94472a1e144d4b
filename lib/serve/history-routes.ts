/**
 * Routes over stored history, kept by a HistoryMirror (lib/summary/mirror.ts): `/api/history`
 * (what the status page reads with `storage.type: "api"`, shape in docs/summaries.md) and the
 * uptime badge `/badge/{title}.svg?uptime=30d`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseDuration } from "../duration.js";
import { nowUnixNanos, type UnixNanos } from "../nanos.js";
import { checkKey } from "../check-key.js";
import { isUp, uptimePercent } from "../summary/day.js";
import { DAY_NS, summaryJson, type RunsDay } from "../summary/format.js";
import type { HistoryMirror } from "../summary/mirror.js";
import { badgeSvg, BADGE_COLOURS, uptimeColour } from "./badge.js";
import { send, sendError } from "./http.js";
import type { LiveCheck } from "./live.js";
import { sendBadge } from "./live-routes.js";

/** `GET /api/history?from=<ns>&to=<ns>&res=runs|hours`; `to` defaults to now, `from` to a day before `to`. */
export async function historyRoute(req: IncomingMessage, res: ServerResponse, mirror: HistoryMirror, params: URLSearchParams): Promise<void> {
  const toParam = nsParam(params, "to");
  const fromParam = nsParam(params, "from");
  if (fromParam === null || toParam === null) return sendError(req, res, 400, "from and to are Unix times in nanoseconds, e.g. from=1718000000000000000");
  const to = toParam ?? nowUnixNanos();
  const from = fromParam ?? to - DAY_NS;
  const resolution = params.get("res") ?? "runs";
  if (resolution !== "runs" && resolution !== "hours") return sendError(req, res, 400, `res must be runs or hours, got ${JSON.stringify(resolution)}`);
  if (from > to) return sendError(req, res, 400, "from is after to");
  send(req, res, `${summaryJson(await mirror.history(from, to, resolution))}\n`, { etag: true });
}

/** A ns query parameter: undefined when absent, null when not a digit string. */
function nsParam(params: URLSearchParams, name: string): UnixNanos | undefined | null {
  const text = params.get(name);
  if (text === null || text === "") return undefined;
  return /^\d{1,20}$/.test(text) ? BigInt(text) : null;
}

/** `?uptime=30d`: the share of stored runs that were healthy or degraded over that window. */
export async function uptimeBadge(req: IncomingMessage, res: ServerResponse, mirror: HistoryMirror | undefined,
  check: LiveCheck | undefined, name: string, windowText: string, label?: string): Promise<void> {
  const window = parseDuration(windowText);
  const left = label ?? `${check?.name ?? name} uptime`;
  if (!check) return sendBadge(req, res, badgeSvg(left, "no such check", BADGE_COLOURS.unknown), 404);
  if (window === undefined || window <= 0) return sendBadge(req, res, badgeSvg(left, "bad window", BADGE_COLOURS.unknown), 400);
  if (!mirror) return sendBadge(req, res, badgeSvg(left, "no history", BADGE_COLOURS.unknown), 404);
  const to = nowUnixNanos();
  const { days } = await mirror.history(to - BigInt(window), to, "runs");
  const { up, total } = countRuns(days as RunsDay[], checkKey(check.checker));
  const percent = uptimePercent(up, total);
  const message = percent === undefined ? "no data" : `${percent}%`;
  const colour = percent === undefined ? BADGE_COLOURS.unknown : uptimeColour(Number(percent));
  sendBadge(req, res, badgeSvg(left, message, colour));
}

/** Runs of the check keyed `key` (lib/check-key.ts: how summaries group checks). */
function countRuns(days: readonly RunsDay[], key: string): { up: number; total: number } {
  let up = 0;
  let total = 0;
  for (const day of days) {
    const c = day.checks.find((x) => checkKey(x) === key);
    if (!c) continue;
    total += c.s.length;
    for (const s of c.s) if (isUp(s)) up++;
  }
  return { up, total };
}
