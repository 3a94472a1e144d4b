/**
 * What every checker shares: the common fields, the loop over `attempts` with spacing and
 * timeouts, and checkup's verdict (conclude). A checker type adds only one attempt and, where it
 * has special rules (TLS expiry, exec `raise`), a judge().
 */
import { setTimeout as sleep } from "node:timers/promises";
import { formatGoDuration, MAX_TIMEOUT, MIN_TIMEOUT, type Nanos } from "../duration.js";
import { messageOf } from "../errors.js";
import { int, nanos, str, type Raw, type Scope } from "../config/fields.js";
import { nowUnixNanos } from "../nanos.js";
import { median } from "../result.js";
import { CHECK_LIMIT_MARGIN } from "./limit.js";
import { parseQuorum } from "../alerting/quorum-config.js";
import { newTraceId } from "./trace.js";
import { carryCheckerFields } from "./carried.js";
import type { CheckerType, CheckRun, Common, Outcome, Target, Verdict } from "../plugin-types.js";
import type { Attempt, Checker, PingStore, QuorumRule, Result } from "../types.js";

/**
 * What the attempts of one check share. The trace id is made when an attempt first asks for it
 * (checkers that send no trace pay nothing), and is then recorded in the result.
 */
class SharedRun implements CheckRun {
  #traceId: string | undefined;
  constructor(readonly pings?: PingStore) {}
  get traceId(): string {
    return (this.#traceId ??= newTraceId());
  }
  /** The trace id, if an attempt used one. */
  get usedTraceId(): string | undefined {
    return this.#traceId;
  }
}

/** More tries than this in one check is a typo, and would hold the round for minutes. */
const MAX_ATTEMPTS = 100;

export function parseCommon(raw: Raw, at: Scope, defaultTimeout: Nanos): Common {
  // 0 is Go's unset value, which checkup runs as 1 attempt.
  const attempts = int(raw, "attempts", at, { default: 1, min: 0, max: MAX_ATTEMPTS, note: "0 means 1" }) || 1;
  return {
    attempts,
    attemptSpacing: nanos(raw, "attempt_spacing", at, { default: 0, max: MAX_TIMEOUT }),
    thresholdRtt: nanos(raw, "threshold_rtt", at, { default: 0 }),
    allowedFailures: allowedFailures(raw, at, attempts),
    // nanos() reads 0 as unset: `timeout: 0` (Go's "none" for tls) gets the type's default.
    timeout: nanos(raw, "timeout", at, { default: defaultTimeout, min: MIN_TIMEOUT, max: MAX_TIMEOUT }),
    ttl: nanos(raw, "ttl", at, { default: 0 }),
    group: str(raw, "group", at, { example: "Payments" }),
    description: str(raw, "description", at, { example: "Card payments at checkout" }),
    quorum: parseQuorum(raw, at),
  };
}

function allowedFailures(raw: Raw, at: Scope, attempts: number): number {
  const failures = int(raw, "allowed_failures", at, { default: 0, min: 0, max: attempts - 1, note: "fewer than attempts" });
  // The bound depends on `attempts`, which a schema cannot compare with: only the outer bound is stated.
  at.describe("allowed_failures", { type: "integer", minimum: 0, maximum: MAX_ATTEMPTS - 1, description: "fewer than attempts" });
  return failures;
}

/** checkup's conclude(): any failure → down; median over threshold → degraded; else healthy. */
export function conclude(common: Common, outcomes: readonly Attempt[]): Verdict {
  const failed = outcomes.filter((o) => o.error).length;
  if (failed > common.allowedFailures || failed === outcomes.length) return { status: "down" };
  // With allowed failures, the failed attempts have no meaningful RTT: judge the answered ones.
  const rtts = outcomes.filter((o) => !o.error).map((o) => o.rtt);
  if (common.thresholdRtt > 0 && median(rtts) > common.thresholdRtt) {
    return {
      status: "degraded",
      notice: `median round trip time exceeded threshold (${formatGoDuration(common.thresholdRtt)})`,
    };
  }
  return { status: "healthy" };
}

/** A checker built from a type and its parsed options. */
export class ConfiguredChecker<O, D> implements Checker {
  readonly title: string;
  readonly endpoint: string;
  readonly ttl: Nanos;
  readonly group: string;
  readonly description: string;
  readonly quorum?: QuorumRule;
  /** Every attempt at its timeout, the spacing after each, and time to close and judge. */
  readonly limit: Nanos;

