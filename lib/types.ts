/**
 * The shapes that flow through checkup: config → checkers → results → storage / notifiers.
 * Field names follow the JSON checkup stores (see result.ts for the exact wire format).
 */
import type { Nanos } from "./duration.js";
import type { UnixNanos } from "./nanos.js";
import type { SummaryBlobs } from "./summary/writer.js";

export type { Nanos, UnixNanos };

/** One try at a target. `rtt` is always present (0 when nothing was measured). */
export interface Attempt {
  rtt: Nanos;
  error?: string;
}

export type Status = "healthy" | "degraded" | "down" | "unknown";

/** The outcome of one checker in one round, exactly the object checkup stores. */
export interface Result {
  title?: string;
  endpoint?: string;
  /** When the check ran (or the config's `timestamp`). */
  timestamp: UnixNanos;
  times: Attempt[];
  /** The configured `threshold_rtt`; absent when 0. */
  threshold?: Nanos;
  healthy?: boolean;
  degraded?: boolean;
  down?: boolean;
  /** Why the result is degraded (threshold, certificate expiry, exec `raise: warn`). */
  notice?: string;
  /** An operator's note posted with `checkup message`; may hold simple HTML. */
  message?: string;
  /** The check was inside a maintenance window: no alert went out (extension; checkup ignores it). */
  maintenance?: boolean;
  /**
   * Extension (JSON `cert_expiry`, Go readers ignore it): when the TLS certificate seen expires,
   * in Unix seconds. The earliest over the attempts; set by the `tls` checker.
   */
  certExpiry?: number;
  /**
   * Extension (JSON `group`, Go readers ignore it): the checker's `group`, so every reader of
   * stored rounds (summaries, their backfill, `serve` over SQL) knows it. Absent when none.
   */
  group?: string;
}

/** Anything that can produce a Result: a configured checker, or one a program builds itself. */
export interface Checker {
  readonly type: string;
  readonly title: string;
  readonly endpoint: string;
  /** The status page section the check is shown in (config `group`); absent or "" = none. */
  readonly group?: string;
  /** How long `serve` and the health handler reuse a live result (integer ns); 0 or absent = their defaults. */
  readonly ttl?: Nanos;
  /**
   * The most one check() may take (integer ns): past it the round records the check as down and
   * aborts its signal. Absent or 0: one minute (DEFAULT_CHECK_LIMIT in checking/limit.ts).
   */
  readonly limit?: Nanos;
  check(signal?: AbortSignal): Promise<Result>;
}

/** Filename → when it was stored. Keys are kept as strings, values as exact ns. */
export type StoreIndex = Map<string, UnixNanos>;

/** Where rounds go. `store` returns the name it stored under (e.g. `<ns>-check.json`). */
export interface Storage {
  readonly type: string;
  /** Stores one round. `at` names it (default: now); replayed rounds keep their original time. */
  store(results: Result[], at?: UnixNanos): Promise<string>;
  /** Releases connections or handles, if the storage holds any. */
  close?(): Promise<void>;
}

/** A storage the status page and `serve` can read back. */
export interface StorageReader {
  index(): Promise<StoreIndex>;
  fetch(name: string): Promise<Result[]>;
}

/** A storage that can delete what is older than its `check_expiry`. */
export interface Maintainer {
  maintain(now: UnixNanos): Promise<{ removed: string[] }>;
}

export function isStorageReader(s: Storage): s is Storage & StorageReader {
  return typeof (s as Partial<StorageReader>).index === "function" &&
    typeof (s as Partial<StorageReader>).fetch === "function";
}

export function isMaintainer(s: Storage): s is Storage & Maintainer {
  return typeof (s as Partial<Maintainer>).maintain === "function";
}

/** What `provision` made: an IAM user whose key the status page may hold (checkup's ProvisionInfo). */
export interface ProvisionInfo {
  userId: string;
  username: string;
  publicAccessKeyId: string;
  /** The secret half of the key. Shown once; never logged. */
  publicAccessKey: string;
}

export interface ProvisionOptions {
  /** Name of the IAM user to create (default `checkup-monitor-s3-public`, as checkup). */
  username?: string;
  /** An IAM-compatible server's URL ("" = AWS IAM). */
  iamEndpoint?: string;
  /** Where warnings go (a step that could not be undone). */
  warn?: (message: string) => void;
  /** Called once the storage can provision, before its first request (the CLI prints `One sec...`). */
  onStart?: () => void;
}

/** A storage that can create what a public status page needs: the bucket and a read-only key. */
export interface Provisioner {
  provision(options?: ProvisionOptions): Promise<ProvisionInfo>;
}

export function isProvisioner(s: Storage): s is Storage & Provisioner {
  return typeof (s as Partial<Provisioner>).provision === "function";
}

/** A storage that keeps the status page's summaries and can write them for rounds stored before. */
export interface Summarizer {
  /** Summarizes every stored round not yet summarized; returns how many rounds the store holds. */
  summarize(): Promise<number>;
  /** Where it keeps them, for readers (`checkup serve`); undefined when they are off. */
  summaries(): SummaryBlobs | undefined;
}

export function isSummarizer(s: Storage): s is Storage & Summarizer {
  return typeof (s as Partial<Summarizer>).summarize === "function";
}
