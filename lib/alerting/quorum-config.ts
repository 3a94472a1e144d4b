/**
 * `"quorum": {"down": 2, "of": 3, "window": "3m"}`, at the top of checkup.json and on a checker,
 * whose keys override the top level's. The rule itself is applied in quorum.ts.
 */
import { formatGoDuration, SECOND, type Nanos } from "../duration.js";
import type { Problem } from "../errors.js";
import { int, nanos, record, type Raw, type Scope } from "../config/fields.js";
import { storageTypesThat } from "../storage/index.js";
import type { StorageSpec } from "../plugin-types.js";
import type { Checker, QuorumRule } from "../types.js";

/** More nodes than any fleet runs: a bigger number is a typo. */
const MAX_NODES = 1000;
/** A shorter window forgets a node between two of its rounds at any interval `every` allows. */
const MIN_WINDOW = SECOND;

const majority = (of: number) => Math.floor(of / 2) + 1;

/** Reads `quorum` in `raw`; absent, the rule inherited from the top level (scope context), if any. */
export function parseQuorum(raw: Raw, at: Scope): QuorumRule | undefined {
  const inherited = at.context.quorum;
  const given = record(raw, "quorum", at);
  if (!given) return inherited;
  const q = at.child("quorum");
  const of = int(given, "of", q, { default: inherited?.of ?? 0, min: 1, max: MAX_NODES });
  // `of` and `window` are required unless the top level gives them, which a schema cannot see.
  q.describe("of", { type: "integer", minimum: 1, maximum: MAX_NODES, description: "the nodes expected to run the check" });
  const down = int(given, "down", q, { default: inherited?.down ?? majority(of), min: 1, max: MAX_NODES });
  q.describe("down", { type: "integer", minimum: 1, maximum: MAX_NODES, description: "the nodes that must say down (or degraded) for the check to be; default: a majority of `of`" });
  const window = nanos(given, "window", q, { default: inherited?.window ?? 0, min: MIN_WINDOW,
    required: inherited || at.describing ? undefined : `how long a node's latest result counts, e.g. "3m" (two or three intervals)` });
  q.warnUnknownKeys(given);
  if (given.of === undefined && !inherited) q.problem("of", "missing: set it to the number of nodes that run the check, e.g. 3");
  // A pair wholly inherited was judged at the top level, once.
  const judged = inherited !== undefined && given.down === undefined && given.of === undefined;
  if (of > 0 && down > of && !judged) q.problem("down", `${down} nodes cannot agree among ${of}: set it to at most "of" (a majority of ${of} is ${majority(of)})`);
  return { down, of, window, at: q.path };
}

/** `quorum` keeps the fleet's alert state in the storage: one that cannot share it (or none) is a problem, named at the first rule. */
export async function refuseUnsharedStorage(rules: readonly QuorumRule[], storage: StorageSpec | undefined, at: Scope): Promise<void> {
  if (rules.length === 0 || storage?.sharesState) return;
  const kinds = await storageTypesThat("sharesState");
  const choice = kinds.length === 0 ? "none is available in this version" : `use one of ${kinds.join(", ")}`;
  const why = storage ? `, and storage ${JSON.stringify(storage.type)} cannot share it: ${choice}` : `: add a "storage" the nodes share (${choice})`;
  at.problem(rules[0]!.at ?? "quorum", `quorum keeps the fleet's alert state in the storage${why}`);
}

/**
 * `checkup every INTERVAL`: a window shorter than the interval forgets each node between two of its
 * rounds, so no verdict would ever count the whole fleet. One problem per rule.
 */
export function shortWindows(checkers: readonly Checker[], interval: Nanos): Problem[] {
  const rules = new Map(checkers.flatMap((c) => (c.quorum && c.quorum.window < interval ? [[c.quorum.at ?? "quorum", c.quorum] as const] : [])));
  return [...rules].map(([at, rule]) => ({
    path: `${at}.window`,
    message: `${formatGoDuration(rule.window)} is shorter than the interval of checkup every (${formatGoDuration(interval)}): ` +
      `each node's result would expire before its next round; set it to two or three intervals, e.g. "${formatGoDuration(3 * interval)}"`,
  }));
}
