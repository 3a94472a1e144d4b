/**
 * The pipeline: round() runs check → store → maintain → notify, with delivery running beside it;
 * `--store`, `message` and `every` are rounds. The CLI is a thin layer over this class; a program
 * can build one from a checkup.json object or from its own checkers and storage.
 */
import path from "node:path";
import { configSource, DEFAULT_CONFIG_FILE } from "./config/load.js";
import { isRemoteLocation } from "./config/remote.js";
import { inShard, type Shard } from "./fleet/shard.js";
import { autoShards, type AutoShards } from "./fleet/auto-shards.js";
import { DEFAULT_CONCURRENT_CHECKS, parseCheckupConfig } from "./config/checkup-json.js";
import { CheckErrors, messageOf, RuntimeError, UsageError } from "./errors.js";
import { nowUnixNanos, type UnixNanos } from "./nanos.js";
import { Alerts } from "./alerting/alerts.js";
import { defaultStateFile } from "./alerting/state-file.js";
import { fleetOf } from "./alerting/quorum.js";
import { hostNode } from "./fleet/node.js";
import { checkWithinLimit } from "./checking/limit.js";
import { takePing } from "./ping.js";
import { mapLimit } from "./pool.js";
import { statusOf } from "./result.js";
import { defaultSpoolDir, SpoolingStorage } from "./storing/spool.js";
import { every, parseInterval, type EveryHandle } from "./schedule/every.js";
import type { Nanos } from "./duration.js";
import type { PageConfig } from "./serve/page-config.js";
import type { CheckupOptions, CheckOptions, RoundOptions, EveryOptions, LoadOptions } from "./checkup-options.js";

export type { CheckupOptions, CheckOptions, RoundOptions, EveryOptions, LoadOptions };
import { buildReport, storageSource, type Report, type ReportWindow } from "./summary/report.js";
import { isMaintainer, isPingReader, isPingStore, isProvisioner, isStorageReader, isSummarizer, type Checker, type ProvisionInfo, type ProvisionOptions, type Notifier, type Result, type RoundReport, type Storage } from "./types.js";

export class Checkup {
  /** The checks this node runs: its shard of the configured ones. */
  readonly checkers: Checker[];
  readonly node: string | undefined;
  readonly shard: Shard | undefined;
  /** Auto shards: each scheduled round runs this node's share of `checkers`. */
  readonly autoShards: AutoShards<Checker> | undefined;
  readonly concurrentChecks: number;
  readonly timestamp: UnixNanos | undefined;
  readonly storage: Storage | undefined;
  readonly notifiers: Notifier[];
  readonly page: PageConfig | undefined;
  private readonly writer: Storage | undefined;
  private readonly alerts: Alerts;
  private readonly warn: (message: string) => void;

  constructor(options: CheckupOptions) {
    this.checkers = bindPings(inShard(options.checkers, options.shard), options.storage);
    this.node = options.node;
    this.shard = options.shard;
    this.concurrentChecks = concurrency(options.concurrentChecks);
    this.timestamp = options.timestamp;
    this.storage = options.storage;
    this.notifiers = options.notifiers ?? [];
    this.page = options.page;
    this.warn = options.warn ?? warnOnStderr;
    this.autoShards = options.shards && autoShards({ config: options.shards, storage: options.storage,
      node: options.node, checks: this.checkers, warn: this.warn });
    const spool = options.spoolDir ?? (options.storageId !== undefined && defaultSpoolDir(options.storageId));
    this.writer = options.storage && spool ? new SpoolingStorage(options.storage, spool, this.warn) : options.storage;
    this.alerts = new Alerts({
      notifiers: this.notifiers,
      maintenance: options.maintenance,
      stateFile: options.alertState,
      fleet: fleetOf(options.checkers, options.node ?? hostNode(), options.storage),
      digestEvery: options.digestEvery,
      reader: options.storage && isStorageReader(options.storage) ? options.storage : undefined,
      warn: this.warn,
    });
  }

