/** What a Checkup is built from, and the options of its methods (the CLI's flags in library form). */
import type { MaintenanceWindow } from "./alerting/maintenance.js";
import type { Nanos } from "./duration.js";
import type { Shard } from "./fleet/shard.js";
import type { ShardsConfig } from "./fleet/auto-shards.js";
import type { UnixNanos } from "./nanos.js";
import type { ScheduleOptions, Tick } from "./schedule/every.js";
import type { PageConfig } from "./serve/page-config.js";
import type { Checkup } from "./checkup.js";
import type { Checker, Notifier, Result, RoundReport, Storage } from "./types.js";

export interface CheckupOptions {
  checkers: Checker[];
  /** The node running the checks, stamped on every result (fleet/node.ts). Default: none. */
  node?: string;
  /** Run only this shard of `checkers` (fleet/shard.ts); default all of them. */
  shard?: Shard;
  /** Auto shards (fleet/auto-shards.ts): rounds given an `interval` run only this node's share; `storage` must be a NodeRegistry. */
  shards?: ShardsConfig;
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
  /**
   * What identifies `storage` across runs (a config's StorageSpec.id); without a `spoolDir`, it
   * picks the default spool folder. With neither, a failed round is not spooled.
   */
  storageId?: string;
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

export interface RoundOptions extends CheckOptions {
  /** Edits the results before they are stored (`message` attaches its note); a throw ends the round unstored. */
  annotate?: (results: Result[]) => void;
  /**
   * The schedule's interval (ns), as `every` passes it. With auto shards it tells live nodes from
   * dead ones; a round without one (a one-off) runs every check.
   */
  interval?: Nanos;
}

export interface EveryOptions extends ScheduleOptions {
  /** Called after each round; `tick` says whether it started on schedule. */
  onRound?: (report: RoundReport, tick: Tick) => void;
  /** The Checkup for each round after the first, given the last one (a followed config, schedule/follow.ts); default the same. */
  next?: (current: Checkup, signal: AbortSignal) => Promise<Checkup>;
}

export interface LoadOptions {
  /** Where `${NAME}` references are read from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  warn?: (message: string) => void;
  /** A config without checkers is a ConfigError (default true); false for storage-only uses (serve, provision, summarize). */
  requireCheckers?: boolean;
  /** Wins over the config's `node` (`--node`, CHECKUP_NODE). */
  node?: string;
  shard?: Shard;
}
