/**
 * What a plug-in file implements (CheckerType, StorageType, NotifierType, each the default export of
 * one file named in its family's registry) and what reading a config yields for the storage and the
 * notifiers (StorageSpec, NotifierSpec). The plug-ins and their machinery import these from here,
 * never back from a registry.
 */
import type { Raw, Scope } from "./config/fields.js";
import type { Nanos } from "./duration.js";
import type { Attempt, Notice, Notifier, PingStore, QuorumRule, Storage } from "./types.js";

// Checkers: one attempt each; lib/checking/attempts.ts loops and judges.

/** Who a checker targets, as shown in results. */
export interface Target {
  title: string;
  endpoint: string;
}

/** Fields every checker accepts. Integer ns for durations. */
export interface Common {
  /** Tries per check, 1 to 100 (0 → 1, as in checkup). */
  attempts: number;
  /** Pause after an attempt that got an answer, before the next. */
  attemptSpacing: Nanos;
  /** Median RTT above this marks the result degraded; 0 = off. */
  thresholdRtt: Nanos;
  /** Failed attempts tolerated before the result is down (checkup#161); 0 = checkup's rule. */
  allowedFailures: number;
  /** Per-attempt limit: connect, answer and any body read. Always > 0 (`0` in a config = the type's default). */
  timeout: Nanos;
  /** How long `serve` and the health handler reuse a live result; 0 = their defaults. */
  ttl: Nanos;
  /** The status page section the check is shown in; "" = none. Stored in its results. */
  group: string;
  /** What the check watches, in a sentence for the page and `/api/checks` (poucave's); "" = none. Stored in its results. */
  description: string;
  /** How the nodes of a fleet agree on its status (its own `quorum`, else the top level's); absent = none. */
  quorum?: QuorumRule;
}

/** One attempt's outcome: checkup's Attempt, plus what a judge needs and whether it was answered. */
export interface Outcome<D = undefined> extends Attempt {
  /** The target answered (spacing applies only then, as in checkup). */
  answered?: boolean;
  detail?: D;
}

export interface Verdict {
  status: "healthy" | "degraded" | "down";
  notice?: string;
  /** Extension: the TLS certificate's expiry, Unix seconds (see Result.certExpiry). */
  certExpiry?: number;
}

/** What the attempts of one check share (lib/checking/attempts.ts makes one per check). */
export interface CheckRun {
  /** The check's W3C trace id, 32 hex digits; asking for it records it in the result. */
  readonly traceId: string;
  /** The storage's pings, for a type with pingKey once Checkup has bound it (undefined before). */
  readonly pings?: PingStore;
}

export interface CheckerType<O, D = undefined> {
  /** Per-attempt timeout when the config sets none (or 0, as Go configs may). Integer ns, > 0: no attempt is unbounded. */
  defaultTimeout: Nanos;
  /** The key that holds the title; default `endpoint_name` (checkup's exec says `name`). */
  titleKey?: string;
  /** Reads this type's own fields. Runs once, at load time. */
  parse(raw: Raw, at: Scope): O & Target;
  /**
   * One try. A down target is data ({ error }), not an exception. `run` is shared by the check's
   * attempts: its trace id, and the storage's pings for a type with pingKey.
   */
  attempt(o: O & Common, signal: AbortSignal, run: CheckRun): Promise<Outcome<D>>;
  /** A type judged from pings the storage keeps (heartbeat): the key its pings are kept under. */
  pingKey?(o: O): string;
  /** Type-specific rules applied after checkup's generic verdict. */
  judge?(o: O & Common, outcomes: Outcome<D>[], verdict: Verdict): Verdict;
  /** Take the result timestamp after the attempts instead of before (checkup's tls does). */
  stampAfterAttempts?: boolean;
}

// Storages.

export interface StorageType<O> {
  /** Reads this type's fields. Pure: validating a config never loads an SDK or opens a connection. */
  parse(raw: Raw, at: Scope): O;
  /** Builds the storage. Heavy SDKs are imported here, not at module load. */
  create(options: O): Promise<Storage>;
  /** Its storages are PingStores (heartbeat pings), known before one is opened so a config can be checked. */
  keepsPings?: boolean;
  /** Its storages are SharedStores (alert state shared by the nodes of a fleet, for `quorum`). */
  sharesState?: boolean;
  /** Its storages are NodeRegistries (`"shards": {"mode": "auto"}`). */
  registersNodes?: boolean;
}

/** A storage config that was read and checked, ready to open. */
export interface StorageSpec {
  type: string;
  /** Stable across runs while its config is unchanged (type and a hash of the options): keys its spool. */
  id: string;
  keepsPings: boolean;
  sharesState: boolean;
  registersNodes: boolean;
  open(): Promise<Storage>;
}

// Notifiers: format is pure, send is separate; lib/alerting/ decides when.

export interface NotifierType<O, P = unknown> {
  /** Reads this type's fields. Pure: nothing is loaded or contacted. */
  parse(raw: Raw, at: Scope): O;
  /** "run": one message lists all of a run's events (mail); "event" (default): one message each. */
  batch?: "run" | "event";
  /** false when the service has no use for a digest (PagerDuty). */
  digest?: boolean;
  /** Pure: the request body or mail for a notice, tested byte for byte. */
  format(notice: Notice, options: O): P;
  /** Delivers one payload; rejects with a short reason that holds no secret. */
  send(payload: P, options: O, signal: AbortSignal): Promise<void>;
}

/** A notifier config that was read and checked. */
export interface NotifierSpec {
  type: string;
  /** Where it sits in the config, e.g. `notifiers[1]`, for log lines. */
  path: string;
  /** Takes digests (`"digest": true`). */
  digest: boolean;
  open(): Promise<Notifier>;
}
