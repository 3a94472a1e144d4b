/**
 * The fleet's shared alert state (print-only, never a test): C checks seen by 3 nodes, one
 * notifier, 1 % of the checks down. Each node's update reads the whole document, folds its round
 * in (advanceFleet) and writes it back; this times that cycle, in process (the store's own read
 * and write come on top), and weighs the document, for the encoding before (the state file's
 * indented JSON, read with a reviver) and the shared one now, as ratios in the same run. Figures: docs/capacity.md.
 *
 *   node dist/bench/fleet-state.js [--checks 1000,10000] [--repeat 9]
 */
import { parseArgs } from "node:util";
import { advanceFleet } from "../lib/alerting/quorum.js";
import { emptyState, type AlertState } from "../lib/alerting/state.js";
import { parseState, sharedStateJson, stateJson } from "../lib/alerting/state-file.js";
import type { AlertPolicy, QuorumRule, Result } from "../lib/types.js";

const { values: flags } = parseArgs({ options: { checks: { type: "string", default: "1000,10000" }, repeat: { type: "string", default: "9" } } });
const NODES = ["eu-1", "eu-2", "eu-3"];
const S = 1_000_000_000n;
const T0 = 1_796_168_400_004_000_000n;
const rule: QuorumRule = { down: 2, of: 3, window: 180e9 };
const policy: AlertPolicy = { failureThreshold: 1, successThreshold: 1, renotify: 0, digest: false, timeout: 10e9 };
const notifiers = [{ id: "webhook:3f9a2c", policy }];

function round(checks: number, at: bigint): Result[] {
  return Array.from({ length: checks }, (_, c): Result => {
    const base = { title: `Service ${c}`, endpoint: `https://service-${c}.example.com/health`, timestamp: at };
    return c % 100 === 0
      ? { ...base, down: true, times: [{ rtt: 10_000_000_000, error: "response status 503 Service Unavailable" }] }
      : { ...base, healthy: true, times: [{ rtt: 21_000_000 + c }] };
  });
}

/** How a document is read and written. */
interface Encoding { parse: (text: string) => AlertState; encode: (state: AlertState) => string }

const NS_KEYS = new Set(["at", "since", "sentAt", "digestAt", "until"]);
/** Before: the state file's indented JSON, read with a reviver (as state-file.ts did), for the shared document too. */
const before: Encoding = {
  parse: (text) => JSON.parse(text, (k, v: unknown) => (NS_KEYS.has(k) && typeof v === "string" && /^-?\d+$/.test(v) ? BigInt(v) : v)) as AlertState,
  encode: stateJson,
};
const now: Encoding = { parse: parseState, encode: sharedStateJson };

interface Timed { parse: number; fold: number; encode: number }

/** One node's update of a document, as SharedPlace applies it: read, fold the round in, write; each step timed (ms). */
function update(doc: { text: string }, e: Encoding, node: string, results: Result[], at: bigint): Timed {
  const t0 = performance.now();
  const prev = e.parse(doc.text);
  const t1 = performance.now();
  const { state } = advanceFleet(prev, node, results, () => rule, notifiers, at, () => false);
  const t2 = performance.now();
  doc.text = e.encode(state);
  return { parse: t1 - t0, fold: t2 - t1, encode: performance.now() - t2 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Figures { bytes: number; total: number; parse: number; fold: number; encode: number }

/** Both encodings in lockstep, update by update, so the machine's noise falls on both alike. */
function measure(checks: number, repeat: number): [Figures, Figures] {
  const docs = [before, now].map((e) => ({ e, doc: { text: e.encode(emptyState()) }, runs: [] as Timed[] }));
  let at = T0;
  // Steady state first: every node has observed every check (two rounds each).
  for (let i = 0; i < 2 * NODES.length + repeat; i++, at += S) {
    const results = round(checks, at);
    for (const d of docs) {
      const run = update(d.doc, d.e, NODES[i % NODES.length]!, results, at);
      if (i >= 2 * NODES.length) d.runs.push(run);
    }
  }
  return docs.map(({ doc, runs }) => {
    const of = (step: (t: Timed) => number) => median(runs.map(step));
    return { bytes: Buffer.byteLength(doc.text), total: of((t) => t.parse + t.fold + t.encode), parse: of((t) => t.parse), fold: of((t) => t.fold), encode: of((t) => t.encode) };
  }) as [Figures, Figures];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const ms = (x: number) => `${x.toFixed(0)} ms`.padStart(7);
console.log(`shared alert state, ${NODES.length} nodes, 1 notifier, 1 % down; one update = parse + fold (advanceFleet) + encode, medians of ${flags.repeat}`);
console.log("checks  encoding      size   update   parse    fold  encode  size ratio  update ratio");
for (const checks of flags.checks.split(",").map(Number)) {
  const [old, shared] = measure(checks, Number(flags.repeat));
  for (const [name, m] of [["before", old], ["shared", shared]] as const) {
    console.log(`${String(checks).padStart(6)}  ${name.padEnd(9)} ${kb(m.bytes).padStart(8)} ${ms(m.total)} ${ms(m.parse)} ${ms(m.fold)} ${ms(m.encode)}` +
      `  ${(m.bytes / old.bytes).toFixed(2).padStart(10)}  ${(m.total / old.total).toFixed(2).padStart(12)}`);
  }
}
