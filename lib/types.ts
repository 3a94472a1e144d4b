/**
 * The shapes that flow through checkup: config → checkers → results → storage / notifiers.
 * Field names follow the JSON checkup stores (see result.ts for the exact wire format).
 */
import type { Nanos } from "./duration.js";
import type { UnixNanos } from "./nanos.js";

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
  /** Extension (JSON `description`, Go readers ignore it): the checker's `description`. Absent when none. */
  description?: string;
  /**
   * Extension (JSON `quorum`, Go readers ignore it): the checker's quorum rule, `{"down", "of",
   * "window"}` (window in integer ns), so every reader of stored rounds (the page, summaries, `serve`)
   * combines the nodes' results as the alerts do. Absent when it has none.
   */
  quorum?: QuorumRule;
  /**
   * Extension (JSON `trace_id`, Go readers ignore it): the W3C trace id the check's requests
   * carried in `traceparent`, 32 hex digits, to find them in the target's logs. Set by `http`.
   */
  traceId?: string;
  /** Extension (JSON `node`, Go readers ignore it): the node that ran the check (fleet/node.ts). */
  node?: string;
}

/** Anything that can produce a Result: a configured checker, or one a program builds itself. */
export interface Checker {
  readonly type: string;
  readonly title: string;
  readonly endpoint: string;
  /** The status page section the check is shown in (config `group`); absent or "" = none. */
  readonly group?: string;
  /** What the check watches, in a sentence (config `description`); absent or "" = none. */
  readonly description?: string;
  /** How long `serve` and the health handler reuse a live result (integer ns); 0 or absent = their defaults. */
  readonly ttl?: Nanos;
  /**
   * The most one check() may take (integer ns): past it the round records the check as down and
   * aborts its signal. Absent or 0: one minute (DEFAULT_CHECK_LIMIT in checking/limit.ts).
   */
  readonly limit?: Nanos;
  /** How the nodes of a fleet agree on its status (config `quorum`); absent = each node alone, as checkup. */
  readonly quorum?: QuorumRule;
  check(signal?: AbortSignal): Promise<Result>;
}

