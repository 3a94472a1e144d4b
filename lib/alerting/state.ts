/**
 * Alert state: the one place that decides when an AlertEvent is due. Pure functions over a plain
 * state object, so the same rules hold whether the state lives in memory (`every`), in a state file
 * (cron), or was rebuilt from the last stored run.
 *
 * Per check it keeps the current streak (consecutive runs healthy, or consecutive runs not);
 * per notifier and check, whether an alert is open. An alert opens when the unhealthy streak
 * reaches the notifier's failure_threshold and closes, with a "recovered" event carrying the
 * outage length, when the healthy streak reaches its success_threshold.
 */
import { checkKey } from "../check-key.js";
import { statusOf } from "../result.js";
import type { UnixNanos } from "../nanos.js";
import type { Result, Status, AlertEvent, AlertPolicy, Digest, Incident } from "../types.js";
import type { Fleet } from "./quorum.js";

export interface CheckState {
  title: string;
  endpoint: string;
  status: Status;
  /** Consecutive runs on the current side (healthy, or not healthy). */
  streak: number;
  /** When the current streak began. */
  since: UnixNanos;
  reason?: string;
}

export interface OpenAlert {
  /** When the outage began. */
  since: UnixNanos;
  /** The last alert or reminder, for `renotify`. */
  sentAt: UnixNanos;
  /** The latest unhealthy status, reported by the recovery. */
  status: Status;
  /**
   * The key the alert went out under, when not the check's key (raised before checks were keyed
   * by title): its reminders and recovery carry it, so PagerDuty resolves the same incident.
   */
  key?: string;
}

export interface NotifierState {
  /** Check key → its open alert. */
  open: Record<string, OpenAlert>;
  /** Events decided but not delivered yet; sent first next time. */
  pending: AlertEvent[];
  /** Pending events a delivery under way has taken (by eventId), so no other run sends them too. */
  sending?: Claim[];
}

export interface Claim {
  event: string;
  /** When the claim lapses, should its process die before it delivers: Unix ns. */
  until: UnixNanos;
}

export interface AlertState {
  checks: Record<string, CheckState>;
  notifiers: Record<string, NotifierState>;
  /** Status changes since the last digest, oldest first. */
  incidents: Incident[];
  /** When the last digest went out (or the digest clock started). */
  digestAt?: UnixNanos;
  /** Under `quorum` (shared by the nodes): what each node saw of each check, and the verdict (quorum.ts). */
  fleet?: Fleet;
}

/** Undelivered events kept per notifier; older ones are dropped past this. */
export const MAX_PENDING = 50;
/** Incidents kept for the next digest. */
export const MAX_INCIDENTS = 200;

export const emptyState = (): AlertState => ({ checks: {}, notifiers: {}, incidents: [] });

/** What went wrong in a round: the first attempt error, else the notice. */
export function reasonOf(r: Result): string | undefined {
  return r.times.find((t) => t.error)?.error ?? r.notice;
}

export interface Advance {
  state: AlertState;
  /** Notifier id → events to deliver now (undelivered ones from before come first). */
  due: Map<string, AlertEvent[]>;
}

/**
 * Folds one round into the state. `quiet(result)` is true while the check is in a maintenance
 * window: no alert or reminder is raised then (a recovery still is).
 */
export function advance(prev: AlertState, results: readonly Result[], notifiers: readonly { id: string; policy: AlertPolicy }[],
  now: UnixNanos, quiet: (r: Result) => boolean = () => false): Advance {
  const checks: Record<string, CheckState> = {};
  const incidents = [...prev.incidents];
  for (const r of results) {
    const key = checkKey(r);
    const status = statusOf(r);
    const before = prev.checks[key];
    const sameSide = before !== undefined && (before.status === "healthy") === (status === "healthy");
    checks[key] = {
      title: r.title ?? "",
      endpoint: r.endpoint ?? "",
      status,
      streak: sameSide ? before.streak + 1 : 1,
      since: sameSide ? before.since : now,
      ...(reasonOf(r) !== undefined && { reason: reasonOf(r) }),
    };
    if (before ? before.status !== status : status !== "healthy") {
      incidents.push({ title: r.title ?? "", endpoint: r.endpoint ?? "", status, ...(before && { previous: before.status }), at: now });
    }
  }
  const state: AlertState = { ...prev, checks, notifiers: {}, incidents: incidents.slice(-MAX_INCIDENTS) };
  const due = new Map<string, AlertEvent[]>();
  for (const n of notifiers) {
    const before = prev.notifiers[n.id];
    const open: Record<string, OpenAlert> = {};
    const events = [...(before?.pending ?? [])];
    for (const r of results) {
      const key = checkKey(r);
      const event = decide(checks[key]!, before?.open[key], n.policy, now, quiet(r));
      if (event.open) open[key] = event.open;
      if (event.due) events.push({ ...event.due, key: before?.open[key]?.key ?? key, title: r.title ?? "", endpoint: r.endpoint ?? "" });
    }
    state.notifiers[n.id] = { open, pending: [], ...(before?.sending && { sending: before.sending }) };
    due.set(n.id, events);
  }
  return { state, due };
}