  /**
   * Builds a Checkup from a checkup.json file, or an `https://` or `s3://` URL. Throws
   * ConfigError; warnings go to `warn`.
   */
  static async load(location = DEFAULT_CONFIG_FILE, options: LoadOptions = {}): Promise<Checkup> {
    const source = configSource(location, options.env);
    return Checkup.fromConfig(await source.read(), { ...options, file: source.name });
  }

  /** Builds a Checkup from a checkup.json object (`${ENV}` references are expanded). Throws ConfigError listing every problem. */
  static async fromConfig(raw: unknown, options: LoadOptions & { file?: string } = {}): Promise<Checkup> {
    const file = options.file ?? "config";
    const { config, warnings } = await parseCheckupConfig(raw, file,
      { env: options.env ?? process.env, requireCheckers: options.requireCheckers, node: options.node, staticShard: options.shard !== undefined });
    const warn = options.warn ?? warnOnStderr;
    for (const w of warnings) warn(`${file}: ${w.path}: ${w.message}`);
    const storage = config.storage ? await config.storage.open() : undefined;
    return new Checkup({
      checkers: config.checkers,
      node: config.node,
      shard: options.shard,
      shards: config.shards,
      concurrentChecks: config.concurrentChecks,
      timestamp: config.timestamp,
      storage,
      notifiers: await Promise.all(config.notifiers.map((n) => n.open())),
      maintenance: config.maintenance,
      // One state per config file (or URL), so cron runs of the same config share it.
      alertState: config.alertState ? path.resolve(config.alertState) : defaultStateFile(isRemoteLocation(file) ? file : path.resolve(file)),
      digestEvery: config.digestEvery,
      page: config.page,
      spoolDir: config.spoolDir && path.resolve(config.spoolDir),
      storageId: config.storage?.id,
      warn,
    });
  }

  /**
   * Runs every check (concurrently, results in config order), then queues what the notifiers are
   * due; it does not wait for their delivery (settle() and close() do). When checkers throw (a
   * program's own; configured checkers report failures as down results), it throws CheckErrors
   * listing every one once all checks have finished, and notifies nobody, as checkup's Check().
   */
  async check(options: CheckOptions = {}): Promise<Result[]> {
    const startedAt = nowUnixNanos();
    const results = await this.runChecks(options);
    await this.notify(results, options.notify !== false, startedAt);
    return results;
  }

  /** Stores one round. A failed store keeps the round in the spool and throws RuntimeError. */
  async store(results: Result[], at?: UnixNanos): Promise<string> {
    if (!this.writer) throw noStorage();
    return this.writer.store(results, at);
  }

  /**
   * One round, what `checkup --store` does: check, store, remove what has expired, tell the
   * notifiers. Throws when storing failed (the round is spooled) or maintenance did. Like round(),
   * it does not wait for the notifiers: call settle() or close().
   */
  async checkAndStore(options: CheckOptions = {}): Promise<{ results: Result[]; name: string }> {
    return storedOrThrow(await this.round(options));
  }

  /**
   * One round, the whole pipeline: the checks; `annotate` (if any) edits their results; the round
   * is stored; what is older than the storage's `check_expiry` is removed; then what the notifiers
   * are due is decided and queued. Delivery runs beside (one queue per notifier), so a slow or dead
   * notifier (retries take half a minute) never delays this round or the next, and a process
   * killed meanwhile has lost no result. A failed store or maintenance is reported, not thrown:
   * the round is then in the spool, and the notifiers are still told.
   */
  async round(options: RoundOptions = {}): Promise<RoundReport> {
    const started = performance.now();
    const startedAt = nowUnixNanos();
    const report: RoundReport = { startedAt, durationMs: 0, storeMs: 0, results: [], counts: { healthy: 0, degraded: 0, down: 0, unknown: 0 }, removed: 0 };
    const finish = (): RoundReport => ({ ...report, durationMs: Math.round(performance.now() - started) });
    try {
      const share = this.autoShards && options.interval ? await this.autoShards.select(options.interval, options.signal) : undefined;
      report.shards = share?.ownership;
      report.results = await this.runChecks(options, share?.checks);
      options.annotate?.(report.results);
    } catch (e) {
      return { ...finish(), failure: e, abandoned: options.signal?.aborted || undefined, results: [] };
    }
    for (const r of report.results) report.counts[statusOf(r)]++;
    const storing = performance.now();
    try {
      report.stored = await this.store(report.results);
      report.removed = (await this.maintain()).length;
    } catch (e) {
      report.failure = e;
    }
    report.storeMs = Math.round(performance.now() - storing);
    await this.notify(report.results, options.notify !== false, startedAt);
    return finish();
  }