/** The fleet verdict's rule (`"quorum": {"down": 2, "of": 3, "window": "3m"}`; docs/multi-node.md). */
export interface QuorumRule {
  /** Nodes that must say down (or at least degraded) for the check to be. */
  down: number;
  /** Nodes expected to report the check. */
  of: number;
  /** A node's observation older than this no longer counts (the node is taken to be gone). Integer ns. */
  window: Nanos;
  /** Where the rule was configured (`quorum`, `checkers[2].quorum`), for messages. */
  at?: string;
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

/** What one round did: its results, and how storing and maintenance went. */
export interface RoundReport {
  startedAt: UnixNanos;
  /** The whole round: checks, storing, expiry and queueing notifications. Ms. */
  durationMs: number;
  /** The part of durationMs spent storing the round and removing expired ones. Ms; 0 when the checks failed. */
  storeMs: number;
  /** Empty when the checks themselves failed or were abandoned. */
  results: Result[];
  counts: Record<Status, number>;
  /** The stored name, when storing worked. */
  stored?: string;
  /** Rounds removed as expired. */
  removed: number;
  /** What went wrong: the checks, storing (the round is then in the spool) or maintenance. */
  failure?: unknown;
  /** The round was abandoned (its signal aborted) before its checks finished. */
  abandoned?: boolean;
  /** With auto shards: which of the checks this node ran (fleet/auto-shards.ts). */
  shards?: Ownership;
}

/** A node's share of the checks under auto shards, as decided at the start of a round. */
export interface Ownership {
  /** Checks this node ran, of `of` configured. */
  owned: number;
  of: number;
  /** Live nodes the checks were shared among; 0 when the registry did not answer (then every check ran). */
  liveNodes: number;
  /** Differs from the previous round's share (always true for a node's first round). */
  changed: boolean;
}

/** A heartbeat's latest sign of life: a job's `GET|POST /api/push/<token>` or `checkup ping`. */
export interface Ping {
  /** When it arrived. */
  at: UnixNanos;
  /** The job's exit status: 0 = it worked; anything else makes the heartbeat down at once. */
  status: number;
  /** What the job sent along (a POST body, `--message`), at most 10 KB (MAX_PING_MESSAGE_BYTES in ping.ts). */
  message?: string;
}

/**
 * A storage that keeps each heartbeat's latest ping, so a cron-run checkup on any node judges it.
 * `key` is the token's hash (pingKey in ping.ts), never the token: stored data holds no secret.
 */
export interface PingStore {
  recordPing(key: string, ping: Ping): Promise<void>;
  lastPing(key: string): Promise<Ping | undefined>;
}

export function isPingStore(s: Storage): s is Storage & PingStore {
  return typeof (s as Partial<PingStore>).recordPing === "function" &&
    typeof (s as Partial<PingStore>).lastPing === "function";
}

/** A checker judged from the pings a storage keeps (heartbeat). Checkup binds it to its opened storage. */
export interface PingReader {
  /** The hash its pings are kept under: matched against a presented token's hash, never the token. */
  readonly pingKey: string;
  /** The same checker, reading its pings from `pings`. */
  withPings(pings: PingStore): Checker;
}

export function isPingReader(c: Checker): c is Checker & PingReader {
  return typeof (c as Partial<PingReader>).pingKey === "string" &&
    typeof (c as Partial<PingReader>).withPings === "function";
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

/**
 * A storage the nodes of a fleet share small documents through (the alert state under `quorum`),
 * each changed by one node at a time: under a lock or a transaction (fs, SQL), or by
 * compare-and-swap retried on conflict (S3 ETags, GitHub blob shas).
 */
export interface SharedStore {
  /** Document `name` as last written; undefined when there is none. */
  readShared(name: string): Promise<string | undefined>;
  /**
   * Replaces document `name` with what `update` makes of the current text (undefined: none yet),
   * atomically against every other node and process. `update` may run more than once (after a
   * conflict), so it must not act on the world: act on its resolved `value` afterwards.
   */
  updateShared<T>(name: string, update: (current: string | undefined) => Promise<SharedUpdate<T>>): Promise<T>;
}

export interface SharedUpdate<T> {
  text: string;
  value: T;
}

export function isSharedStore(s: Storage): s is Storage & SharedStore {
  return typeof (s as Partial<SharedStore>).updateShared === "function" &&
    typeof (s as Partial<SharedStore>).readShared === "function";
}

/** A node of a fleet, as its heartbeat records it (`"shards": {"mode": "auto"}`). */
export interface NodeBeat {
  /** The node's name (`--node`). */
  node: string;
  /** This process's random id: two live processes with one name are told apart by it. */
  instance: string;
  /** When it last beat, by the registry's clock. */
  at: UnixNanos;
}

/** A storage nodes register in, so they can share the checks among those alive (auto shards). */
export interface NodeRegistry {
  /**
   * Records that `self` beats now, forgets nodes silent for longer than `forgetAfter`, and returns
   * every node that beat within `aliveFor` (both ns), `self` included. "Now" is the registry's
   * clock, one for every node, so the nodes' own clocks need not agree.
   */
  heartbeat(self: Omit<NodeBeat, "at">, aliveFor: Nanos, forgetAfter: Nanos): Promise<NodeBeat[]>;
  /** Deletes `self`'s beats (a node stopping), so the others take its checks from their next round. */
  leave(self: Omit<NodeBeat, "at">): Promise<void>;
}

export function isNodeRegistry(s: Storage): s is Storage & NodeRegistry {
  return typeof (s as Partial<NodeRegistry>).heartbeat === "function" && typeof (s as Partial<NodeRegistry>).leave === "function";
}

/** Where summary files live: names are relative to the `summaries/` folder. */
export interface SummaryBlobs {
  get(name: string): Promise<string | undefined>;
  /** Replaces a blob whole: a reader sees the old or the new text, never a mix. */
  put(name: string, text: string): Promise<void>;
  remove(name: string): Promise<void>;
  list(): Promise<string[]>;
  /** Runs `work` while no other writer (thread, process or node) updates these summaries. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

// What notifiers are told, and how they are told it.

/** alert: healthy → unhealthy; reminder: still unhealthy after `renotify`; recovered: healthy again. */
export type AlertKind = "alert" | "reminder" | "recovered";

/** One thing to tell people about one check. Built by state.ts only. */
export interface AlertEvent {
  kind: AlertKind;
  /** The check's identity across runs (lib/check-key.ts), or the key its alert went out under. */
  key: string;
  title: string;
  endpoint: string;
  /** The status now ("healthy" for a recovery). */
  status: Status;
  /** For a recovery: the status the check recovered from. */
  previous?: Status;
  /** The first attempt error, or the notice, of the run that raised the event. */
  reason?: string;
  /** When the event was decided. */
  at: UnixNanos;
  /** When the outage began (its first unhealthy run). */
  since: UnixNanos;
  /** How long the outage lasted (recovered) or has lasted so far (alert, reminder). Integer ns. */
  duration: Nanos;
}

/** A status change, kept for the digest. */
export interface Incident {
  title: string;
  endpoint: string;
  status: Status;
  previous?: Status;
  at: UnixNanos;
}

/** The summary report: where things stand now, and what changed since the last one. */
export interface Digest {
  at: UnixNanos;
  /** The previous digest, if any. */
  since?: UnixNanos;
  checks: { title: string; endpoint: string; status: Status; since: UnixNanos; reason?: string }[];
  incidents: Incident[];
}

/** What a notifier formats: some of one run's events, or a digest. */
export type Notice = { kind: "events"; events: AlertEvent[] } | { kind: "digest"; digest: Digest };

/** When a notifier speaks up. Read from the notifier's own config object. */
export interface AlertPolicy {
  /** Consecutive unhealthy runs before alerting (gatus's failure-threshold). */
  failureThreshold: number;
  /** Consecutive healthy runs before the recovery is announced. */
  successThreshold: number;
  /** Remind every this long while still unhealthy. Integer ns; 0 = never. */
  renotify: Nanos;
  /** Also receives digests. */
  digest: boolean;
  /** Per delivery try. Integer ns. */
  timeout: Nanos;
}

/** A configured notifier, ready to deliver. Programs may build their own. */
export interface Notifier {
  readonly type: string;
  /** Stable across runs while its config is unchanged: keys its alert state. */
  readonly id: string;
  readonly policy: AlertPolicy;
  readonly batch: "run" | "event";
  deliver(notice: Notice, signal: AbortSignal): Promise<void>;
}
