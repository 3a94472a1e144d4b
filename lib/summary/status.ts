/**
 * `status.json` and the feed's entries: where every check stands as of its newest run, and what
 * happened (outages starting and ending, posted messages). Pure, over timelines, so the stored
 * files and `checkup serve` agree. The document's shape is docs/status-feed.md; it follows
 * statuspage.io's summary JSON (indicator, description, component statuses) so widgets built for
 * it need little change.
 */
import { createHash } from "node:crypto";
import { headline, truncate } from "../alerting/text.js";
import { statusOfCode, type StatusCode } from "./format.js";
import { countRuns, outagesOf, type Outage, type Timeline } from "./timeline.js";

export const STATUS_FILE = "status.json";
export const FEED_FILE = "feed.xml";
export const STATUS_VERSION = 1;
/** Entries the feed keeps, newest first: readers poll, so older news has been seen. */
export const MAX_FEED_ENTRIES = 50;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The uptime windows status.json gives, in days. */
export const UPTIME_WINDOWS = { "1d": 1, "7d": 7, "30d": 30, "90d": 90 } as const;
/** The longest of them: what a writer must load. */
export const STATUS_WINDOW_MS = 90 * DAY_MS;

export type Indicator = "none" | "minor" | "major" | "critical";
export type ComponentStatus = "operational" | "degraded_performance" | "major_outage" | "unknown";

export interface CheckStatus {
  /** The check's key (lib/check-key.ts): its title, else its endpoint. */
  id: string;
  name: string;
  endpoint: string;
  /** The checker's `group`, or null. */
  group: string | null;
  status: ComponentStatus;
  /** When its newest run was, RFC 3339. */
  updated_at: string;
  /** Percent of runs healthy or degraded in each window ending at `updated_at` of the document; null = no run in it. */
  uptime: Record<keyof typeof UPTIME_WINDOWS, number | null>;
  /** The outage going on, or null. */
  incident: { id: string; started_at: string; status: ComponentStatus; reason: string } | null;
}

export interface StatusDocument {
  version: number;
  /** The newest run of any check (RFC 3339); null when nothing is stored. */
  updated_at: string | null;
  status: { indicator: Indicator; description: string };
  checks: CheckStatus[];
}

export interface FeedEntry {
  id: string;
  /** ms since the epoch. */
  at: number;
  title: string;
  text: string;
}

const COMPONENT: Record<StatusCode, ComponentStatus> = { h: "operational", d: "degraded_performance", x: "major_outage", u: "unknown" };
const DESCRIPTION: Record<Indicator, string> = {
  none: "All Systems Operational",
  minor: "Partially Degraded Service",
  major: "Partial System Outage",
  critical: "Major System Outage",
};

const iso = (ms: number): string => new Date(ms).toISOString();

/** The newest run over all checks (ms), the instant every window ends at. */
export const asOfTimelines = (timelines: readonly Timeline[]): number | undefined =>
  timelines.length === 0 ? undefined : Math.max(...timelines.map((t) => t.last[0]));

/**
 * A name-based UUID (RFC 9562 version 5 layout over SHA-1): the same event gets the same id from
 * whichever writer, so a feed reader never shows it twice.
 */
export function stableUuid(name: string): string {
  const b = createHash("sha1").update(name).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const outageId = (key: string, o: Outage) => stableUuid(`checkup\noutage\n${key}\n${o.start}`);

/** `groups`: check key → its checker's group, where one is set. */
export function statusDocument(timelines: readonly Timeline[], groups: ReadonlyMap<string, string> = new Map()): StatusDocument {
  const asOf = asOfTimelines(timelines);
  const checks = timelines.map((t): CheckStatus => {
    const ongoing = outagesOf(t.changes).find((o) => o.end === undefined);
    const uptime = Object.fromEntries(Object.entries(UPTIME_WINDOWS).map(([name, days]) => {
      // Hour buckets: the window starts at the hour, as the page's long views do.
      const { runs, up } = countRuns(t, Math.floor((asOf! - days * DAY_MS) / HOUR_MS) * HOUR_MS);
      return [name, runs === 0 ? null : (up / runs) * 100];
    })) as CheckStatus["uptime"];
    return {
      id: t.key, name: t.title || t.endpoint, endpoint: t.endpoint, group: groups.get(t.key) ?? null,
      status: COMPONENT[t.last[1]], updated_at: iso(t.last[0]), uptime,
      incident: ongoing ? { id: outageId(t.key, ongoing), started_at: iso(ongoing.start), status: COMPONENT[ongoing.status], reason: ongoing.reason } : null,
    };
  });
  const indicator = indicatorOf(timelines.map((t) => t.last[1]));
  return { version: STATUS_VERSION, updated_at: asOf === undefined ? null : iso(asOf), status: { indicator, description: DESCRIPTION[indicator] }, checks };
}

/** checkup's header rule (any down, else any degraded); every check down is "critical". */
function indicatorOf(codes: readonly StatusCode[]): Indicator {
  if (codes.length > 0 && codes.every((c) => c === "x")) return "critical";
  if (codes.includes("x")) return "major";
  return codes.includes("d") ? "minor" : "none";
}

/** Outages starting, outages ending and messages, newest first, at most MAX_FEED_ENTRIES. */
export function feedEntries(timelines: readonly Timeline[]): FeedEntry[] {
  const entries: FeedEntry[] = [];
  for (const t of timelines) {
    const names = { key: t.key, title: t.title, endpoint: t.endpoint };
    for (const o of outagesOf(t.changes)) {
      const status = statusOfCode(o.status);
      const since = BigInt(o.start) * 1_000_000n;
      entries.push({ id: outageId(t.key, o), at: o.start, title: headline({ ...names, kind: "alert", status, at: since, since, duration: 0, reason: o.reason }), text: o.reason || `${t.title || t.endpoint} is ${status}` });
      if (o.end === undefined) continue;
      const duration = (o.end - o.start) * 1e6;
      const title = headline({ ...names, kind: "recovered", status: "healthy", previous: status, at: BigInt(o.end) * 1_000_000n, since, duration });
      entries.push({ id: stableUuid(`checkup\nrecovered\n${t.key}\n${o.start}`), at: o.end, title, text: title });
    }
    for (const [at, text] of t.messages) {
      entries.push({ id: stableUuid(`checkup\nmessage\n${t.key}\n${at}\n${text}`), at, title: `${t.title || t.endpoint}: ${truncate(text, 80)}`, text });
    }
  }
  return entries.sort((a, b) => b.at - a.at || a.id.localeCompare(b.id)).slice(0, MAX_FEED_ENTRIES);
}
