import assert from "node:assert/strict";
import { test } from "node:test";
import { advanceFleet, fleetOf, fleetReason, recordRound, verdictOf, type Observation } from "../../lib/alerting/quorum.js";
import { claim, emptyState, type AlertState } from "../../lib/alerting/state.js";
import { parseState, stateJson } from "../../lib/alerting/state-file.js";
import { FsStorage } from "../../lib/storage/fs.js";
import type { AlertEvent, AlertPolicy, Checker, QuorumRule, Result } from "../../lib/types.js";

const S = 1_000_000_000n;
const T0 = 1_718_020_800_000_000_000n;
const rule: QuorumRule = { down: 2, of: 3, window: 180e9 };
const policy: AlertPolicy = { failureThreshold: 1, successThreshold: 1, renotify: 0, digest: false, timeout: 1e9 };
const notifiers = [{ id: "n", policy }];

const up: Result = { title: "API", endpoint: "https://api/health", timestamp: T0, times: [{ rtt: 1 }], healthy: true };
const down: Result = { ...up, healthy: undefined, down: true, times: [{ rtt: 1, error: "response status 503 Service Unavailable" }] };
const degraded: Result = { ...up, healthy: undefined, degraded: true, notice: "median round trip time exceeded threshold (200ms)" };

const seen = (entries: Record<string, Observation["status"]>, at = T0): Record<string, Observation> =>
  Object.fromEntries(Object.entries(entries).map(([node, status]) => [node, { status, at }]));

test("quorum: down needs 2 of 3 nodes; a down node counts as at least degraded", () => {
  const now = T0 + S;
  assert.equal(verdictOf(seen({ a: "down", b: "healthy", c: "healthy" }), rule, now).status, "healthy");
  assert.deepEqual(verdictOf(seen({ a: "down", b: "down", c: "healthy" }), rule, now),
    { status: "down", down: 2, of: 3, nodes: 3, partial: false });
  assert.equal(verdictOf(seen({ a: "down", b: "degraded", c: "healthy" }), rule, now).status, "degraded");
  assert.equal(verdictOf(seen({ a: "degraded", b: "degraded", c: "down" }), rule, now).status, "degraded");
  assert.equal(verdictOf(seen({ a: "unknown", b: "healthy", c: "down" }), rule, now).status, "unknown", "as the page ranks it: unknown is worse than degraded");
});

test("quorum: fewer nodes than `of` within the window decide by the same share, at least one, and say partial", () => {
  const stale = { ...seen({ a: "down", b: "healthy" }), c: { status: "down" as const, at: T0 - 181n * S } };
  assert.deepEqual(verdictOf(stale, rule, T0), { status: "healthy", down: 1, of: 3, nodes: 2, partial: true },
    "c is past the window: ceil(2 × 2 / 3) = 2 of the two left must agree");
  assert.deepEqual(verdictOf(seen({ a: "down" }), rule, T0), { status: "down", down: 1, of: 3, nodes: 1, partial: true });
  assert.equal(verdictOf(seen({ a: "down", b: "healthy", c: "healthy", d: "healthy" }), rule, T0).status, "healthy", "more than `of`: the rule's down");
  assert.equal(verdictOf(seen({ a: "down", b: "down", c: "healthy", d: "healthy" }), rule, T0).status, "down");
});

test("quorum: the reason names the agreeing nodes, their count and the first one's reason", () => {
  const nodes = { "eu-2": { status: "down" as const, at: T0, reason: "timeout" }, "eu-1": { status: "down" as const, at: T0, reason: "503" },
    "eu-3": { status: "healthy" as const, at: T0 } };
  assert.equal(fleetReason(verdictOf(nodes, rule, T0), nodes, rule, T0), "down from eu-1, eu-2 (2 of 3 nodes): 503");
  const alone = { "eu-1": nodes["eu-1"] };
  assert.equal(fleetReason(verdictOf(alone, rule, T0), alone, rule, T0), "down from eu-1 (1 of 1 node; 3 expected): 503");
  assert.equal(fleetReason(verdictOf(seen({ a: "healthy" }), rule, T0), seen({ a: "healthy" }), rule, T0), undefined);
});

test("quorum: a round replaces its node's observation; observations past the window, and checks left with none, are forgotten", () => {
  let fleet = recordRound({}, "a", [down], () => rule, T0);
  fleet = recordRound(fleet, "b", [up], () => rule, T0 + 10n * S);
  fleet = recordRound(fleet, "a", [up], () => rule, T0 + 20n * S);
  assert.deepEqual(Object.keys(fleet.API!.nodes).sort(), ["a", "b"]);
  assert.equal(fleet.API!.nodes.a!.status, "healthy");
  const other: Result = { ...up, title: "DB" };
  fleet = recordRound(fleet, "c", [other], () => rule, T0 + 195n * S);
  assert.deepEqual(Object.keys(fleet.API!.nodes), ["a"], "b's observation is 185 s old");
  fleet = recordRound(fleet, "c", [other], () => rule, T0 + 400n * S);
  assert.deepEqual(Object.keys(fleet), ["DB"]);
});

