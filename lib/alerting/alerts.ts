/**
 * Runs the notifiers for a round: asks state.ts what is due, records it, and hands it to the
 * outbox, which delivers beside the schedule (each notifier in its own queue, with retries and
 * backoff); whatever could not be delivered is kept for the next run. A failing notifier is
 * logged with its type and reason; it never blocks a round, the other notifiers, or the state.
 */
import type { Nanos } from "../duration.js";
import { messageOf, UsageError } from "../errors.js";
import { nowUnixNanos, type UnixNanos } from "../nanos.js";
import type { Result, StorageReader, AlertEvent, Notice, Notifier } from "../types.js";
import { inMaintenance, type MaintenanceWindow } from "./maintenance.js";
import { Outbox, type Outcome } from "./outbox.js";
import { advanceFleet, type FleetAlerts } from "./quorum.js";
import { advance, claim, digested, digestOf, emptyState, release, seedFromRound, type Advance, type AlertState } from "./state.js";
import { StateStore } from "./state-file.js";

export interface AlertsOptions {
  notifiers: Notifier[];
  maintenance?: MaintenanceWindow[];
  /** Alert state shared by separate runs; undefined = this process's memory only. Unused under `fleet`. */
  stateFile?: string;
  /** Set under `quorum` or auto shards: the state lives in the shared store and alerts follow the fleet's verdict. */
  fleet?: FleetAlerts;
  /** Send a digest with the first round after this long. Integer ns; 0 = only on request. */
  digestEvery?: Nanos;
  /** Where the last stored round is read from when there is no state yet. */
  reader?: StorageReader;
  warn: (message: string) => void;
  now?: () => UnixNanos;
  /** Pauses before each retry, ms. Default 1 s, then 3 s (three tries in all). */
  retryDelaysMs?: readonly number[];
}

export interface Deliveries {
  /** Events delivered, over all notifiers. */
  delivered: number;
  /** Events kept for the next run. */
  kept: number;
}

export class Alerts {
  private readonly state: StateStore;
  private readonly now: () => UnixNanos;
  private readonly outbox: Outbox;
  /** Since the last settle(). */
  private finished: Deliveries = { delivered: 0, kept: 0 };

  constructor(private readonly o: AlertsOptions) {
    this.state = new StateStore(o.fleet?.store ?? o.stateFile, o.warn);
    this.now = o.now ?? nowUnixNanos;
    this.outbox = new Outbox(o.retryDelaysMs ?? [1000, 3000]);
  }

  /** Marks results of checks inside a maintenance window, so the stored round shows it. */
  mark(results: Result[], now = this.now()): void {
    for (const r of results) if (inMaintenance(this.o.maintenance ?? [], r, now)) r.maintenance = true;
  }

  /**
   * Decides and records what this round makes due, in round order, and queues its delivery; it
   * does not wait for the notifiers (settle() does). `interval`: that of `every` (ns), if the
   * round is one of its. Resolves with the number of events queued.
   */
  async round(results: readonly Result[], startedAt?: UnixNanos, interval?: Nanos): Promise<number> {
    if (this.o.notifiers.length === 0) return 0;
    const { claimed, digest } = await this.state.update(async (current) => {
      const now = this.now();
      const { state, due } = this.decide(current ?? await this.seed(startedAt), results, now, this.o.notifiers, interval);
      // Recorded as pending before delivery: a crash mid-send repeats an alert rather than losing it.
      const claimed = this.o.notifiers.map((n) => claim(state, n.id, due.get(n.id) ?? [], now, (count) => this.lapse(n, count, now)));
      const digest = this.digestDue(state, now);
      return { state: digest ? digested(state, now) : state, value: { claimed, digest } };
    });
    this.o.notifiers.forEach((n, i) => this.queueEvents(n, claimed[i]!));
    if (digest) this.queueDigest(digest);
    return claimed.reduce((sum, events) => sum + events.length, 0);
  }

  /** What the round makes due: from this node's results, or in a fleet from its combined ones. */
  private decide(prev: AlertState, results: readonly Result[], now: UnixNanos, notifiers: readonly Notifier[], interval: Nanos | undefined): Advance {
    const quiet = (r: Result) => r.maintenance === true || inMaintenance(this.o.maintenance ?? [], r, now);
    const fleet = this.o.fleet;
    return fleet ? advanceFleet(prev, fleet.node, results, (key) => fleet.ruleOf(key, interval), notifiers, now, quiet)
      : advance(prev, results, notifiers, now, quiet);
  }

  /**
   * Waits for queued deliveries, at most `waitMs` (default: the longest one delivery may take, and
   * a second, so a last try that runs out its timeout is reported as failed, not interrupted);
   * what is still unsent then is interrupted and stays pending in the state, for the next run.
   * Resolves with what was delivered and kept since the last settle().
   */
  async settle(waitMs = Math.max(0, ...this.o.notifiers.map((n) => this.outbox.boundMs(n))) + 1000): Promise<Deliveries> {
    await this.outbox.settle(waitMs);
    const finished = this.finished;
    this.finished = { delivered: 0, kept: 0 };
    return finished;
  }

