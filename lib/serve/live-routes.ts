/**
 * Routes that answer from live checks: `/api/checks` (the list), `/api/checks/{title}` (run now,
 * 200 when healthy or degraded, 503 when down: what Pingdom, uptime robots and load balancers
 * read) and the status badge `/badge/{title}.svg`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { resultJson, statsOf, statusOf } from "../result.js";
import { checkKey } from "../check-key.js";
import type { Result } from "../types.js";
import { BADGE_COLOURS, badgeSvg } from "./badge.js";
import type { Cached } from "./cache.js";
import { RawJson, send, sendError, sendJson } from "./http.js";
import type { LiveCheck, LiveChecks } from "./live.js";

export function checkUrl(name: string): string {
  return `/api/checks/${encodeURIComponent(name)}`;
}

export function badgeUrl(name: string): string {
  return `/badge/${encodeURIComponent(name)}.svg`;
}

export function listChecks(req: IncomingMessage, res: ServerResponse, live: LiveChecks): void {
  sendJson(req, res, {
    checks: live.checks.map(({ name, checker }) => ({
      name,
      title: checker.title,
      endpoint: checker.endpoint,
      ...(checker.description && { description: checker.description }),
      type: checker.type,
      url: checkUrl(name),
      badge: badgeUrl(name),
    })),
  }, { etag: true });
}

/** What the stored rounds say of a check: the combined status and each node's newest view, as `/api/status` has them. */
export type StoredViews = (key: string) => Promise<unknown>;

/**
 * Runs (or reuses) one check; the status code is this server's own verdict. With a storage, the
 * answer also says what every node stored (`stored`), so it agrees with `/api/status` and the page;
 * a storage that fails leaves that out rather than failing the live check.
 */
export async function runCheck(req: IncomingMessage, res: ServerResponse, live: LiveChecks, name: string, storedViews?: StoredViews): Promise<void> {
  const check = live.find(name);
  if (!check) return sendError(req, res, 404, `no check named ${JSON.stringify(name)}; GET /api/checks lists them`);
  const [cached, stored] = await Promise.all([live.run(check), storedViews?.(checkKey(check.checker)).catch(() => undefined)]);
  const status = statusOf(cached.value);
  const ok = status === "healthy" || status === "degraded";
  // Monitors must see each verdict as this server has it: never store the answer in between.
  sendJson(req, res, { ...checkBody(check, cached), ...(stored !== undefined && { stored }) }, { status: ok ? 200 : 503, cacheControl: "no-store" });
}

export function checkBody(check: LiveCheck, cached: Cached<Result>): Record<string, unknown> {
  const r = cached.value;
  return {
    name: check.name,
    title: check.checker.title,
    endpoint: check.checker.endpoint,
    type: check.checker.type,
    node: r.node ?? null,
    status: statusOf(r),
    success: statusOf(r) === "healthy" || statusOf(r) === "degraded",
    median_rtt: statsOf(r.times).median,
    cached: cached.shared,
    checked_at: new Date(cached.at).toISOString(),
    expires_at: new Date(cached.expires).toISOString(),
    result: new RawJson(resultJson(r)),
  };
}

/** `/badge/{title}.svg`: the check's live status; `?label=` replaces the title on the left. */
export async function statusBadge(req: IncomingMessage, res: ServerResponse, live: LiveChecks, name: string, label?: string): Promise<void> {
  const check = live.find(name);
  const status = check ? statusOf((await live.run(check)).value) : "unknown";
  const text = check ? status : "no such check";
  sendBadge(req, res, badgeSvg(label ?? check?.name ?? name, text, BADGE_COLOURS[status]), check ? 200 : 404);
}

export function sendBadge(req: IncomingMessage, res: ServerResponse, svg: string, status = 200): void {
  // Short max-age: README proxies (GitHub's camo) honour it, and a status badge must not lag long.
  send(req, res, svg, { status, contentType: "image/svg+xml; charset=utf-8", cacheControl: "max-age=60, s-maxage=60", etag: true });
}