  /** Deletes expired rounds where the storage supports it (`check_expiry`). */
  async maintain(now: UnixNanos = nowUnixNanos()): Promise<string[]> {
    if (!this.storage || !isMaintainer(this.storage)) return [];
    return (await this.storage.maintain(now)).removed;
  }

  /** Creates what a public status page needs, where the storage can (`s3`): `checkup provision`. */
  async provision(options: ProvisionOptions = {}): Promise<ProvisionInfo> {
    if (!this.storage) throw new UsageError("no storage configuration found: add a \"storage\" section to checkup.json, or run checkup provision s3");
    if (!isProvisioner(this.storage)) {
      throw new UsageError(`configured storage type does not have provisioning capabilities (${this.storage.type}; only s3 has)`);
    }
    options.onStart?.();
    return this.storage.provision({ warn: this.warn, ...options });
  }

  /**
   * A round that attaches `text` to the result titled `about` (case-insensitive; the only result
   * when there is one and `about` is empty) before storing it. Never notifies.
   */
  async message(about: string, text: string, options: CheckOptions = {}): Promise<{ results: Result[]; name: string }> {
    if (!this.writer) throw noStorage();
    return storedOrThrow(await this.round({ ...options, notify: false, annotate: (results) => attachMessage(results, about, text) }));
  }

  /**
   * Records a heartbeat ping, as `checkup ping` and serve's `/api/push/<token>` do. Returns the
   * checker `token` belongs to, or undefined (nothing written) when no heartbeat has it.
   */
  async ping(token: string, ping: { status?: number; message?: string } = {}): Promise<Checker | undefined> {
    if (!this.storage || !isPingStore(this.storage)) return undefined;
    return takePing(this.checkers, this.storage, token, { at: nowUnixNanos(), status: ping.status ?? 0, message: ping.message });
  }

  /**
   * Runs a round now and then every `interval` (ns, or text like "10m"), on the Checkup `next`
   * hands over before each later round (default: this one). stop() ends it; once the round in
   * flight has ended, the node leaves the auto shards registry, so the others take its checks
   * from their next round. `done` resolves after that.
   */
  every(interval: Nanos | string, options: EveryOptions = {}): EveryHandle {
    const ns = typeof interval === "string" ? parseInterval(interval) : interval;
    let current: Checkup = this;
    let first = true;
    const schedule = every(async (signal, tick) => {
      if (options.next && !first) current = await options.next(current, signal);
      first = false;
      options.onRound?.(await current.round({ signal, interval: ns }), tick);
    }, ns, options);
    const done = schedule.done.then(() => current.autoShards?.leave());
    return { done, stop: () => schedule.stop().then(() => done) };
  }

  /**
   * Writes the status page's summaries for every stored round that lacks them (a store written
   * by the Go checkup, or before summaries existed). Safe to repeat. Returns the rounds covered.
   */
  async summarize(): Promise<number> {
    if (!this.storage) throw noStorage();
    if (!isSummarizer(this.storage)) throw new UsageError(`storage ${this.storage.type} keeps no status page summaries`);
    return this.storage.summarize();
  }

  /**
   * An SLA report over whole UTC days (docs/report.md): uptime, downtime, outages and RTT
   * percentiles per check, from the summaries (else from the stored rounds). `nowMs` ends an outage still going on.
   */
  async report(window: ReportWindow, nowMs = Date.now()): Promise<Report> {
    if (!this.storage) throw new RuntimeError("no storage configured: add a \"storage\" section to checkup.json");
    return buildReport(storageSource(this.storage), window, nowMs);
  }