  /**
   * Records a round that tells no one (`checkup message`): statuses and streaks move on, open
   * alerts stay as they are, so the next notifying run still alerts for this outage.
   */
  observe(results: readonly Result[], startedAt?: UnixNanos, interval?: Nanos): Promise<void> {
    if (this.o.notifiers.length === 0) return Promise.resolve();
    return this.state.update(async (current) => {
      const prev = current ?? await this.seed(startedAt);
      const { state } = this.decide(prev, results, this.now(), [], interval);
      return { state: { ...state, notifiers: prev.notifiers }, value: undefined };
    });
  }

  /** Sends the digest now to the notifiers that asked for it (`"digest": true`). */
  async digest(): Promise<string[]> {
    const targets = this.o.notifiers.filter((n) => n.policy.digest);
    if (targets.length === 0) throw new UsageError("no notifier takes digests: add \"digest\": true to a notifier in checkup.json");
    const now = this.now();
    const { state: seen, seeded } = await this.state.update(async (current) => ({ value: { state: current ?? await this.seed(), seeded: !current } }));
    const notice: Notice = { kind: "digest", digest: digestOf(seen, now) };
    const outcomes = await Promise.all(targets.map((n) => this.outbox.send(n, notice)));
    targets.forEach((n, i) => this.digestFailed(n, outcomes[i]));
    const told = targets.filter((_, i) => outcomes[i] === undefined).map((n) => n.type);
    if (told.length === 0) throw new Error("the digest could not be delivered by any notifier");
    // Incidents recorded while it was sent stay for the next digest.
    await this.state.update(async (current) => ({ state: digested(current ?? (seeded ? seen : emptyState()), now), value: undefined }));
    return told;
  }

  private digestDue(state: AlertState, now: UnixNanos): Notice | undefined {
    const every = this.o.digestEvery ?? 0;
    if (every <= 0 || !this.o.notifiers.some((n) => n.policy.digest)) return undefined;
    if (state.digestAt === undefined) {
      state.digestAt = now; // the first period starts with the first round
      return undefined;
    }
    return Number(now - state.digestAt) >= every ? { kind: "digest", digest: digestOf(state, now) } : undefined;
  }

  /**
   * The state before any was kept: rebuilt from the last round stored before this one started.
   * Rounds stored since (this one, or a racing run's) say nothing about what was alerted before.
   */
  private async seed(before?: UnixNanos): Promise<AlertState> {
    // A fleet's stored rounds are single nodes' views: one node's outage was never the fleet's alert.
    if (!this.o.reader || this.o.fleet) return emptyState();
    try {
      const last = await lastStoredRound(this.o.reader, before);
      return last ? seedFromRound(last, this.o.notifiers) : emptyState();
    } catch (e) {
      this.o.warn(`cannot read the last stored round for alert state: ${messageOf(e)}`);
      return emptyState();
    }
  }

  /** Until when a claim on `count` events for `n` holds: the worst case for them and all queued before. */
  private lapse(n: Notifier, count: number, now: UnixNanos): UnixNanos {
    const notices = (n.batch === "run" ? Math.min(count, 1) : count) + this.outbox.depth(n) + 1; // +1: slack
    return now + BigInt(Math.ceil(this.outbox.boundMs(n) * notices)) * 1_000_000n;
  }

  /** Queues events in order: one notice for the lot (batch "run") or one each. */
  private queueEvents(n: Notifier, events: AlertEvent[]): void {
    const groups = n.batch === "run" ? (events.length > 0 ? [events] : []) : events.map((e) => [e]);
    for (const group of groups) this.outbox.push(n, { kind: "events", events: group }, (outcome) => this.finish(n, group, outcome));
  }

  /** A delivery ended: delivered events leave the state; the others give up their claim and wait for the next run. */
  private async finish(n: Notifier, events: AlertEvent[], outcome: Outcome): Promise<void> {
    if (outcome === undefined) this.finished.delivered += events.length;
    else {
      this.finished.kept += events.length;
      this.o.warn(`notifier ${n.type}: ${outcome}; ${events.length} event${events.length === 1 ? "" : "s"} kept for the next run`);
    }
    await this.state.update(async (current) => {
      if (!current) return { value: undefined };
      const state = structuredClone(current);
      release(state, n.id, events, outcome === undefined);
      return { state, value: undefined };
    }).catch((e: unknown) => this.o.warn(`cannot update alert state: ${messageOf(e)}`));
  }

  /** Digests are not kept: the next one covers the same incidents. */
  private queueDigest(notice: Notice): void {
    for (const n of this.o.notifiers.filter((t) => t.policy.digest)) this.outbox.push(n, notice, async (outcome) => this.digestFailed(n, outcome));
  }

  private digestFailed(n: Notifier, outcome: Outcome): void {
    if (outcome !== undefined) this.o.warn(`notifier ${n.type}: digest not sent: ${outcome}`);
  }
}

/** The most recently stored round, or undefined when nothing is stored. */
export async function lastStoredRound(reader: StorageReader, before?: UnixNanos): Promise<Result[] | undefined> {
  let latest: [string, UnixNanos] | undefined;
  for (const entry of await reader.index()) {
    if ((before === undefined || entry[1] < before) && (!latest || entry[1] > latest[1])) latest = entry;
  }
  return latest && reader.fetch(latest[0]);
}
