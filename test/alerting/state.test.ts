import assert from "node:assert/strict";
import { test } from "node:test";
import { advance, claim, digestOf, emptyState, release, seedFromRound, type AlertState } from "../../lib/alerting/state.js";
import { parseState, stateJson } from "../../lib/alerting/state-file.js";
import type { Result, AlertPolicy } from "../../lib/types.js";

const MIN = 60_000_000_000n;
const T0 = 1_718_020_800_000_000_000n;
const policy = (p: Partial<AlertPolicy> = {}): AlertPolicy =>
  ({ failureThreshold: 1, successThreshold: 1, renotify: 0, digest: false, timeout: 1e9, ...p });

const up: Result = { title: "API", endpoint: "https://api/health", timestamp: 0n, times: [{ rtt: 1 }], healthy: true };
const down: Result = { ...up, healthy: undefined, down: true, times: [{ rtt: 1, error: "response status 502 Bad Gateway" }] };
const degraded: Result = { ...up, healthy: undefined, degraded: true, notice: "median round trip time exceeded threshold (200ms)" };

/** Runs rounds one minute apart; returns every event per round (kinds only unless asked). */
function run(rounds: Result[], p: AlertPolicy, opts: { quiet?: (i: number) => boolean; start?: AlertState } = {}) {
  let state = opts.start ?? emptyState();
  const out: { round: number; events: ReturnType<typeof advance>["due"] extends Map<string, infer E> ? E : never }[] = [];
  rounds.forEach((r, i) => {
    const step = advance(state, [r], [{ id: "n", policy: p }], T0 + BigInt(i) * MIN, () => opts.quiet?.(i) ?? false);
    state = step.state;
    const events = step.due.get("n")!;
    if (events.length > 0) out.push({ round: i, events });
  });
  return { out, state };
}
const kinds = (o: ReturnType<typeof run>["out"]) => o.map((x) => `${x.round}:${x.events.map((e) => e.kind).join("+")}`);

test("state: a ten-run outage gives one alert and one recovery with the outage length", () => {
  const rounds = [up, ...Array.from({ length: 10 }, () => down), up, up];
  const { out } = run(rounds, policy());
  assert.deepEqual(kinds(out), ["1:alert", "11:recovered"]);
  const [alert, recovered] = [out[0]!.events[0]!, out[1]!.events[0]!];
  assert.equal(alert.status, "down");
  assert.equal(alert.reason, "response status 502 Bad Gateway");
  assert.equal(alert.since, T0 + MIN);
  assert.equal(recovered.status, "healthy");
  assert.equal(recovered.previous, "down");
  assert.equal(recovered.duration, 10 * 60e9, "down from round 1 to the first healthy round 11");
  assert.equal(recovered.reason, undefined);
});

test("state: a check that starts down alerts; one that starts healthy says nothing", () => {
  assert.deepEqual(kinds(run([down, down], policy()).out), ["0:alert"]);
  assert.deepEqual(kinds(run([up, up], policy()).out), []);
});

test("state: degraded counts as unhealthy; down → degraded does not re-alert", () => {
  const { out } = run([up, degraded, down, degraded, up], policy());
  assert.deepEqual(kinds(out), ["1:alert", "4:recovered"]);
  assert.equal(out[0]!.events[0]!.reason, "median round trip time exceeded threshold (200ms)");
  assert.equal(out[1]!.events[0]!.previous, "degraded", "reports the last unhealthy status");
});

test("state: failure_threshold waits for consecutive failures; a blip resets the count", () => {
  const p = policy({ failureThreshold: 3 });
  assert.deepEqual(kinds(run([up, down, down, up, down, down, down, down], p).out), ["6:alert"]);
  const { out } = run([up, down, down, down, up], p);
  assert.equal(out[0]!.events[0]!.since, T0 + MIN, "the outage began with its first failure");
  assert.equal(out[0]!.events[0]!.duration, 2 * 60e9);
  assert.equal(out[1]!.events[0]!.duration, 3 * 60e9);
});

test("state: success_threshold waits for consecutive successes; the outage ends at the first", () => {
  const p = policy({ successThreshold: 2 });
  const { out } = run([down, up, down, up, up, up], p);
  assert.deepEqual(kinds(out), ["0:alert", "4:recovered"]);
  assert.equal(out[1]!.events[0]!.duration, 3 * 60e9, "from round 0 to the healthy streak starting at round 3");
});

test("state: renotify reminds while down, never more often than asked", () => {
  const p = policy({ renotify: 3 * 60e9 });
  const { out } = run([down, down, down, down, down, down, down, up], p);
  assert.deepEqual(kinds(out), ["0:alert", "3:reminder", "6:reminder", "7:recovered"]);
  assert.equal(out[1]!.events[0]!.duration, 3 * 60e9);
});

test("state: maintenance holds back alerts and reminders; the alert comes after the window if still down", () => {
  const quiet = (i: number) => i >= 1 && i <= 3;
  assert.deepEqual(kinds(run([up, down, down, down, down, up], policy(), { quiet }).out), ["4:alert", "5:recovered"]);
  assert.deepEqual(kinds(run([up, down, down, up, up], policy(), { quiet }).out), [], "recovered inside the window: nothing to say");
  const open = (i: number) => i >= 2;
  assert.deepEqual(kinds(run([down, down, down, up], policy({ renotify: 60e9 }), { quiet: open }).out), ["0:alert", "1:reminder", "3:recovered"],
    "a recovery is still announced in a window");
});

