/**
 * The words every notifier shares, so a check reads the same in Slack, mail and Telegram: the
 * check, its endpoint, its status, the error or notice, and the time. Pure functions.
 */
import { createHash } from "node:crypto";
import { formatHumanDuration } from "../duration.js";
import { unixNanosToDate, type UnixNanos } from "../nanos.js";
import type { Status, AlertEvent, Digest, Notice } from "../types.js";
import { escapeMarkup } from "../markup.js";

export function nameOf(c: { title: string; endpoint: string }): string {
  return c.title || c.endpoint || "(unnamed check)";
}

/**
 * At most `max` UTF-16 units, ending in "…" when cut: services refuse or drop over-long fields.
 * Never splits a surrogate pair, so the result stays valid UTF-8.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 2] ?? "") ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

/**
 * Stable for a check across runs and processes: the incident key that ties an alert to its
 * recovery in services that deduplicate (PagerDuty's dedup_key, Opsgenie's alias).
 */
export function dedupKey(e: Pick<AlertEvent, "key">): string {
  return `checkup-${createHash("sha256").update(e.key).digest("hex").slice(0, 32)}`;
}

/** The colours of toneOf as 24-bit RGB: checkup's red, an amber, a green. */
export const TONE_RGB = { bad: 0xc21408, warn: 0xf0a30a, good: 0x2e7d32 } as const;

/** "2024-06-10 12:00:00 UTC". */
export function timeText(ns: UnixNanos): string {
  return `${unixNanosToDate(ns).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** RFC 3339 with milliseconds, for the services that want a machine time. */
export function isoTime(ns: UnixNanos): string {
  return unixNanosToDate(ns).toISOString();
}

/** "API is down: response status 502 Bad Gateway", "API is back up (was down for 12m 30s)". */
export function headline(e: AlertEvent): string {
  const name = nameOf(e);
  switch (e.kind) {
    case "alert": return `${name} is ${e.status}${e.reason ? `: ${e.reason}` : ""}`;
    case "reminder": return `${name} is still ${e.status} (for ${formatHumanDuration(e.duration)})${e.reason ? `: ${e.reason}` : ""}`;
    case "recovered": return `${name} is back up (was ${e.previous ?? "down"} for ${formatHumanDuration(e.duration)})`;
  }
}

/** "Error" for a failure, "Notice" for why a check is degraded. */
export function reasonLabel(status: Status): string {
  return status === "degraded" ? "Notice" : "Error";
}

/** Label/value pairs describing an event, in display order. */
export function facts(e: AlertEvent): [string, string][] {
  const out: [string, string][] = [["Check", nameOf(e)]];
  if (e.endpoint) out.push(["Endpoint", e.endpoint]);
  out.push(["Status", e.kind === "recovered" ? `healthy (was ${e.previous ?? "down"})` : e.status]);
  if (e.reason) out.push([reasonLabel(e.status), e.reason]);
  if (e.kind !== "alert" || e.duration > 0) out.push([e.kind === "recovered" ? "Outage" : "Down for", formatHumanDuration(e.duration)]);
  out.push(["Time", timeText(e.at)]);
  return out;
}

/** The facts as machine fields, for services that file them with an incident (PagerDuty, Opsgenie). */
export function detailsOf(e: AlertEvent): Record<string, string> {
  return {
    endpoint: e.endpoint,
    status: e.status,
    ...(e.reason && { [reasonLabel(e.status).toLowerCase()]: e.reason }),
    since: isoTime(e.since),
    ...(e.duration > 0 && { down_for: formatHumanDuration(e.duration) }),
  };
}

function counts(statuses: Status[]): string {
  const order: Status[] = ["down", "degraded", "unknown", "healthy"];
  return order.map((s) => [s, statuses.filter((x) => x === s).length] as const)
    .filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(", ") || "no checks";
}

/** A short line for a whole notice: "API is down", "2 failing, 1 recovered", "digest: 3 healthy". */
export function summaryOf(notice: Notice): string {
  if (notice.kind === "digest") return `digest: ${counts(notice.digest.checks.map((c) => c.status))}`;
  const [first, ...rest] = notice.events;
  if (!first) return "no changes";
  if (rest.length === 0) return headline({ ...first, reason: undefined });
  const up = notice.events.filter((e) => e.kind === "recovered").length;
  const down = notice.events.length - up;
  return [down && `${down} failing`, up && `${up} recovered`].filter(Boolean).join(", ");
}

/** A mail subject or push title: the configured `subject` (default "Checkup"), then the summary. */
export function subjectOf(notice: Notice, prefix = ""): string {
  return `${prefix || "Checkup"}: ${summaryOf(notice)}`;
}

/** How bad a notice is, for colours: any failing event is "bad", a degraded one "warn". */
export function toneOf(notice: Notice): "bad" | "warn" | "good" {
  const statuses = notice.kind === "digest"
    ? notice.digest.checks.map((c) => c.status)
    : notice.events.map((e) => (e.kind === "recovered" ? "healthy" : e.status));
  if (statuses.some((s) => s === "down" || s === "unknown")) return "bad";
  return statuses.includes("degraded") ? "warn" : "good";
}

/** Something failing to tell about now (not a digest, not only recoveries): push services raise its priority. */
export function isAlarm(notice: Notice): boolean {
  return notice.kind === "events" && toneOf(notice) !== "good";
}

/** The plain-text body: a block per event, or the digest. */
export function plainText(notice: Notice): string {
  if (notice.kind === "digest") return digestLines(notice.digest).join("\n");
  return notice.events.map((e) => [headline(e), ...facts(e).map(([k, v]) => `${k}: ${v}`)].join("\n")).join("\n\n");
}

export function digestLines(d: Digest): string[] {
  const lines = [`Status at ${timeText(d.at)}: ${counts(d.checks.map((c) => c.status))}`];
  for (const c of d.checks) {
    if (c.status === "healthy") continue;
    lines.push(`- ${nameOf(c)}${c.endpoint && c.title ? ` (${c.endpoint})` : ""}: ${c.status} since ${timeText(c.since)}${c.reason ? `: ${c.reason}` : ""}`);
  }
  lines.push(`Incidents${d.since !== undefined ? ` since ${timeText(d.since)}` : ""}: ${d.incidents.length || "none"}`);
  for (const i of d.incidents) lines.push(`- ${timeText(i.at)} ${nameOf(i)}: ${i.previous ? `${i.previous} → ` : ""}${i.status}`);
  return lines;
}

/** The mail body in HTML: the same text as plainText, escaped. */
export function htmlText(notice: Notice): string {
  if (notice.kind === "digest") {
    const [head, ...rest] = digestLines(notice.digest);
    return `<p><b>${escapeMarkup(head!)}</b></p>\n<ul>\n${rest.map((l) => `<li>${escapeMarkup(l.replace(/^- /, ""))}</li>`).join("\n")}\n</ul>`;
  }
  return notice.events.map((e) => `<p><b>${escapeMarkup(headline(e))}</b></p>\n<ul>\n${
    facts(e).map(([k, v]) => `<li>${escapeMarkup(k)}: ${escapeMarkup(v)}</li>`).join("\n")}\n</ul>`).join("\n");
}