/** Three nodes taking turns on one shared state (a round each, 1 s apart), as `every` on three machines does; events claimed by their sender. */
function fleetRun(rounds: [node: string, result: Result][]): { events: { node: string; event: AlertEvent }[]; state: AlertState } {
  let state = emptyState();
  const events: { node: string; event: AlertEvent }[] = [];
  rounds.forEach(([node, r], i) => {
    const now = T0 + BigInt(i) * S;
    const step = advanceFleet(state, node, [r], () => rule, notifiers, now, () => false);
    const claimed = claim(step.state, "n", step.due.get("n")!, now, () => now + 60n * S);
    // Round trip through the stored form, as the shared document does between nodes.
    state = parseState(stateJson(step.state));
    events.push(...claimed.map((event) => ({ node, event })));
  });
  return { events, state };
}

test("quorum: one node down alerts no one; two alert once, whichever crosses; the recovery once", () => {
  const { events } = fleetRun([
    ["eu-1", up], ["eu-2", up], ["eu-3", up],
    ["eu-1", down], ["eu-2", up], ["eu-3", up], ["eu-1", down],
    ["eu-2", down], ["eu-3", up], ["eu-1", down], ["eu-2", down],
    ["eu-1", up], ["eu-2", down], ["eu-3", up], ["eu-1", up],
  ]);
  assert.deepEqual(events.map((e) => `${e.node}:${e.event.kind}`), ["eu-2:alert", "eu-1:recovered"]);
  assert.equal(events[0]!.event.reason, "down from eu-1, eu-2 (2 of 3 nodes): response status 503 Service Unavailable");
  assert.equal(events[1]!.event.since, T0 + 7n * S, "the outage began with the round that crossed the quorum");
});

test("quorum: a claimed alert is not sent again by the next node; an unclaimed one (a dead sender) is, once its claim lapses", () => {
  const { state } = fleetRun([["eu-1", down], ["eu-2", down]]);
  assert.equal(state.notifiers.n!.pending.length, 1, "eu-1's alert (partial, 1 of 1) is pending, claimed by eu-1");
  const next = advanceFleet(state, "eu-3", [up], () => rule, notifiers, T0 + 2n * S, () => false);
  assert.deepEqual(claim(next.state, "n", next.due.get("n")!, T0 + 2n * S, () => T0), [], "the claim holds");
  const late = advanceFleet(state, "eu-3", [up], () => rule, notifiers, T0 + 61n * S, () => false);
  assert.deepEqual(claim(late.state, "n", late.due.get("n")!, T0 + 61n * S, () => T0).map((e) => e.kind), ["alert"]);
});

test("quorum: checks another node ran (another shard) keep their state and open alerts through this node's round", () => {
  const db: Result = { ...down, title: "DB" };
  const { state } = fleetRun([["eu-1", db], ["eu-2", db], ["eu-3", up]]);
  assert.ok(state.notifiers.n!.open.DB, "DB is open");
  assert.equal(state.checks.DB!.status, "down");
  assert.equal(state.checks.API!.status, "healthy");
  assert.equal(state.fleet!.DB!.verdict.status, "down");
});

test("quorum: degraded from two nodes alerts as degraded", () => {
  const { events } = fleetRun([["eu-1", up], ["eu-2", up], ["eu-3", up], ["eu-1", degraded], ["eu-2", down]]);
  assert.deepEqual(events.map((e) => `${e.event.kind}:${e.event.status}`), ["alert:degraded"]);
  assert.match(events[0]!.event.reason!, /^degraded from eu-1, eu-2 \(2 of 3 nodes\): median round trip/);
});

test("fleetOf: auto shards alone share the state too; a rule-less check's window is the handover of the round's interval, or forgets nothing in a one-off round", () => {
  const store = new FsStorage({ dir: "/nonexistent/checks", url: "", checkExpiry: 0 });
  const api: Checker = { type: "http", title: "API", endpoint: "https://api/health", check: async () => up };
  const handover = (interval: number) => 4 * interval;
  assert.equal(fleetOf([api], "eu-1", store), undefined, "no quorum, no auto shards: each node alone, as before");
  const shared = fleetOf([api], "eu-1", store, handover)!;
  assert.equal(shared.store, store);
  assert.deepEqual(shared.ruleOf("API", 1e9), { down: 1, of: 1, window: 4e9 });
  assert.equal(shared.ruleOf("API", undefined).window, Infinity);
  const db: Checker = { ...api, title: "DB", quorum: rule };
  const mixed = fleetOf([api, db], "eu-1", store, handover)!;
  assert.equal(mixed.ruleOf("DB", 1e9), rule);
  assert.deepEqual(mixed.ruleOf("API", 1e9), { down: 1, of: 1, window: 180e9 }, "the longest of the windows and the handover");
  assert.deepEqual(mixed.ruleOf("API", 60e9), { down: 1, of: 1, window: 240e9 });
  assert.throws(() => fleetOf([api], "eu-1", undefined, handover), /^UsageError: auto shards keep the fleet's alert state in the storage, and there is none/);
});
