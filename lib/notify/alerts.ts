/**
 * Runs the notifiers for a round: asks state.ts what is due, records it, delivers it (each
 * notifier on its own, with retries and backoff), and keeps whatever could not be delivered for
 * the next run. A failing notifier is logged with its type and reason; it never blocks storing,
 * the other notifiers, or the alert state.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Nanos } from "../duration.js";
import { messageOf, UsageError } from "../errors.js";
import { nowUnixNanos, type UnixNanos } from "../nanos.js";
import type { Result, StorageReader } from "../types.js";
import type { AlertEvent, Notice, Notifier } from "./index.js";
import { inMaintenance, type MaintenanceWindow } from "./maintenance.js";
import { advance, digested, digestOf, emptyState, seedFromRound, settle, type AlertState } from "./state.js";
import { StateStore } from "./state-file.js";

export interface AlertsOptions {
  notifiers: Notifier[];
  maintenance?: MaintenanceWindow[];
  /** Alert state shared by separate runs; undefined = this process's memory only. */
  stateFile?: string;
  /** Send a digest with the first round after this long. Integer ns; 0 = only on request. */
  digestEvery?: Nanos;
  /** Where the last stored round is read from when there is no state yet. */
  reader?: StorageReader;
  warn: (message: string) => void;
  now?: () => UnixNanos;
  /** Pauses before each retry, ms. Default 1 s, then 3 s (three tries in all). */
  retryDelaysMs?: readonly number[];
}

export interface RoundOutcome {
  /** Events delivered, over all notifiers. */
  delivered: number;
  /** Events kept for the next run. */
  kept: number;
}

export class Alerts {
  private readonly state: StateStore;
  private readonly now: () => UnixNanos;
  private readonly delays: readonly number[];

  constructor(private readonly o: AlertsOptions) {
    this.state = new StateStore(o.stateFile, o.warn);
    this.now = o.now ?? nowUnixNanos;
    this.delays = o.retryDelaysMs ?? [1000, 3000];
  }

  /** Marks results of checks inside a maintenance window, so the stored round shows it. */
  mark(results: Result[], now = this.now()): void {
    for (const r of results) if (inMaintenance(this.o.maintenance ?? [], r, now)) r.maintenance = true;
  }

  /**
   * Decides, records and delivers what this round makes due. Aborting `signal` (every's stop)
   * ends deliveries early; what was not delivered stays recorded for the next run.
   */
  round(results: readonly Result[], signal?: AbortSignal, startedAt?: UnixNanos): Promise<RoundOutcome> {
    if (this.o.notifiers.length === 0) return Promise.resolve({ delivered: 0, kept: 0 });
    return this.state.with(async (current, save) => {
      const now = this.now();
      const quiet = (r: Result) => r.maintenance === true || inMaintenance(this.o.maintenance ?? [], r, now);
      const { state, due } = advance(current ?? await this.seed(startedAt), results, this.o.notifiers, now, quiet);
      // Recorded as pending before delivery: a crash mid-send repeats an alert rather than losing it.
      for (const [id, events] of due) settle(state, id, events);
      const digest = this.digestDue(state, now);
      const next = digest ? digested(state, now) : state;
      await this.save(save, next);
      const kept = await Promise.all(this.o.notifiers.map((n) => this.deliverEvents(n, due.get(n.id) ?? [], signal)));
      this.o.notifiers.forEach((n, i) => settle(next, n.id, kept[i]!));
      if (digest) await this.sendDigest(digest);
      await this.save(save, next);
      const total = [...due.values()].reduce((sum, events) => sum + events.length, 0);
      const keptCount = kept.reduce((sum, events) => sum + events.length, 0);
      return { delivered: total - keptCount, kept: keptCount };
    });
  }

  /**
   * Records a round that tells no one (`checkup message`): statuses and streaks move on, open
   * alerts stay as they are, so the next notifying run still alerts for this outage.
   */
  observe(results: readonly Result[], startedAt?: UnixNanos): Promise<void> {
    if (this.o.notifiers.length === 0) return Promise.resolve();
    return this.state.with(async (current, save) => {
      const prev = current ?? await this.seed(startedAt);
      const { state } = advance(prev, results, [], this.now());
      await this.save(save, { ...state, notifiers: prev.notifiers });
    });
  }

  /** Sends the digest now to the notifiers that asked for it (`"digest": true`). */
  digest(): Promise<string[]> {
    const targets = this.o.notifiers.filter((n) => n.policy.digest);
    if (targets.length === 0) throw new UsageError("no notifier takes digests: add \"digest\": true to a notifier in checkup.json");
    return this.state.with(async (current, save) => {
      const now = this.now();
      const state = current ?? await this.seed();
      const told = await this.sendDigest({ kind: "digest", digest: digestOf(state, now) });
      if (told.length === 0) throw new Error("the digest could not be delivered by any notifier");
      await this.save(save, digested(state, now));
      return told;
    });
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
    if (!this.o.reader) return emptyState();
    try {
      const last = await lastStoredRound(this.o.reader, before);
      return last ? seedFromRound(last, this.o.notifiers) : emptyState();
    } catch (e) {
      this.o.warn(`cannot read the last stored round for alert state: ${messageOf(e)}`);
      return emptyState();
    }
  }

  private async save(save: (s: AlertState) => Promise<void>, state: AlertState): Promise<void> {
    await save(state).catch((e: unknown) => this.o.warn(`cannot save alert state: ${messageOf(e)}; kept in memory`));
  }

  /** Delivers events in order; returns those that failed. */
  private async deliverEvents(n: Notifier, events: AlertEvent[], signal?: AbortSignal): Promise<AlertEvent[]> {
    const groups = n.batch === "run" ? (events.length > 0 ? [events] : []) : events.map((e) => [e]);
    const failed: AlertEvent[] = [];
    for (const group of groups) {
      const error = await this.send(n, { kind: "events", events: group }, signal);
      if (error === undefined) continue;
      failed.push(...group);
      this.o.warn(`notifier ${n.type}: ${error}; ${group.length} event${group.length === 1 ? "" : "s"} kept for the next run`);
    }
    return failed;
  }

  private async sendDigest(notice: Notice): Promise<string[]> {
    const targets = this.o.notifiers.filter((n) => n.policy.digest);
    const errors = await Promise.all(targets.map((n) => this.send(n, notice)));
    targets.forEach((n, i) => errors[i] !== undefined && this.o.warn(`notifier ${n.type}: digest not sent: ${errors[i]}`));
    return targets.filter((_, i) => errors[i] === undefined).map((n) => n.type);
  }

  /** One notice with retries; the reason it failed, or undefined once delivered. */
  private async send(n: Notifier, notice: Notice, stop?: AbortSignal): Promise<string | undefined> {
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(Math.max(1, Math.round(n.policy.timeout / 1e6)));
      try {
        await n.deliver(notice, stop ? AbortSignal.any([stop, timeout]) : timeout);
        return undefined;
      } catch (e) {
        if (stop?.aborted) return "delivery interrupted (stopping)";
        if (attempt >= this.delays.length) return `delivery failed after ${attempt + 1} tries: ${messageOf(e)}`;
        await sleep(this.delays[attempt], undefined, { signal: stop }).catch(() => undefined);
      }
    }
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
