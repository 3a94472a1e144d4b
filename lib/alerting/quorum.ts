/**
 * The fleet verdict under `quorum`: the shared alert state keeps each node's latest observation of
 * each check, and every node's round combines them into one status per check before state.ts
 * decides what is due. Pure, so any node computes the same verdict from the same shared state, and
 * an update that a shared store retries computes it again without harm.
 */
import { checkKey } from "../check-key.js";
import { statusOf } from "../result.js";
import { statusOfCode } from "../summary/format.js";
import { countedNodes, quorumOfResult, SEVERITY, STATUS_CODE, verdictOf as combinedVerdict, type View } from "checkup/statuspage/rules";
import type { Nanos } from "../duration.js";
import type { UnixNanos } from "../nanos.js";
import { UsageError } from "../errors.js";
import { isSharedStore, type AlertPolicy, type Checker, type QuorumRule, type Result, type SharedStore, type Status, type Storage } from "../types.js";
import { advance, reasonOf, type Advance, type AlertState } from "./state.js";

/** Under `quorum` or auto shards: the nodes share one alert state, and decide on the combined status. */
export interface FleetAlerts {
  /** This node's name, under which its observations are recorded. */
  node: string;
  /** Where the fleet's state lives. */
  store: SharedStore;
  /** The rule for a check (by check key), in a round of `every` at `interval` (ns; undefined: a one-off round). */
  ruleOf: (key: string, interval: Nanos | undefined) => QuorumRule;
}

/** What one node saw of a check in its latest round. */
export interface Observation {
  status: Status;
  /** When that node's round recorded it (its clock). */
  at: UnixNanos;
  reason?: string;
}

/** The combined status of a check, as of the last round that judged it. */
export interface Verdict {
  status: Status;
  /** Nodes whose latest observation says down. */
  down: number;
  /** Nodes expected (the rule's `of`). */
  of: number;
  /** Nodes whose observation is within the window. */
  nodes: number;
  /** Fewer than `of` nodes reported within the window. */
  partial: boolean;
}

export interface FleetCheck {
  /** Node name → its latest observation within the window. */
  nodes: Record<string, Observation>;
  verdict: Verdict;
}

/** Check key → what the nodes saw of it. Lives in AlertState.fleet. */
export type Fleet = Record<string, FleetCheck>;

/** Unix ns as the page's rules count time: whole ms. */
const ms = (ns: UnixNanos): number => Number(ns / 1_000_000n);

/** What the nodes saw, as the page's rules take it: views in ms, and the rule's window in µs. */
const viewsOf = (seen: Record<string, Observation>): Map<string, View> =>
  new Map(Object.entries(seen).map(([node, o]) => [node, { t: ms(o.at), s: STATUS_CODE[o.status], rtt: 0 }]));

/** The nodes of `seen` that still count at `now` (countedNodes in rules.js), by name. */
function present(seen: Record<string, Observation>, rule: QuorumRule, now: UnixNanos): [string, Observation][] {
  return countedNodes(viewsOf(seen), ms(now), quorumOfResult({ quorum: rule })).sort().map((node) => [node, seen[node]!]);
}

/**
 * Down when at least `down` nodes say down; degraded when at least `down` say degraded or worse;
 * healthy otherwise. While fewer than `of` nodes report, the same share of those present decides
 * (rounded up, at least 1). The rule is the page's (verdictOf in statuspage/js/rules.js), so the
 * page, the summaries and the alerts agree.
 */
export function verdictOf(seen: Record<string, Observation>, rule: QuorumRule, now: UnixNanos): Verdict {
  const combined = combinedVerdict(viewsOf(seen), ms(now), quorumOfResult({ quorum: rule }));
  const down = present(seen, rule, now).filter(([, o]) => o.status === "down").length;
  return { status: statusOfCode(combined.s), down, of: rule.of, nodes: combined.nodes, partial: combined.partial };
}

/** Why the fleet says what it says: `down from eu-1, eu-2 (2 of 3 nodes): <the first one's reason>`. */
export function fleetReason(verdict: Verdict, seen: Record<string, Observation>, rule: QuorumRule, now: UnixNanos): string | undefined {
  if (verdict.status === "healthy") return undefined;
  // The nodes at least as bad as the verdict (healthy < degraded < unknown < down, as rules.js ranks them).
  const counts = (o: Observation) => SEVERITY[STATUS_CODE[o.status]] >= SEVERITY[STATUS_CODE[verdict.status]];
  const agreeing = present(seen, rule, now).filter(([, o]) => counts(o));
  const first = agreeing.find(([, o]) => o.reason !== undefined)?.[1].reason;
  const of = `${agreeing.length} of ${verdict.nodes} node${verdict.nodes === 1 ? "" : "s"}${verdict.partial ? `; ${rule.of} expected` : ""}`;
  return `${verdict.status} from ${agreeing.map(([name]) => name).join(", ")} (${of})${first !== undefined ? `: ${first}` : ""}`;
}

