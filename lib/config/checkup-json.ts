/**
 * checkup.json's top level: `checkers`, `concurrent_checks`, `timestamp`, `storage`, `notifiers`
 * and the legacy singular `notifier`, as every checkup version wrote them; plus the extensions
 * `spool_dir`, `maintenance`, `digest` and `alert_state`.
 */
import { parseChecker, type TakenTitles } from "../check/index.js";
import { ConfigError } from "../errors.js";
import { MINUTE, type Nanos } from "../duration.js";
import { rfc3339ToUnixNanos, type UnixNanos } from "../nanos.js";
import { parseNotifier } from "../notify/index.js";
import { parseMaintenance, type MaintenanceWindow } from "../alerting/maintenance.js";
import { parsePageConfig, type PageConfig } from "../serve/page-config.js";
import { parseStorage, pingStorageTypes } from "../storage/index.js";
import { isPingReader, type Checker } from "../types.js";
import { folder } from "./folder.js";
import { int, isRaw, nanos, record, shown, str, Report, Scope, type Raw } from "./fields.js";
import type { StorageSpec, NotifierSpec } from "../plugin-types.js";

export interface CheckupConfig {
  checkers: Checker[];
  /** Checks in flight at once. */
  concurrentChecks: number;
  /** Overrides every result's timestamp (checkup's "distributed checks at one instant"). */
  timestamp?: UnixNanos;
  storage?: StorageSpec;
  notifiers: NotifierSpec[];
  /** Where rounds wait when storage fails (extension); default under the user's state folder. */
  spoolDir?: string;
  /** Windows in which alerts are held back (extension). */
  maintenance: MaintenanceWindow[];
  /** Send a digest with the first round after this long (extension). Integer ns. */
  digestEvery?: Nanos;
  /** The alert state file shared by separate runs (extension); default under the user's state folder. */
  alertState?: string;
  /** What `checkup serve` tells its status page (the page's config.js keys). */
  page?: PageConfig;
}

export interface ParsedConfig {
  config: CheckupConfig;
  /** Non-fatal findings, e.g. unknown keys, located as `file: path: message`. */
  warnings: { path: string; message: string }[];
}

export const DEFAULT_CONCURRENT_CHECKS = 5;
/** More checks in flight than this exhausts sockets and file descriptors before it speeds anything up. */
const MAX_CONCURRENT_CHECKS = 1000;

/** Validates a whole config, collecting every problem; throws ConfigError listing them. */
export async function parseCheckupConfig(raw: unknown, file: string): Promise<ParsedConfig> {
  const report = new Report();
  const at = new Scope(report);
  const taken: TakenTitles = new Map();
  const pingReaders: { checker: Checker; at: Scope }[] = [];
  if (!isRaw(raw)) throw new ConfigError(file, [{ path: "", message: `expected a JSON object { "checkers": [...] }, got ${shown(raw)}` }]);

  const config: CheckupConfig = {
    checkers: await parseList(raw, "checkers", at, async (item, itemAt) => {
      const checker = await parseChecker(item, itemAt, taken);
      if (checker && isPingReader(checker)) pingReaders.push({ checker, at: itemAt });
      return checker;
    }),
    concurrentChecks: int(raw, "concurrent_checks", at, { default: 0, min: 0, max: MAX_CONCURRENT_CHECKS, note: "0 means 5" })
      || DEFAULT_CONCURRENT_CHECKS,
    notifiers: [],
    maintenance: [],
  };
  const stamp = str(raw, "timestamp", at, { example: "2024-06-10T12:00:00Z" });
  if (stamp) {
    const ns = rfc3339ToUnixNanos(stamp);
    if (ns === undefined) at.problem("timestamp", `expected an RFC 3339 time like "2024-06-10T12:00:00Z", got ${shown(stamp)}`);
    else if (ns > 0n) config.timestamp = ns; // Go's zero time ("0001-01-01T00:00:00Z") means unset
  }
  const storage = record(raw, "storage", at);
  if (storage) config.storage = await parseStorage(storage, at.child("storage"));
  // A storage that failed to parse has its problem already; judge only one that parsed, or none.
  const storageKnown = !storage || config.storage;
  if (pingReaders.length > 0 && storageKnown && !config.storage?.keepsPings) await refusePingReaders(pingReaders, config.storage);

  // checkup appends the legacy singular `notifier` before the `notifiers` array.
  const single = record(raw, "notifier", at);
  if (single) {
    const spec = await parseNotifier(single, at.child("notifier"));
    if (spec) config.notifiers.push(spec);
  }
  config.notifiers.push(...await parseList(raw, "notifiers", at, parseNotifier));

  const spoolDir = folder(raw, "spool_dir", at);
  if (spoolDir) config.spoolDir = spoolDir;
  config.maintenance = parseMaintenance(raw, at);
  const digest = record(raw, "digest", at);
  if (digest) {
    const digestAt = at.child("digest");
    config.digestEvery = nanos(digest, "every", digestAt, { default: 0, min: MINUTE });
    digestAt.warnUnknownKeys(digest);
    if (!config.notifiers.some((n) => n.digest)) digestAt.problem(undefined, "no notifier takes digests: add \"digest\": true to a notifier");
  }
  const alertState = str(raw, "alert_state", at, { example: "/var/lib/checkup/alerts.json" });
  if (alertState) config.alertState = alertState;
  const page = record(raw, "statuspage", at);
  if (page) config.page = parsePageConfig(page, at.child("statuspage"));

  at.warnUnknownKeys(raw);
  if (report.problems.length > 0) throw new ConfigError(file, report.problems);
  return { config, warnings: report.warnings };
}

/** Heartbeat checkers read their pings from the storage: one that keeps none cannot serve them. */
async function refusePingReaders(readers: { checker: Checker; at: Scope }[], storage: StorageSpec | undefined): Promise<void> {
  const kinds = await pingStorageTypes();
  const why = storage ? `, and storage ${JSON.stringify(storage.type)} keeps none: use one of ${kinds.join(", ")}`
    : `: add a "storage" of type ${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)}`;
  for (const { checker, at } of readers) at.problem("type", `${checker.type} reads its pings from the storage${why}`);
}

async function parseList<T>(raw: Raw, key: string, at: Scope, parse: (item: Raw, at: Scope) => Promise<T | undefined>): Promise<T[]> {
  const list = raw[key];
  at.used.add(key);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    at.problem(key, `expected a list [ {...}, ... ], got ${shown(list)}`);
    return [];
  }
  const scope = at.child(key);
  const out: T[] = [];
  for (const [i, item] of list.entries()) {
    const itemAt = scope.item(i);
    if (!isRaw(item)) {
      itemAt.problem(undefined, `expected an object with a "type", got ${shown(item)}`);
      continue;
    }
    const parsed = await parse(item, itemAt);
    if (parsed !== undefined) out.push(parsed);
  }
  return out;
}