type Decision = { open?: OpenAlert; due?: Omit<AlertEvent, "key" | "title" | "endpoint"> };

function decide(c: CheckState, alert: OpenAlert | undefined, p: AlertPolicy, now: UnixNanos, quiet: boolean): Decision {
  const base = { status: c.status, at: now, ...(c.reason !== undefined && { reason: c.reason }) };
  if (c.status === "healthy") {
    if (!alert) return {};
    if (c.streak < p.successThreshold) return { open: alert };
    // The outage ended with the first healthy run, even if the recovery is announced later.
    const { reason: _, ...healthy } = base;
    return { due: { ...healthy, kind: "recovered", previous: alert.status, since: alert.since, duration: Number(c.since - alert.since) } };
  }
  if (!alert) {
    if (quiet || c.streak < p.failureThreshold) return {};
    return { open: { since: c.since, sentAt: now, status: c.status }, due: { ...base, kind: "alert", since: c.since, duration: Number(now - c.since) } };
  }
  const kept = { ...alert, status: c.status };
  if (quiet || p.renotify <= 0 || Number(now - alert.sentAt) < p.renotify) return { open: kept };
  return { open: { ...kept, sentAt: now }, due: { ...base, kind: "reminder", since: alert.since, duration: Number(now - alert.since) } };
}

/** An event's identity within one notifier's state. */
export const eventId = (e: AlertEvent): string => `${e.kind}\n${e.key}\n${e.at}`;

/**
 * Records what a notifier has not delivered yet (sent first next time), and claims the events no
 * delivery under way has taken (claims lapse at their `until`): those are returned, for this
 * process to deliver. So the next round of `every`, or a racing cron run, never sends one twice.
 * `until(n)` says how long delivering n events may take.
 */
export function claim(state: AlertState, notifierId: string, undelivered: readonly AlertEvent[], now: UnixNanos,
  until: (count: number) => UnixNanos): AlertEvent[] {
  const n = state.notifiers[notifierId];
  if (!n) return [];
  n.pending = undelivered.slice(-MAX_PENDING);
  const ids = new Set(n.pending.map(eventId));
  const live = (n.sending ?? []).filter((c) => c.until > now && ids.has(c.event));
  const taken = new Set(live.map((c) => c.event));
  const free = n.pending.filter((e) => !taken.has(eventId(e)));
  const lapse = until(free.length);
  n.sending = [...live, ...free.map((e) => ({ event: eventId(e), until: lapse }))];
  if (n.sending.length === 0) delete n.sending;
  return free;
}

/** A delivery ended: its events give up their claim, and leave `pending` if they were delivered. */
export function release(state: AlertState, notifierId: string, events: readonly AlertEvent[], delivered: boolean): void {
  const n = state.notifiers[notifierId];
  if (!n) return;
  const ids = new Set(events.map(eventId));
  if (delivered) n.pending = n.pending.filter((e) => !ids.has(eventId(e)));
  n.sending = n.sending?.filter((c) => !ids.has(c.event));
  if (n.sending?.length === 0) delete n.sending;
}

/**
 * A starting state from the last stored round, when no state was kept (first run with a state
 * file, or a fresh container): statuses carry over, and an unhealthy check is taken to have been
 * alerted already by notifiers that alert on the first failure, so the next run does not repeat it.
 */
export function seedFromRound(results: readonly Result[], notifiers: readonly { id: string; policy: AlertPolicy }[]): AlertState {
  const state = emptyState();
  for (const r of results) {
    const status = statusOf(r);
    const key = checkKey(r);
    state.checks[key] = { title: r.title ?? "", endpoint: r.endpoint ?? "", status, streak: 1, since: r.timestamp };
    if (status === "healthy") continue;
    for (const n of notifiers) {
      if (n.policy.failureThreshold > 1) continue;
      const entry = (state.notifiers[n.id] ??= { open: {}, pending: [] });
      entry.open[key] = { since: r.timestamp, sentAt: r.timestamp, status };
    }
  }
  return state;
}

/** The digest as of `now`: every check's status, and the incidents since the last digest. */
export function digestOf(state: AlertState, now: UnixNanos): Digest {
  return {
    at: now,
    ...(state.digestAt !== undefined && { since: state.digestAt }),
    checks: Object.values(state.checks).map((c) => ({
      title: c.title, endpoint: c.endpoint, status: c.status, since: c.since, ...(c.reason !== undefined && { reason: c.reason }),
    })),
    incidents: state.incidents,
  };
}

/** Starts a new digest period at `now`: the incidents a digest as of `now` covered are done. */
export function digested(state: AlertState, now: UnixNanos): AlertState {
  return { ...state, incidents: state.incidents.filter((i) => i.at > now), digestAt: now };
}
