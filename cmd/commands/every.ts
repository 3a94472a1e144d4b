/**
 * `checkup every <interval>`: rounds forever, one log line each. SIGTERM/SIGINT let the round in
 * flight finish (or abandon it after a grace period) and exit within 5 s.
 */
import { Checkup, type LoadOptions } from "../../lib/checkup.js";
import { configSource } from "../../lib/config/load.js";
import { ConfigError, messageOf, RuntimeError } from "../../lib/errors.js";
import { shortWindows } from "../../lib/alerting/quorum-config.js";
import { shardText } from "../../lib/fleet/shard.js";
import { ownershipText } from "../../lib/fleet/auto-shards.js";
import { parseInterval, type Tick } from "../../lib/schedule/every.js";
import { followConfig } from "../../lib/schedule/follow.js";
import { unixNanosToDate } from "../../lib/nanos.js";
import { loadOptions, type GlobalOptions } from "../load.js";
import type { RoundReport } from "../../lib/types.js";

export async function runEvery(intervalText: string, opts: GlobalOptions & { logFormat: "text" | "json" }): Promise<void> {
  const interval = parseInterval(intervalText);
  const source = configSource(opts.config);
  const options = loadOptions(opts);
  // The first config and every changed remote one are held to the same rules for this interval.
  const build = async (raw: unknown, o: LoadOptions & { file: string }): Promise<Checkup> => {
    const built = await Checkup.fromConfig(raw, o);
    const short = shortWindows(built.checkers, interval);
    if (short.length === 0) return built;
    await built.close({ deliveryWaitMs: 0 });
    throw new ConfigError(o.file, short);
  };
  let checkup = await build(await source.read(), { ...options, file: source.name });
  if (checkup.checkers.length === 0 && !checkup.shard) throw new RuntimeError("no checkers configured: add at least one to \"checkers\"");
  if (!checkup.storage) throw new RuntimeError("no storage configured: add a \"storage\" section to checkup.json");
  if (checkup.shard) process.stderr.write(`checkup: node ${checkup.node}, shard ${shardText(checkup.shard)}: ${checkup.checkers.length} checks\n`);
  const log = opts.logFormat === "json" ? jsonLine : textLine;
  // A shared (remote) config is read again before each round; a file is read once, as checkup did.
  const follower = source.remote
    ? followConfig(source, build, options, (m) => process.stderr.write(`checkup: ${m}\n`))
    : undefined;
  const handle = checkup.every(interval, {
    // The follower hands over the Checkup of a changed config; this one closes the last at exit.
    next: follower && (async (current, signal) => (checkup = await follower.next(current, signal))),
    onRound: (report, tick) => {
      if (report.shards?.changed) process.stderr.write(`checkup: ${ownershipText(checkup.node ?? "", report.shards)}\n`);
      process.stdout.write(`${log(report, tick, checkup.node)}\n`);
    },
  });
  const stop = (signal: NodeJS.Signals) => {
    process.stderr.write(`checkup: ${signal} received, finishing the round in flight\n`);
    void handle.stop();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  // Resolves once the round in flight has ended and the node has left the auto shards registry.
  await handle.done;
  // Deliveries ran beside the rounds: a dead notifier must not hold the exit past SIGTERM's 5 s;
  // what it did not take is kept for the next run.
  await checkup.close({ deliveryWaitMs: 500 });
  await follower?.retired();
}

function textLine(r: RoundReport, tick: Tick): string {
  const time = unixNanosToDate(r.startedAt).toISOString();
  const c = r.counts;
  const error = errorOf(r);
  const outcome = r.abandoned ? "abandoned (stopping)" : error !== undefined ? `error: ${error}` : `stored ${r.stored}${r.removed ? `, removed ${r.removed}` : ""}`;
  const missed = tick.missed ? `; ${tick.missed} round${tick.missed === 1 ? "" : "s"} skipped: the previous round ran past the interval` : "";
  return `${time} ${c.healthy} healthy, ${c.degraded} degraded, ${c.down} down in ${r.durationMs} ms; ${outcome}${missed}`;
}

/** Why storing, checking or maintenance failed; an abandoned round is no error. */
function errorOf(r: RoundReport): string | undefined {
  return r.abandoned || r.failure === undefined ? undefined : messageOf(r.failure);
}

/** One line for log shippers (fields in docs/multi-node.md): a fleet's lines say which node and whether it keeps up. */
function jsonLine(r: RoundReport, tick: Tick, node: string | undefined): string {
  return JSON.stringify({
    time: unixNanosToDate(r.startedAt).toISOString(),
    ...(node !== undefined ? { node } : {}),
    ...r.counts,
    duration_ms: r.durationMs,
    store_ms: r.storeMs,
    missed: tick.missed,
    late_ms: tick.lateMs,
    ...(r.shards ? { shards: { owned: r.shards.owned, of: r.shards.of, live_nodes: r.shards.liveNodes } } : {}),
    stored: r.stored ?? null,
    removed: r.removed,
    error: errorOf(r) ?? null,
    abandoned: r.abandoned ?? false,
  });
}
