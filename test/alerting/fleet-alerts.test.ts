/** Alerts under `quorum`, in process: the nodes share the state through a real fs storage's shared document. */
import assert from "node:assert/strict";
import { writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { Alerts } from "../../lib/alerting/alerts.js";
import { parseState, SHARED_STATE } from "../../lib/alerting/state-file.js";
import { FsStorage } from "../../lib/storage/fs.js";
import type { QuorumRule, Result } from "../../lib/types.js";
import { notifierOf, receiver, T0 } from "../helpers/notify.js";
import { tmpDir } from "../helpers/tmp.js";

const S = 1_000_000_000n;
const rule: QuorumRule = { down: 2, of: 3, window: 60e9 };
const up: Result = { title: "API", endpoint: "https://api/health", timestamp: T0, times: [{ rtt: 1 }], healthy: true };
const down: Result = { ...up, healthy: undefined, down: true, times: [{ rtt: 1, error: "connection refused" }] };

async function fleet() {
  const hook = await receiver(200);
  const dir = await tmpDir();
  const store = new FsStorage({ dir, url: "", checkExpiry: 0 });
  const notifier = await notifierOf({ type: "webhook", url: `${hook.url}/hook`, timeout: "1s" });
  let now = T0;
  const warnings: string[] = [];
  const node = (name: string) => new Alerts({ notifiers: [notifier], fleet: { node: name, store, ruleOf: () => rule },
    warn: (m) => warnings.push(m), now: () => (now += S), retryDelaysMs: [5] });
  const kinds = () => hook.requests.flatMap((r) => (JSON.parse(r.body) as { events: { kind: string }[] }).events.map((e) => e.kind));
  return { dir, store, node, kinds, warnings };
}

test("fleet alerts: three nodes, each its own Alerts, share one state: one alert, one recovery", async () => {
  const f = await fleet();
  const [a, b, c] = ["eu-1", "eu-2", "eu-3"].map(f.node);
  const turn = async (results: [Alerts, Result][]) => {
    for (const [n, r] of results) await n.round([r]);
    await Promise.all([a!, b!, c!].map((n) => n.settle()));
  };
  await turn([[a!, up], [b!, up], [c!, up]]);
  await turn([[a!, down], [b!, up], [c!, up]]);
  assert.deepEqual(f.kinds(), []);
  await turn([[a!, down], [b!, down], [c!, up], [a!, down], [b!, down]]);
  assert.deepEqual(f.kinds(), ["alert"]);
  await turn([[a!, up], [b!, up], [c!, up]]);
  assert.deepEqual(f.kinds(), ["alert", "recovered"]);
  const text = (await f.store.readShared(SHARED_STATE))!;
  assert.doesNotMatch(text, /\n/, "the shared document is compact JSON");
  const shared = parseState(text);
  assert.deepEqual(shared.notifiers[Object.keys(shared.notifiers)[0]!]!.pending, [], "delivered events leave the shared state");
  assert.deepEqual(Object.keys(shared.fleet!.API!.nodes).sort(), ["eu-1", "eu-2", "eu-3"]);
  assert.deepEqual(f.warnings, []);
});

test("fleet alerts: a `checkup message` round records its node's view and keeps the other checks and open alerts", async () => {
  const f = await fleet();
  const [a, b] = ["eu-1", "eu-2"].map(f.node);
  const db: Result = { ...down, title: "DB" };
  await a!.round([db]);
  await b!.round([db]);
  await a!.observe([up]);
  const shared = parseState((await f.store.readShared(SHARED_STATE))!);
  assert.ok(Object.values(shared.notifiers)[0]!.open.DB, "DB's alert stays open");
  assert.equal(shared.checks.DB!.status, "down");
  assert.equal(shared.fleet!.API!.nodes["eu-1"]!.status, "healthy");
});

test("fleet alerts: a damaged shared document is replaced with a warning, and alerting goes on", async () => {
  const f = await fleet();
  const a = f.node("eu-1");
  await a.round([up]);
  // The fs storage keeps shared documents under shared/<name>.json.
  await mkdir(path.join(f.dir, "shared"), { recursive: true });
  await writeFile(path.join(f.dir, "shared", `${SHARED_STATE}.json`), "{not json");
  await a.round([down]);
  await a.settle();
  assert.match(f.warnings.join("\n"), /the shared alert state \(alerts\) was damaged \(.+\); started over/);
  assert.deepEqual(f.kinds(), ["alert"], "a lone node is a partial quorum of one");
});
