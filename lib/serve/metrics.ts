/**
 * `/metrics` in Prometheus text format (prom-client, loaded only by `serve`). A scrape reads every
 * check through the live cache, so scraping every 15 s runs each check at most once per TTL.
 * Labels: `check` (the title), `endpoint`, `type`, `node` (the node this server runs as; "" when
 * it has none), so one Prometheus scraping every node's serve keeps their views apart.
 * With a storage, `checkup_stored_*` say what the fleet stored: each node's newest result of each
 * check (`node` its name, "" for results that name none) and the check's combined status over
 * them, as `/api/status` and the page give it.
 */
import { Counter, Gauge, Registry } from "prom-client";
import { statsOf, statusOf } from "../result.js";
import type { Result } from "../types.js";
import type { LiveCheck, LiveChecks } from "./live.js";
import type { StoredCheck } from "./stored.js";

/** The checks `/api/status` lists, read at each scrape. */
export type StoredChecks = () => Promise<readonly StoredCheck[]>;

const LABELS = ["check", "endpoint", "type", "node"] as const;
type Labels = Record<(typeof LABELS)[number], string>;

export interface Metrics {
  contentType: string;
  /** Runs (or reuses) every check, then renders the registry. */
  render(): Promise<string>;
}

const isUp = (s: string) => s === "healthy" || s === "degraded";

/** The `checkup_stored_*` gauges over `stored`, rewritten each scrape so a check or node no longer stored drops out. */
function storedGauges(registry: Registry, stored: StoredChecks): () => Promise<void> {
  const gauge = (name: string, help: string, labelNames: readonly string[]) => new Gauge({ name, help, labelNames, registers: [registry] });
  const NODE = ["check", "endpoint", "node"];
  const nodeUp = gauge("checkup_stored_check_up", "1 when the node's newest stored result of the check is healthy or degraded, 0 when down or unknown.", NODE);
  const nodeAt = gauge("checkup_stored_check_timestamp_seconds", "When the node's newest stored result of the check was taken, as a Unix time.", NODE);
  const combinedUp = gauge("checkup_stored_check_combined_up", "1 when the check's combined status over its nodes' newest stored results is healthy or degraded.", ["check", "endpoint"]);
  const combinedDegraded = gauge("checkup_stored_check_combined_degraded", "1 when the check's combined status over its nodes' newest stored results is degraded.", ["check", "endpoint"]);
  const readOk = new Gauge({ name: "checkup_stored_read_ok", help: "1 when the storage could be read for this scrape's checkup_stored_* series.", registers: [registry] });
  const all = [nodeUp, nodeAt, combinedUp, combinedDegraded];
  return async () => {
    // A storage fault leaves the live series as they are, and says so here.
    const checks = await stored().catch(() => undefined);
    for (const g of all) g.reset();
    readOk.set(checks ? 1 : 0);
    for (const c of checks ?? []) {
      combinedUp.set({ check: c.title, endpoint: c.endpoint }, isUp(c.status) ? 1 : 0);
      combinedDegraded.set({ check: c.title, endpoint: c.endpoint }, c.status === "degraded" ? 1 : 0);
      for (const n of c.nodes) {
        const labels = { check: c.title, endpoint: c.endpoint, node: n.node ?? "" };
        nodeUp.set(labels, isUp(n.status) ? 1 : 0);
        if (n.time !== null) nodeAt.set(labels, Date.parse(n.time) / 1000);
      }
    }
  };
}

export function createMetrics(live: LiveChecks, stored?: StoredChecks): Metrics {
  const registry = new Registry();
  const gauge = (name: string, help: string) => new Gauge({ name, help, labelNames: LABELS, registers: [registry] });
  const up = gauge("checkup_check_up", "1 when the check's latest result is healthy or degraded, 0 when down or unknown.");
  const degraded = gauge("checkup_check_degraded", "1 when the check's latest result is degraded.");
  const rtt = gauge("checkup_check_rtt_seconds", "Median round trip time of the latest result's attempts, in seconds.");
  const attempts = gauge("checkup_check_attempts", "Attempts made in the latest result.");
  const failed = gauge("checkup_check_failed_attempts", "Attempts that failed in the latest result.");
  const checkedAt = gauge("checkup_check_timestamp_seconds", "When the latest result was taken, as a Unix time.");
  const certExpiry = gauge("checkup_check_cert_expiry_seconds", "Seconds until the TLS certificate expires (negative once expired); TLS checks only.");
  const runs = new Counter({
    name: "checkup_check_runs_total",
    help: "Live runs of the check by this server (cache misses), by resulting status.",
    labelNames: [...LABELS, "status"],
    registers: [registry],
  });
  const readStored = stored && storedGauges(registry, stored);
  // Certificate expiry per check, Unix seconds.
  const expiries = new Map<string, { labels: Labels; at: number }>();

  const labelsOf = (check: LiveCheck): Labels =>
    ({ check: check.name, endpoint: check.checker.endpoint, type: check.checker.type, node: live.node ?? "" });
  live.onResult((check, result) => runs.inc({ ...labelsOf(check), status: statusOf(result) }));

  const record = (check: LiveCheck, result: Result) => {
    const labels = labelsOf(check);
    const status = statusOf(result);
    up.set(labels, isUp(status) ? 1 : 0);
    degraded.set(labels, status === "degraded" ? 1 : 0);
    rtt.set(labels, statsOf(result.times).median / 1e9);
    attempts.set(labels, result.times.length);
    failed.set(labels, result.times.filter((t) => t.error).length);
    checkedAt.set(labels, Number(result.timestamp / 1_000_000n) / 1e3);
    if (result.certExpiry !== undefined) expiries.set(check.name, { labels, at: result.certExpiry });
  };

  return {
    contentType: registry.contentType,
    async render() {
      for (const { check, cached } of await live.runAll()) record(check, cached.value);
      await readStored?.();
      // Time left is computed at scrape time, so it stays true between runs.
      const now = Date.now() / 1000;
      for (const { labels, at } of expiries.values()) certExpiry.set(labels, at - now);
      return registry.metrics();
    },
  };
}
