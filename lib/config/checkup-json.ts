/**
 * checkup.json's top level: `checkers`, `concurrent_checks`, `timestamp`, `storage`, `notifiers`
 * and the legacy singular `notifier`, as every checkup version wrote them; plus the extensions
 * `node`, `quorum`, `shards`, `spool_dir`, `maintenance`, `digest` and `alert_state`.
 */
import { parseChecker, type TakenTitles } from "../check/index.js";
import { ConfigError, type Problem } from "../errors.js";
import { MINUTE, type Nanos } from "../duration.js";
import { RFC3339, rfc3339ToUnixNanos, type UnixNanos } from "../nanos.js";
import { parseNotifier } from "../notify/index.js";
import { parseMaintenance, type MaintenanceWindow } from "../alerting/maintenance.js";
import { parseQuorum, refuseUnsharedStorage } from "../alerting/quorum-config.js";
import { parsePageConfig, type PageConfig } from "../serve/page-config.js";
import { PACKAGE } from "../package-info.js";
import { parseStorage, pingStorageTypes } from "../storage/index.js";
import { isPingReader, type Checker } from "../types.js";
import { hostNode, NODE_NAME, NODE_RULE, validNodeName } from "../fleet/node.js";
import { parseShards, type ShardsConfig } from "../fleet/auto-shards.js";
import { folder } from "./folder.js";
import { int, isRaw, list, nanos, record, shown, str, Report, Scope, type Raw } from "./fields.js";
import { expandReferences } from "./load.js";
import { orReference, Shape } from "./shape.js";
import type { StorageSpec, NotifierSpec } from "../plugin-types.js";

export interface CheckupConfig {
  /** The node that runs these checks: the reader's override, else `node`, else the host name. */
  node: string;
  checkers: Checker[];
  /** Checks in flight at once. */
  concurrentChecks: number;
  /** Overrides every result's timestamp (checkup's "distributed checks at one instant"). */
  timestamp?: UnixNanos;
  storage?: StorageSpec;
  /** Auto shards: the nodes share the checks through the storage (extension). */
  shards?: ShardsConfig;
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

export interface ParseOptions {
  /** Expand `${NAME}` references from this environment first; a missing one joins the other problems. */
  env?: NodeJS.ProcessEnv;
  /** A config without checkers is a problem (default); `serve`, `provision` and `summarize` need only storage. */
  requireCheckers?: boolean;
  /** The node named on the command line (`--node`, CHECKUP_NODE): wins over the config's `node`. */
  node?: string;
  /** `--shard i/N` was given (static shards), which auto shards refuse. */
  staticShard?: boolean;
}

/** Where `checkup init` points `"$schema"`: the schema shipped in the package, for a local install beside checkup.json. */
export const SCHEMA_REFERENCE = `./node_modules/${PACKAGE.name}/checkup.schema.json`;

/** Shown when a config has no checkers (the fix is the example). */
export const NO_CHECKERS = `no checks configured: add at least one, e.g. {"type": "http", "endpoint_url": "https://example.com/"}`;

/** Validates a whole config, collecting every problem; throws ConfigError listing them. */
export async function parseCheckupConfig(raw: unknown, file: string, options: ParseOptions = {}): Promise<ParsedConfig> {
  const { value, missing } = options.env ? expandReferences(raw, file, options.env) : { value: raw, missing: [] };
  if (!isRaw(value)) throw new ConfigError(file, [{ path: "", message: `expected a JSON object { "checkers": [...] }, got ${shown(value)}` }]);
  const report = new Report();
  const config = await readConfig(value, new Scope(report), options);
  if (config.checkers.length === 0 && options.requireCheckers !== false && !report.problems.some((p) => p.path.startsWith("checkers"))) {
    report.problems.push({ path: "checkers", message: NO_CHECKERS });
  }
  // A field whose variable is missing was read as "": the missing variable is the one problem to fix there.
  const caused = (p: Problem) => missing.some((m) => p.path === m.path || p.path.startsWith(`${m.path}.`) || p.path.startsWith(`${m.path}[`));
  const problems = [...missing, ...report.problems.filter((p) => !caused(p))];
  if (problems.length > 0) throw new ConfigError(file, problems);
  return { config, warnings: report.warnings };
}

/** Describe mode (shape.ts): what every key of checkup.json holds, read off the readers themselves. */
export async function describeCheckupConfig(): Promise<Shape> {
  const shape = new Shape();
  await readConfig({}, new Scope(new Report(), "", () => shape));
  return shape;
}

async function readConfig(raw: Raw, top: Scope, options: ParseOptions = {}): Promise<CheckupConfig> {
  const node = options.node ?? parseNode(raw, top);
  const quorum = parseQuorum(raw, top);
  // Checkers read the node (HTTP sends it in its User-Agent) and inherit the quorum, so both are settled first.
  const at = top.within({ node, quorum });
  at.used.add("node").add("quorum");
  const taken: TakenTitles = new Map();
  const pingReaders: { checker: Checker; at: Scope }[] = [];
  const config: CheckupConfig = {
    node,
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
  at.describe("timestamp", { ...orReference({ type: "string", pattern: RFC3339.source }), examples: ["2024-06-10T12:00:00Z"] });
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
  const rules = [...(quorum ? [quorum] : []), ...config.checkers.flatMap((c) => (c.quorum ? [c.quorum] : []))];
  if (storageKnown) await refuseUnsharedStorage(rules, config.storage, at);
  const shards = await parseShards(raw, at, { storage: config.storage, storageKnown: Boolean(storageKnown), staticShard: options.staticShard === true });
  if (shards) config.shards = shards;

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
  readExtensions(raw, at, config);
  // An editor's pointer to the JSON Schema (checkup.schema.json): read so that it is no unknown key.
  str(raw, "$schema", at, { example: SCHEMA_REFERENCE });
  at.warnUnknownKeys(raw);
  return config;
}

/** `digest`, `alert_state` and `statuspage`. */
function readExtensions(raw: Raw, at: Scope, config: CheckupConfig): void {
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
}

/** Heartbeat checkers read their pings from the storage: one that keeps none cannot serve them. */
async function refusePingReaders(readers: { checker: Checker; at: Scope }[], storage: StorageSpec | undefined): Promise<void> {
  const kinds = await pingStorageTypes();
  const why = storage ? `, and storage ${JSON.stringify(storage.type)} keeps none: use one of ${kinds.join(", ")}`
    : `: add a "storage" of type ${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)}`;
  for (const { checker, at } of readers) at.problem("type", `${checker.type} reads its pings from the storage${why}`);
}

/** `node`, else the host name; either must follow NODE_RULE. */
function parseNode(raw: Raw, at: Scope): string {
  const named = str(raw, "node", at, { example: "eu-1" });
  at.describe("node", { ...orReference({ type: "string", pattern: NODE_NAME.source }), examples: ["eu-1"] });
  if (named) {
    if (!validNodeName(named)) at.problem("node", `expected ${NODE_RULE}, got ${shown(named)}`);
    return named;
  }
  if (at.describing) return "";
  const host = hostNode();
  if (!validNodeName(host)) at.problem(undefined, `the host name ${shown(host)} is not a node name: set "node" (or --node, CHECKUP_NODE) to ${NODE_RULE}`);
  return host;
}

async function parseList<T>(raw: Raw, key: string, at: Scope, parse: (item: Raw, at: Scope) => Promise<T | undefined>): Promise<T[]> {
  const scope = at.child(key);
  const out: T[] = [];
  for (const [i, item] of list(raw, key, at, "[ {...}, ... ]").entries()) {
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
