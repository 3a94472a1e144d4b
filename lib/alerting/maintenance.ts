/**
 * Maintenance windows (`maintenance` in checkup.json): while one is open for a check, no alert or
 * reminder goes out for it; its results are still stored, marked `"maintenance": true`.
 *
 *   { "start": "2024-06-08T22:00", "duration": "2h", "repeat": "weekly",
 *     "timezone": "Europe/Berlin", "checks": ["API"] }
 *
 * Times are compared on the wall clock of `timezone`, so a weekly 22:00 window stays at 22:00
 * local time across daylight-saving changes.
 */
import { isRaw, list, oneOf, shown, str, strList, nanos, type Raw, type Scope } from "../config/fields.js";
import type { UnixNanos } from "../nanos.js";
import type { Result } from "../types.js";

export interface MaintenanceWindow {
  /** When it (first) opens: wall-clock ms in `timeZone`, counted as if that clock were UTC. */
  start: number;
  /** Wall-clock length, ms. */
  length: number;
  repeat: "none" | "daily" | "weekly";
  timeZone: string;
  /** Titles or endpoints it covers, lower-cased; empty = every check. */
  checks: string[];
}

const DAY_MS = 86_400_000;
const PERIOD_MS = { none: Infinity, daily: DAY_MS, weekly: 7 * DAY_MS } as const;
const TIME = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d))?(Z|[+-]\d\d:\d\d)?$/i;
const EXAMPLE = "2024-06-08T22:00";

/** Reads the top-level `maintenance` list. */
export function parseMaintenance(raw: Raw, at: Scope): MaintenanceWindow[] {
  const windows = list(raw, "maintenance", at, `[ { "start": "${EXAMPLE}", "duration": "2h" }, ... ]`);
  const scope = at.child("maintenance");
  return windows.flatMap((item, i) => {
    const itemAt = scope.item(i);
    if (!isRaw(item)) {
      itemAt.problem(undefined, `expected an object { "start": "${EXAMPLE}", "duration": "2h" }, got ${shown(item)}`);
      return [];
    }
    const w = parseWindow(item, itemAt);
    itemAt.warnUnknownKeys(item);
    return w ? [w] : [];
  });
}

function parseWindow(raw: Raw, at: Scope): MaintenanceWindow | undefined {
  const timeZone = str(raw, "timezone", at, { default: "UTC", example: "Europe/Berlin" });
  if (!validZone(timeZone)) at.problem("timezone", `unknown time zone ${shown(timeZone)}: use an IANA name like "Europe/Berlin" or "UTC"`);
  const repeat = oneOf(raw, "repeat", at, ["none", "daily", "weekly"] as const, "none");
  const start = wallTime(raw, "start", at, timeZone, true);
  const duration = nanos(raw, "duration", at, { default: 0 });
  const end = wallTime(raw, "end", at, timeZone, false);
  const checks = strList(raw, "checks", at).map((c) => c.toLowerCase());
  if (start === undefined || !validZone(timeZone)) return undefined;
  if ((duration > 0) === (end !== undefined)) {
    at.problem("duration", `set either "duration" (like "2h") or "end" (like "2024-06-09T00:00"), not ${duration > 0 ? "both" : "neither"}`);
    return undefined;
  }
  const length = end !== undefined ? end - start : duration / 1e6;
  if (length <= 0 || length > PERIOD_MS[repeat]) {
    at.problem(end !== undefined ? "end" : "duration", length <= 0
      ? "the window must end after it starts"
      : `a ${repeat} window cannot be longer than its period; shorten it`);
    return undefined;
  }
  return { start, length, repeat, timeZone, checks };
}

/** `start`/`end`: a local time in the window's zone, or an instant with an offset. */
function wallTime(raw: Raw, key: string, at: Scope, timeZone: string, required: boolean): number | undefined {
  const text = str(raw, key, at, required ? { required: `a time like "${EXAMPLE}" (in "timezone", default UTC)` } : {});
  if (!text) return undefined;
  const m = TIME.exec(text);
  if (!m) {
    at.problem(key, `expected a time like "${EXAMPLE}" or "2024-06-08T22:00:00Z", got ${shown(text)}`);
    return undefined;
  }
  const [, y, mo, d, h, mi, s, offset] = m;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  if (!offset) return local;
  const sign = offset[0] === "-" ? -1 : 1;
  const shift = offset.toUpperCase() === "Z" ? 0 : sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6))) * 60_000;
  return validZone(timeZone) ? wallClock(local - shift, timeZone) : undefined;
}

/** Whether a window covering this check is open at `now`. */
export function inMaintenance(windows: readonly MaintenanceWindow[], r: Pick<Result, "title" | "endpoint">, now: UnixNanos): boolean {
  const ms = Number(now / 1_000_000n);
  const names = [r.title, r.endpoint].filter(Boolean).map((n) => n!.toLowerCase());
  return windows.some((w) => {
    if (w.checks.length > 0 && !names.some((n) => w.checks.includes(n))) return false;
    const into = wallClock(ms, w.timeZone) - w.start;
    return into >= 0 && into % PERIOD_MS[w.repeat] < w.length;
  });
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock reading of an instant in a zone, as ms "since the epoch" on that clock. */
function wallClock(ms: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second")) + (ms % 1000 + 1000) % 1000;
}

function validZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}