test("state: undelivered events are sent first next time, then forgotten once delivered", () => {
  const ns = [{ id: "n", policy: policy() }];
  const lapse = (now: bigint) => () => now + MIN / 2n;
  const a = advance(emptyState(), [down], ns, T0);
  const first = claim(a.state, "n", a.due.get("n")!, T0, lapse(T0));
  release(a.state, "n", first, false); // delivery failed
  const b = advance(a.state, [down], ns, T0 + MIN);
  assert.deepEqual(b.due.get("n")!.map((e) => [e.kind, e.at]), [["alert", T0]], "the old alert again, no new one");
  release(b.state, "n", claim(b.state, "n", b.due.get("n")!, T0 + MIN, lapse(T0 + MIN)), true);
  assert.deepEqual(b.state.notifiers.n, { open: b.state.notifiers.n!.open, pending: [] });
  const c = advance(b.state, [up], ns, T0 + 2n * MIN);
  assert.deepEqual(c.due.get("n")!.map((e) => e.kind), ["recovered"]);
});

test("state: an event a delivery under way has claimed is claimed by no one else until the claim lapses", () => {
  const ns = [{ id: "n", policy: policy() }];
  const a = advance(emptyState(), [down], ns, T0);
  assert.equal(claim(a.state, "n", a.due.get("n")!, T0, (count) => T0 + BigInt(count) * 2n * MIN).length, 1);
  const saved = parseState(stateJson(a.state));
  assert.deepEqual(saved, a.state, "claims survive the state file, times as bigint");
  const b = advance(saved, [down], ns, T0 + MIN);
  assert.deepEqual(claim(b.state, "n", b.due.get("n")!, T0 + MIN, () => T0 + 3n * MIN), [], "still being sent: another run leaves it");
  assert.equal(b.state.notifiers.n!.pending.length, 1, "and still pending");
  const c = advance(b.state, [down], ns, T0 + 3n * MIN);
  assert.deepEqual(claim(c.state, "n", c.due.get("n")!, T0 + 3n * MIN, () => T0 + 4n * MIN).map((e) => e.kind), ["alert"],
    "its process died: once the claim lapses, the next run sends it");
});

test("state: each notifier keeps its own alerts", () => {
  const ns = [{ id: "fast", policy: policy() }, { id: "slow", policy: policy({ failureThreshold: 2 }) }];
  let state = emptyState();
  const seen: string[] = [];
  for (const [i, r] of [down, down, up].entries()) {
    const step = advance(state, [r], ns, T0 + BigInt(i) * MIN);
    state = step.state;
    for (const [id, events] of step.due) for (const e of events) seen.push(`${i}:${id}:${e.kind}`);
  }
  assert.deepEqual(seen, ["0:fast:alert", "1:slow:alert", "2:fast:recovered", "2:slow:recovered"]);
});

test("state: seeded from the last stored round, a continuing outage is not re-alerted", () => {
  const ns = [{ id: "n", policy: policy() }, { id: "t", policy: policy({ failureThreshold: 2 }) }];
  const seeded = seedFromRound([{ ...down, timestamp: T0 }], ns);
  const step = advance(seeded, [down], ns, T0 + MIN);
  assert.deepEqual(step.due.get("n"), [], "already alerted by the run that stored it");
  assert.deepEqual(step.due.get("t")!.map((e) => e.kind), ["alert"], "threshold 2 reached now");
  assert.deepEqual(advance(seeded, [up], ns, T0 + MIN).due.get("n")!.map((e) => e.kind), ["recovered"]);
});

test("state: the digest lists statuses and the changes since the last digest", () => {
  const { state } = run([up, down, up], policy());
  const d = digestOf(state, T0 + 5n * MIN);
  assert.deepEqual(d.checks.map((c) => c.status), ["healthy"]);
  assert.deepEqual(d.incidents.map((i) => `${i.previous}>${i.status}`), ["healthy>down", "down>healthy"]);
});

test("state: two checks on one URL are two checks; only the down one alerts", () => {
  const body: Result = { ...down, title: "API body", times: [{ rtt: 1, error: "response does not contain 'ok'" }] };
  const step = advance(emptyState(), [up, body], [{ id: "n", policy: policy() }], T0);
  assert.deepEqual(Object.keys(step.state.checks), ["API", "API body"]);
  assert.deepEqual(step.due.get("n")!.map((e) => [e.kind, e.title, e.key]), [["alert", "API body", "API body"]]);
});

test("state: an alert raised under a version 1 key keeps that key for its reminders and recovery", () => {
  const start: AlertState = {
    ...emptyState(),
    checks: { API: { title: "API", endpoint: up.endpoint!, status: "down", streak: 3, since: T0 - 3n * MIN } },
    notifiers: { n: { open: { API: { since: T0 - 3n * MIN, sentAt: T0 - 3n * MIN, status: "down", key: "API\nhttps://api/health" } }, pending: [] } },
  };
  const { out } = run([down, down, up], policy({ renotify: 2 * 60e9 }), { start });
  assert.deepEqual(out.map((o) => o.events.map((e) => `${o.round}:${e.kind}:${e.key}`)).flat(),
    ["0:reminder:API\nhttps://api/health", "2:recovered:API\nhttps://api/health"], "no second alert; PagerDuty resolves the incident it opened");
});
