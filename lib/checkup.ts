/**
 * The pipeline: check() → store() → maintain(), with notifications delivered beside it. The CLI is a thin layer over this class;
 * a program can build one from a checkup.json object or from its own checkers and storage.
 */
import path from "node:path";
import { readConfigFile, DEFAULT_CONFIG_FILE, expandConfig } from "./config/load.js";
import { DEFAULT_CONCURRENT_CHECKS, parseCheckupConfig } from "./config/checkup-json.js";
import { messageOf, RuntimeError, UsageError } from "./errors.js";
import { nowUnixNanos, type UnixNanos } from "./nanos.js";
import { Alerts } from "./alerting/alerts.js";
import type { Notifier } from "./notify/index.js";
import type { MaintenanceWindow } from "./alerting/maintenance.js";
import { defaultStateFile } from "./alerting/state-file.js";
import { checkWithinLimit } from "./checking/limit.js";
import { mapLimit } from "./pool.js";
import { defaultSpoolDir, SpoolingStorage } from "./storing/spool.js";
import { every, parseInterval, type EveryHandle, type EveryOptions } from "./schedule/every.js";
import type { Nanos } from "./duration.js";
import type { PageConfig } from "./serve/page-config.js";
import { isMaintainer, isProvisioner, isStorageReader, isSummarizer, type Checker, type ProvisionInfo, type ProvisionOptions, type Result, type Storage } from "./types.js";

export interface CheckupOptions {
  checkers: Checker[];
  /** Checks in flight at once (default 5). */
  concurrentChecks?: number;
  /** Stamp every result with this instant instead of its own. */
  timestamp?: UnixNanos;
  storage?: Storage;
  notifiers?: Notifier[];
  /** Windows in which no alert goes out for the checks they cover; their results are marked. */
  maintenance?: MaintenanceWindow[];
  /** Alert state file shared by separate runs (cron); default: this process's memory only. */
  alertState?: string;
  /** Send a digest with the first round after this long. Integer ns; 0 = only digest(). */
  digestEvery?: Nanos;
  /** Settings for the status page `checkup serve` hands out (checkup.json's `statuspage`). */
  page?: PageConfig;
  /** Folder for rounds that could not be stored; `false` turns spooling off. */
  spoolDir?: string | false;
  /** Where warnings go (notifier failures, replayed rounds). Default: stderr. */
  warn?: (message: string) => void;
}

export interface CheckOptions {
  signal?: AbortSignal;
  /** Called as each check finishes. */
  onProgress?: (done: number, total: number) => void;
  /** Tell the notifiers (default true). `checkup message` passes false: the round is only recorded in the alert state. */
  notify?: boolean;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  warn?: (message: string) => void;
}

export class Checkup {
  readonly checkers: Checker[];
  readonly concurrentChecks: number;
  readonly timestamp: UnixNanos | undefined;
  readonly storage: Storage | undefined;
  readonly notifiers: Notifier[];
  readonly page: PageConfig | undefined;
  private readonly writer: Storage | undefined;
  private readonly alerts: Alerts;
  private readonly warn: (message: string) => void;

  constructor(options: CheckupOptions) {
    this.checkers = options.checkers;
    this.concurrentChecks = options.concurrentChecks || DEFAULT_CONCURRENT_CHECKS;
    this.timestamp = options.timestamp;
    this.storage = options.storage;
    this.notifiers = options.notifiers ?? [];
    this.page = options.page;
    this.warn = options.warn ?? warnOnStderr;
    const spool = options.spoolDir ?? (options.storage && defaultSpoolDir(storageIdentity(options.storage)));
    this.writer = options.storage && spool ? new SpoolingStorage(options.storage, spool, this.warn) : options.storage;
    this.alerts = new Alerts({
      notifiers: this.notifiers,
      maintenance: options.maintenance,
      stateFile: options.alertState,
      digestEvery: options.digestEvery,
      reader: options.storage && isStorageReader(options.storage) ? options.storage : undefined,
      warn: this.warn,
    });
  }

  /** Builds a Checkup from a checkup.json file. Throws ConfigError; warnings go to `warn`. */
  static async load(file = DEFAULT_CONFIG_FILE, options: LoadOptions = {}): Promise<Checkup> {
    return Checkup.fromConfig(await readConfigFile(file, options.env), { ...options, file, expanded: true });
  }

  /** Builds a Checkup from a checkup.json object (`${ENV}` references are expanded). */
  static async fromConfig(raw: unknown, options: LoadOptions & { file?: string; expanded?: boolean } = {}): Promise<Checkup> {
    const file = options.file ?? "config";
    const expanded = options.expanded ? raw : expandConfig(raw, file, options.env);
    const { config, warnings } = await parseCheckupConfig(expanded, file);
    const warn = options.warn ?? warnOnStderr;
    for (const w of warnings) warn(`${file}: ${w.path}: ${w.message}`);
    const storage = config.storage ? await config.storage.open() : undefined;
    return new Checkup({
      checkers: config.checkers,
      concurrentChecks: config.concurrentChecks,
      timestamp: config.timestamp,
      storage,
      notifiers: await Promise.all(config.notifiers.map((n) => n.open())),
      maintenance: config.maintenance,
      // One state per config file, so cron runs of the same file share it.
      alertState: config.alertState ? path.resolve(config.alertState) : defaultStateFile(path.resolve(file)),
      digestEvery: config.digestEvery,
      page: config.page,
      spoolDir: config.spoolDir && path.resolve(config.spoolDir),
      warn,
    });
  }