  /**
   * Waits for the deliveries queued so far, at most `waitMs` (default: the longest one delivery
   * may take, tries × timeout + pauses, plus 1 s: 35 s with the defaults). What is still unsent then is
   * interrupted and kept as pending in the alert state, for the next round or run.
   */
  settle(waitMs?: number): Promise<{ delivered: number; kept: number }> {
    return this.alerts.settle(waitMs);
  }

  /** Sends a digest (status now, incidents since the last one) to the notifiers that take it. */
  digest(): Promise<string[]> {
    return this.alerts.digest();
  }

  /**
   * The checks alone: concurrent up to concurrentChecks, in config order, stamped and marked. A
   * check that overruns its limit is down, so no checker stalls the round.
   */
  private async runChecks(options: CheckOptions, checkers = this.checkers): Promise<Result[]> {
    let done = 0;
    const thrown: { checker: Checker; error: unknown }[] = [];
    const settled = await mapLimit(checkers, this.concurrentChecks, async (checker) => {
      try {
        return await checkWithinLimit(checker, options.signal);
      } catch (error) {
        if (options.signal?.aborted) throw error;
        thrown.push({ checker, error });
        return undefined;
      } finally {
        options.onProgress?.(++done, checkers.length);
      }
    });
    // As checkup's Check(): every check finishes first, then every error is reported at once, in config order.
    if (thrown.length > 0) throw new CheckErrors(checkers.flatMap((c) => thrown.filter((t) => t.checker === c)));
    const results = settled as Result[];
    for (const r of results) {
      if (this.timestamp !== undefined) r.timestamp = this.timestamp;
      if (this.node) r.node = this.node;
    }
    this.alerts.mark(results);
    return results;
  }

  /**
   * Queues the alerts and recoveries that are due (see alerting/state.ts), or with `deliver` false
   * only records the round. `startedAt` bounds which stored rounds may rebuild a lost alert
   * state (those stored before this round began). A failure never stops the round.
   */
  private async notify(results: Result[], deliver: boolean, startedAt: UnixNanos): Promise<void> {
    const step = deliver ? this.alerts.round(results, startedAt) : this.alerts.observe(results, startedAt);
    await step.catch((e: unknown) => this.warn(`notifications failed: ${messageOf(e)}`));
  }

  /** settle() (with `deliveryWaitMs` as its bound), then closes the storage. */
  async close(options: { deliveryWaitMs?: number } = {}): Promise<void> {
    await this.settle(options.deliveryWaitMs);
    await this.writer?.close?.();
  }
}

function noStorage(): RuntimeError {
  return new RuntimeError("no storage configured: add a \"storage\" section to checkup.json");
}

/**
 * Heartbeat checkers read their pings from the storage: each gets the opened one. Without a
 * storage that keeps pings they stay unbound, and report that as their error.
 */
function bindPings(checkers: Checker[], storage: Storage | undefined): Checker[] {
  if (!storage || !isPingStore(storage)) return checkers;
  return checkers.map((c) => (isPingReader(c) ? c.withPings(storage) : c));
}

/** checkup's Check(): 0 (or unset) is the default, below 0 is an error. */
function concurrency(value = 0): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new UsageError(`invalid value for concurrentChecks: ${value} (must be a whole number above 0, or 0 for the default of ${DEFAULT_CONCURRENT_CHECKS})`);
  }
  return value || DEFAULT_CONCURRENT_CHECKS;
}

function warnOnStderr(message: string): void {
  process.stderr.write(`checkup: ${message}\n`);
}

/** The round's results and stored name, or what went wrong in it, thrown. */
function storedOrThrow(round: RoundReport): { results: Result[]; name: string } {
  if (round.failure !== undefined || round.stored === undefined) throw round.failure;
  return { results: round.results, name: round.stored };
}

/** Attaches an operator's note to the result titled `about`, or to the only result. */
function attachMessage(results: Result[], about: string, text: string): void {
  const wanted = about.toLowerCase();
  const target = about
    ? results.find((r) => (r.title ?? "").toLowerCase() === wanted)
    : results.length === 1 ? results[0] : undefined;
  if (!target) {
    throw new UsageError(about ? `no result for endpoint with title '${about}'`
      : "more than one result; unable to guess which one to attach message to (use --about TITLE)");
  }
  target.message = text;
}
