/**
 * Auto shards (`"shards": {"mode": "auto", "replicas": 3}`): before each round of `every`, a node
 * beats in the storage's node registry and reads which nodes beat within the last two intervals;
 * it then runs the checks it owns among those by rendezvous hashing (rendezvous.ts), each check
 * owned by `replicas` of them. A node that stops beating drops out of every other node's list two
 * intervals later, and its checks go to the next heaviest nodes. While the registry does not
 * answer, a node runs every check: a check run twice is better than a check run by nobody.
 * A node joining the fleet (its first round that reaches the registry) reads the live nodes again
 * until none has joined for a quiet period, so nodes started together (a Deployment's replicas)
 * agree on their shares from the first round instead of the first one running every check.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { int, record, shown, str, type Raw, type Scope } from "../config/fields.js";
import { orReference } from "../config/shape.js";
import { formatGoDuration, SECOND, type Nanos } from "../duration.js";
import { messageOf, UsageError } from "../errors.js";
import type { StorageSpec } from "../plugin-types.js";
import { storageTypesThat } from "../storage/index.js";
import { isNodeRegistry, type NodeBeat, type NodeRegistry, type Ownership, type Storage } from "../types.js";
import type { Identified } from "../check-key.js";
import { hostNode } from "./node.js";
import { ownedChecks } from "./rendezvous.js";

export interface ShardsConfig {
  /** How many live nodes run each check (fewer when fewer are alive). */
  replicas: number;
}

/** More replicas than this is a typo: the checks would run on every node of any real fleet anyway. */
export const MAX_REPLICAS = 100;
/** A node is alive while it beat within this many intervals. */
const ALIVE_INTERVALS = 2;
/** A process silent this many intervals is deleted from the registry (restarts leave a row each). */
const FORGET_INTERVALS = 10;
/** A joining node waits until no node has joined for this share of the interval, at most JOIN_QUIET_MAX. */
const JOIN_QUIET_SHARE = 0.1;
const JOIN_QUIET_MAX: Nanos = 2 * SECOND;
/** A joining node never waits longer than this share of the interval, at most JOIN_MAX (nodes that keep coming cannot hold it). */
const JOIN_SHARE = 0.25;
const JOIN_MAX: Nanos = 10 * SECOND;
/** This process, told apart from another process that runs under the same node name. */
const PROCESS_INSTANCE = randomBytes(8).toString("hex");

export interface ShardsContext {
  storage: StorageSpec | undefined;
  /** The storage parsed, or there is none: a storage with problems of its own is not judged again. */
  storageKnown: boolean;
  /** `--shard i/N` was given: static and auto shards would divide the checks twice. */
  staticShard: boolean;
}

/** Reads the top-level `shards`; undefined when absent. */
export async function parseShards(raw: Raw, at: Scope, context: ShardsContext): Promise<ShardsConfig | undefined> {
  const shards = record(raw, "shards", at);
  if (!shards) return undefined;
  const shardsAt = at.child("shards");
  const mode = str(shards, "mode", shardsAt, { required: `"auto" (the nodes share the checks through the storage)` });
  shardsAt.describe("mode", { ...orReference({ enum: ["auto"] }), description: "auto: the nodes share the checks through the storage" }, true);
  if (mode && mode !== "auto") shardsAt.problem("mode", `expected "auto" (static shards are --shard i/N on each node), got ${shown(mode)}`);
  const replicas = int(shards, "replicas", shardsAt, { default: 1, min: 1, max: MAX_REPLICAS, note: "how many live nodes run each check" });
  shardsAt.warnUnknownKeys(shards);
  if (at.describing) return undefined;
  if (context.staticShard) {
    shardsAt.problem(undefined, `auto shards and --shard (or CHECKUP_SHARD) would both divide the checks: drop --shard, or remove "shards"`);
  } else if (context.storageKnown && !context.storage?.registersNodes) {
    const kinds = await storageTypesThat("registersNodes");
    shardsAt.problem(undefined, context.storage
      ? `auto shards need a storage the nodes register in, and storage ${JSON.stringify(context.storage.type)} is not one: use one of ${kinds.join(", ")}`
      : `auto shards need a storage the nodes register in: add a "storage" of type ${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)}`);
  }
  return { replicas };
}

/** What a round runs under auto shards. */
export interface Share<T> {
  checks: T[];
  ownership: Ownership;
}

export interface AutoShardsOptions<T> {
  config: ShardsConfig;
  storage: Storage | undefined;
  /** Default: the host name. */
  node: string | undefined;
  /** Every check this node could run, in config order. */
  checks: readonly T[];
  warn: (message: string) => void;
  /** This process's id in the registry; default one random id per process. */
  instance?: string;
}

/** Builds the per-round share; the storage must be a NodeRegistry. */
export function autoShards<T extends Identified>(o: AutoShardsOptions<T>): AutoShards<T> {
  if (!o.storage || !isNodeRegistry(o.storage)) {
    throw new UsageError(`auto shards need a storage the nodes register in (a NodeRegistry), and ${o.storage ? `storage ${o.storage.type} is not one` : "there is no storage"}`);
  }
  return new AutoShards(o.storage, o.node ?? hostNode(), o.config.replicas, o.checks, o.warn, o.instance ?? PROCESS_INSTANCE);
}

