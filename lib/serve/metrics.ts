/**
 * `/metrics` in Prometheus text format (prom-client, loaded only by `serve`). A scrape reads every
 * check through the live cache, so scraping every 15 s runs each check at most once per TTL.
 * Labels: `check` (the title), `endpoint`, `type`, `node` (the node this server runs as; "" when
 * it has none), so one Prometheus scraping every node's serve keeps their views apart.
 */
import { Counter, Gauge, Registry } from "prom-client";
import { statsOf, statusOf } from "../result.js";
import type { Result } from "../types.js";
import type { LiveCheck, LiveChecks } from "./live.js";

const LABELS = ["check", "endpoint", "type", "node"] as const;
type Labels = Record<(typeof LABELS)[number], string>;

export interface Metrics {
  contentType: string;
  /** Runs (or reuses) every check, then renders the registry. */
  render(): Promise<string>;
}

export function createMetrics(live: LiveChecks): Metrics {
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
  // Certificate expiry per check, Unix seconds.
  const expiries = new Map<string, { labels: Labels; at: number }>();

  const labelsOf = (check: LiveCheck): Labels =>
    ({ check: check.name, endpoint: check.checker.endpoint, type: check.checker.type, node: live.node ?? "" });
  live.onResult((check, result) => runs.inc({ ...labelsOf(check), status: statusOf(result) }));

  const record = (check: LiveCheck, result: Result) => {
    const labels = labelsOf(check);
    const status = statusOf(result);
    up.set(labels, status === "healthy" || status === "degraded" ? 1 : 0);
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
      // Time left is computed at scrape time, so it stays true between runs.
      const now = Date.now() / 1000;
      for (const { labels, at } of expiries.values()) certExpiry.set(labels, at - now);
      return registry.metrics();
    },
  };
}