  /** Present only for a type judged from stored pings (see PingReader). */
  readonly pingKey?: string;

  constructor(readonly type: string, private readonly kind: CheckerType<O, D>, readonly options: O & Target & Common,
    private readonly pings?: PingStore) {
    this.title = options.title;
    this.endpoint = options.endpoint;
    this.ttl = options.ttl;
    this.group = options.group;
    this.description = options.description;
    if (options.quorum) this.quorum = options.quorum;
    this.limit = options.attempts * (options.timeout + options.attemptSpacing) + CHECK_LIMIT_MARGIN;
    if (kind.pingKey) this.pingKey = kind.pingKey(options);
  }

  /** This checker reading its pings from `pings` (the opened storage). */
  withPings(pings: PingStore): ConfiguredChecker<O, D> {
    return new ConfiguredChecker(this.type, this.kind, this.options, pings);
  }

  async check(signal?: AbortSignal): Promise<Result> {
    const o = this.options;
    let timestamp = nowUnixNanos();
    const outcomes: Outcome<D>[] = [];
    const run = new SharedRun(this.pings);
    for (let i = 0; i < o.attempts; i++) {
      signal?.throwIfAborted();
      const outcome = await this.attemptOnce(run, signal);
      outcomes.push(outcome);
      if (outcome.answered && o.attemptSpacing > 0 && i < o.attempts - 1) {
        await sleep(o.attemptSpacing / 1e6, undefined, { signal });
      }
    }
    // A round being abandoned must not produce a result that looks like an outage.
    signal?.throwIfAborted();
    if (this.kind.stampAfterAttempts) timestamp = nowUnixNanos();
    let verdict = conclude(o, outcomes);
    if (this.kind.judge) verdict = this.kind.judge(o, outcomes, verdict);
    const result: Result = {
      timestamp,
      times: outcomes.map(({ rtt, error }) => (error ? { rtt, error } : { rtt })),
      [verdict.status]: true,
    };
    if (o.title) result.title = o.title;
    if (o.endpoint) result.endpoint = o.endpoint;
    if (o.thresholdRtt) result.threshold = o.thresholdRtt;
    if (verdict.notice) result.notice = verdict.notice;
    if (verdict.certExpiry !== undefined) result.certExpiry = verdict.certExpiry;
    if (run.usedTraceId) result.traceId = run.usedTraceId;
    carryCheckerFields(result, this);
    return result;
  }

  private async attemptOnce(run: SharedRun, outer?: AbortSignal): Promise<Outcome<D>> {
    // A plain timer, cleared when the attempt ends: AbortSignal.timeout() would leave one pending
    // timer and weak reference per attempt behind, which costs a round of 1,000 checks dearly.
    const limit = new AbortController();
    const timer = setTimeout(() => limit.abort(), Math.ceil(this.options.timeout / 1e6));
    const signal = outer ? AbortSignal.any([outer, limit.signal]) : limit.signal;
    const started = performance.now();
    try {
      return await this.kind.attempt(this.options, signal, run);
    } catch (e) {
      outer?.throwIfAborted();
      const error = limit.signal.aborted ? `timed out after ${formatGoDuration(this.options.timeout)}` : messageOf(e);
      return { rtt: elapsedSince(started), error };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Nanoseconds since `started` (a performance.now() reading), as an integer. */
export function elapsedSince(started: number): Nanos {
  return Math.round((performance.now() - started) * 1e6);
}