export class AutoShards<T extends Identified> {
  /** The live nodes of the last round ("" while the registry did not answer), and the checks owned among them. */
  private last: { nodes: string; checks: T[] } | undefined;
  private unreachable = false;
  /** This node has read the live nodes after a join period (join()); until then each round tries again. */
  private joined = false;

  constructor(private readonly registry: NodeRegistry, readonly node: string, readonly replicas: number,
    private readonly checks: readonly T[], private readonly warn: (message: string) => void, readonly instance: string) {}

  /** Beats, then returns the checks this node owns among the live nodes (every check when the registry does not answer). */
  async select(interval: Nanos, signal?: AbortSignal): Promise<Share<T>> {
    const live = this.joined ? await this.beat(interval, signal) : await this.join(interval, signal);
    if (!live) return this.share("", [...this.checks], 0);
    for (const other of live) {
      if (other.node === this.node && other.instance !== this.instance) {
        this.warn(`another process also runs as node ${this.node} (instance ${other.instance}); give each node its own --node`);
      }
    }
    const nodes = nodeNames([{ node: this.node }, ...live]);
    const key = nodes.join("\n");
    const checks = this.last?.nodes === key ? this.last.checks : ownedChecks(this.checks, this.node, nodes, this.replicas);
    return this.share(key, checks, nodes.length);
  }

  /**
   * Deletes this process from the registry (a node stopping), so the others take its checks from
   * their next round instead of two intervals later. Best effort, within `ms`: a failure only
   * leaves the row to age out.
   */
  async leave(ms = 1000): Promise<void> {
    await within(this.registry.leave({ node: this.node, instance: this.instance }), ms).catch(() => undefined);
  }

  private share(nodes: string, checks: T[], liveNodes: number): Share<T> {
    const changed = this.last?.nodes !== nodes;
    this.last = { nodes, checks };
    return { checks, ownership: { owned: checks.length, of: this.checks.length, liveNodes, changed } };
  }

  /**
   * The first beat, then beats again every quiet period (JOIN_QUIET_*) until one finds no node
   * that the previous did not, at most JOIN_* in all. Nodes that beat within a quiet period of
   * one another thus all see each other before any runs a check, and a lone node starts after one
   * quiet period (2 s with `every 1m`). Undefined when the registry does not answer.
   */
  private async join(interval: Nanos, signal?: AbortSignal): Promise<NodeBeat[] | undefined> {
    const quietMs = Math.min(interval * JOIN_QUIET_SHARE, JOIN_QUIET_MAX) / 1e6;
    const endsAt = performance.now() + Math.min(interval * JOIN_SHARE, JOIN_MAX) / 1e6;
    let live = await this.beat(interval, signal);
    for (let left = endsAt - performance.now(); live && left > 0; left = endsAt - performance.now()) {
      await delay(Math.min(quietMs, left), undefined, { signal });
      const again = await this.beat(interval, signal);
      const quiet = again !== undefined && nodeNames(again).every((node) => live!.some((b) => b.node === node));
      live = again;
      if (quiet) break;
    }
    this.joined = live !== undefined;
    return live;
  }

  /** The live nodes, or undefined when the registry failed or did not answer in time (warned once per outage). */
  private async beat(interval: Nanos, signal?: AbortSignal): Promise<NodeBeat[] | undefined> {
    try {
      const beat = this.registry.heartbeat({ node: this.node, instance: this.instance }, ALIVE_INTERVALS * interval, FORGET_INTERVALS * interval);
      const live = await within(beat, beatTimeout(interval), signal);
      if (this.unreachable) this.warn("the node registry answers again: sharing the checks among the live nodes");
      this.unreachable = false;
      return live;
    } catch (e) {
      if (signal?.aborted) throw e;
      if (!this.unreachable) this.warn(`the node registry does not answer (${messageOf(e)}): running all ${this.checks.length} checks until it does`);
      this.unreachable = true;
      return undefined;
    }
  }
}

/** The distinct node names among `beats`, sorted. */
function nodeNames(beats: readonly Pick<NodeBeat, "node">[]): string[] {
  return [...new Set(beats.map((b) => b.node))].sort();
}

/** Half the interval, from 1 s to 10 s: a hung registry delays a round by that much at most. Milliseconds. */
function beatTimeout(interval: Nanos): number {
  return Math.min(Math.max(interval / 2, SECOND), 10 * SECOND) / 1e6;
}

/** `work`, or a rejection once `ms` pass or `signal` aborts (a late outcome of `work` is dropped). */
function within<T>(work: Promise<T>, ms: number, signal?: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  const stop = AbortSignal.any([AbortSignal.timeout(ms), ...(signal ? [signal] : [])]);
  return new Promise<T>((resolve, reject) => {
    const onStop = () => reject(signal?.aborted ? signal.reason : new Error(`no answer within ${formatGoDuration(ms * 1e6)}`));
    if (stop.aborted) return onStop();
    stop.addEventListener("abort", onStop, { once: true });
    work.then(resolve, reject).finally(() => stop.removeEventListener("abort", onStop));
  });
}

/** `node eu-1 now runs 34 of 100 checks (3 live nodes)`: what `every` prints when the share changes. */
export function ownershipText(node: string, o: Ownership): string {
  const among = o.liveNodes === 0 ? "the node registry does not answer" : `${o.liveNodes} live node${o.liveNodes === 1 ? "" : "s"}`;
  return `node ${node} now runs ${o.owned} of ${o.of} checks (${among})`;
}