/** `node`'s results recorded into `fleet`; observations past their window are forgotten, and so are checks no node observed within it. */
export function recordRound(fleet: Fleet, node: string, results: readonly Result[], ruleOf: (key: string) => QuorumRule, now: UnixNanos): Fleet {
  const next: Fleet = {};
  for (const [key, check] of Object.entries(fleet)) {
    const live = Object.fromEntries(present(check.nodes, ruleOf(key), now));
    if (Object.keys(live).length > 0) next[key] = { ...check, nodes: live };
  }
  for (const r of results) {
    const key = checkKey(r);
    const reason = reasonOf(r);
    const seen = { ...next[key]?.nodes, [node]: { status: statusOf(r), at: now, ...(reason !== undefined && { reason }) } };
    next[key] = { nodes: seen, verdict: verdictOf(seen, ruleOf(key), now) };
  }
  return next;
}

/** A result standing for the fleet's view of `r`'s check: the combined status, and why. */
export function combinedResult(r: Result, check: FleetCheck, rule: QuorumRule, now: UnixNanos): Result {
  const reason = fleetReason(check.verdict, check.nodes, rule, now);
  return {
    ...(r.title !== undefined && { title: r.title }),
    ...(r.endpoint !== undefined && { endpoint: r.endpoint }),
    timestamp: r.timestamp,
    times: [],
    [check.verdict.status]: true,
    ...(reason !== undefined && { notice: reason }),
    ...(r.maintenance && { maintenance: true }),
  };
}

/**
 * advance() under quorum: records this node's round, then decides on the combined results, so
 * alerts and recoveries follow the fleet, not one node. What this node did not run this round
 * (another shard's checks, a notifier another node's config has) is kept as it was while some node
 * still observes the check.
 */
export function advanceFleet(prev: AlertState, node: string, results: readonly Result[], ruleOf: (key: string) => QuorumRule,
  notifiers: readonly { id: string; policy: AlertPolicy }[], now: UnixNanos, quiet: (r: Result) => boolean): Advance {
  const fleet = recordRound(prev.fleet ?? {}, node, results, ruleOf, now);
  const combined = results.map((r) => combinedResult(r, fleet[checkKey(r)]!, ruleOf(checkKey(r)), now));
  const { state, due } = advance(prev, combined, notifiers, now, quiet);
  const ran = new Set(results.map(checkKey));
  const others = Object.keys(fleet).filter((key) => !ran.has(key));
  for (const key of others) if (prev.checks[key]) state.checks[key] = prev.checks[key];
  for (const [id, before] of Object.entries(prev.notifiers)) {
    const after = state.notifiers[id];
    if (!after) state.notifiers[id] = before;
    else for (const key of others) if (before.open[key]) after.open[key] = before.open[key];
  }
  return { state: { ...state, fleet }, due };
}

/**
 * The fleet alerting of these checkers, when any has a `quorum` or the checks move between nodes
 * (auto shards: `handover` says how long a stopped node's observation must count, by interval).
 * A check without a rule goes down when any node says so, within the longest window; under auto
 * shards, at least the handover, so a check's next owner finds its open alert. A one-off round
 * (no interval) under auto shards alone forgets no observation: the next scheduled round does.
 * Throws when `storage` cannot share the state.
 */
export function fleetOf(checkers: readonly Checker[], node: string, storage: Storage | undefined,
  handover?: (interval: Nanos) => Nanos): FleetAlerts | undefined {
  const rules = new Map(checkers.flatMap((c) => (c.quorum ? [[checkKey(c), c.quorum] as const] : [])));
  if (rules.size === 0 && !handover) return undefined;
  if (!storage || !isSharedStore(storage)) {
    const why = rules.size > 0 ? "quorum keeps" : "auto shards keep";
    throw new UsageError(`${why} the fleet's alert state in the storage, and ${storage ? `storage ${storage.type} cannot share it` : "there is none"}: use one that can (fs, postgres, ...)`);
  }
  const longest = Math.max(0, ...[...rules.values()].map((r) => r.window));
  const anyNode = (interval: Nanos | undefined): QuorumRule => {
    const moved = handover && (interval === undefined ? Infinity : handover(interval));
    return { down: 1, of: 1, window: Math.max(longest, moved ?? 0) };
  };
  return { node, store: storage, ruleOf: (key, interval) => rules.get(key) ?? anyNode(interval) };
}