  /**
   * Runs every check (concurrently, results in config order), then queues what the notifiers are
   * due; it does not wait for their delivery (settle() and close() do).
   */
  async check(options: CheckOptions = {}): Promise<Result[]> {
    const { results, startedAt } = await this.runChecks(options);
    await this.notify(results, options.notify !== false, startedAt);
    return results;
  }

  /** Stores one round. A failed store keeps the round in the spool and throws RuntimeError. */
  async store(results: Result[], at?: UnixNanos): Promise<string> {
    if (!this.writer) throw new RuntimeError("no storage configured: add a \"storage\" section to checkup.json");
    return this.writer.store(results, at);
  }

  /**
   * check() then store(): what `checkup --store` does. Throws when storing failed (the round is
   * spooled). Like round(), it does not wait for the notifiers: call settle() or close().
   */
  async checkAndStore(options: CheckOptions = {}): Promise<{ results: Result[]; name: string }> {
    const { results, name, storeError } = await this.round(options);
    if (name === undefined) throw storeError;
    return { results, name };
  }

  /**
   * One round as `every` runs it: checks, then the round is stored, then what the notifiers are
   * due is decided and queued. Delivery runs beside the schedule (one queue per notifier), so a
   * slow or dead notifier (retries take half a minute) never delays this round or the next, and
   * a process killed meanwhile has lost no result. A failed store is reported, not thrown: the
   * round is in the spool and the notifiers are still told.
   */
  async round(options: CheckOptions = {}): Promise<{ results: Result[]; name?: string; storeError?: unknown }> {
    const { results, startedAt } = await this.runChecks(options);
    let name: string | undefined;
    let storeError: unknown;
    try {
      name = await this.store(results);
    } catch (e) {
      storeError = e;
    }
    await this.notify(results, options.notify !== false, startedAt);
    return { results, name, storeError };
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
   * Runs the checks, attaches `text` to the result titled `about` (case-insensitive; the only
   * result when there is one and `about` is empty), and stores the round. Never notifies.
   */
  async message(about: string, text: string, options: CheckOptions = {}): Promise<{ results: Result[]; name: string }> {
    if (!this.writer) throw new RuntimeError("no storage configured: add a \"storage\" section to checkup.json");
    const results = await this.check({ ...options, notify: false });
    const wanted = about.toLowerCase();
    const target = about
      ? results.find((r) => (r.title ?? "").toLowerCase() === wanted)
      : results.length === 1 ? results[0] : undefined;
    if (!target) {
      throw new UsageError(about ? `no result for endpoint with title '${about}'`
        : "more than one result; unable to guess which one to attach message to (use --about TITLE)");
    }
    target.message = text;
    return { results, name: await this.store(results) };
  }

  /** Runs a round now and then every `interval` (ns, or text like "10m"); stop() ends it. */
  every(interval: Nanos | string, options: EveryOptions = {}): EveryHandle {
    return every(this, typeof interval === "string" ? parseInterval(interval) : interval, options);
  }

  /**
   * Writes the status page's summaries for every stored round that lacks them (a store written
   * by the Go checkup, or before summaries existed). Safe to repeat. Returns the rounds covered.
   */
  async summarize(): Promise<number> {
    if (!this.storage) throw new RuntimeError("no storage configured: add a \"storage\" section to checkup.json");
    if (!isSummarizer(this.storage)) throw new UsageError(`storage ${this.storage.type} keeps no status page summaries`);
    return this.storage.summarize();
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
  private async runChecks(options: CheckOptions): Promise<{ results: Result[]; startedAt: UnixNanos }> {
    const startedAt = nowUnixNanos();
    let done = 0;
    const results = await mapLimit(this.checkers, this.concurrentChecks, async (checker) => {
      const result = await checkWithinLimit(checker, options.signal);
      options.onProgress?.(++done, this.checkers.length);
      return result;
    });
    if (this.timestamp !== undefined) for (const r of results) r.timestamp = this.timestamp;
    this.alerts.mark(results);
    return { results, startedAt };
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

function warnOnStderr(message: string): void {
  process.stderr.write(`checkup: ${message}\n`);
}

/** What makes two storages the same target, for keeping their spools apart. */
function storageIdentity(storage: Storage): string {
  const options = (storage as { options?: unknown }).options;
  return `${storage.type}:${JSON.stringify(options ?? null)}`;
}
