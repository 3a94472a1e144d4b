/**
 * Where alert state lives between runs: in memory (for `every`), in a small JSON file so separate
 * `checkup --store` processes from cron share it, or, under `quorum` or auto shards, in a document of the storage
 * the nodes of a fleet share. Every change is a pure update applied atomically (under a
 * cross-process lock, or the store's own transaction or compare-and-swap), so two racing runs take
 * turns and the second sees the alert the first one raised; deliveries happen after it.
 */
import { mkdir, readFile, rename } from "node:fs/promises";
import path from "node:path";
import { keyFromTitleAndEndpoint } from "../check-key.js";
import { statePath } from "../files/state-dir.js";
import { writeFileAtomic } from "../files/atomic.js";
import { withLock } from "../files/lock.js";
import { messageOf } from "../errors.js";
import type { SharedStore } from "../types.js";
import { emptyState, type AlertState } from "./state.js";

/** Keys whose values are Unix ns: written as digit strings, read back as bigint. */
const NS_KEYS = new Set(["at", "since", "sentAt", "digestAt", "until"]);

/** `$XDG_STATE_HOME/checkup/alerts/<hash of identity>.json` (default under `~/.local/state`). */
export function defaultStateFile(identity: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${statePath("alerts", identity, env)}.json`;
}

/** 2: checks keyed by checkKey (the title). 1 keyed them by title and endpoint; it is migrated on read. */
const VERSION = 2;

const nsAsText = (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);

/** The state file: indented, for the operator who opens it. */
export function stateJson(state: AlertState): string {
  return JSON.stringify({ version: VERSION, ...state }, nsAsText, 1);
}

/**
 * The fleet's shared document: the same JSON, compact, since every node rewrites it whole every
 * round (0.72 of the size; the reader of either is parseState, so older nodes read it too).
 */
export function sharedStateJson(state: AlertState): string {
  return JSON.stringify({ version: VERSION, ...state }, nsAsText);
}

export function parseState(text: string): AlertState {
  const data = withNanos(JSON.parse(text)) as AlertState & { version?: number };
  if ((data?.version !== 1 && data?.version !== VERSION) || typeof data.checks !== "object" || typeof data.notifiers !== "object") {
    throw new Error(`not a checkup alert state file (version 1 or ${VERSION})`);
  }
  const { version, ...state } = data;
  const parsed = { ...state, incidents: Array.isArray(state.incidents) ? state.incidents : [] };
  return version === 1 ? rekeyed(parsed) : parsed;
}

/**
 * `value` with the Unix ns of NS_KEYS read back as bigint, in place. A walk after JSON.parse, not a
 * reviver: half the time on a fleet's document of 10,000 checks (bench/fleet-state.ts).
 */
function withNanos(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const o = value as Record<string, unknown>;
  for (const k in o) {
    const v = o[k];
    if (typeof v === "string") {
      if (NS_KEYS.has(k) && /^-?\d+$/.test(v)) o[k] = BigInt(v);
    } else withNanos(v);
  }
  return value;
}

/** A version 1 state under the current keys; open alerts remember the key they went out under. */
function rekeyed(state: AlertState): AlertState {
  const rekey = <T>(o: Record<string, T>, value: (v: T, old: string) => T = (v) => v) =>
    Object.fromEntries(Object.entries(o).map(([old, v]) => [keyFromTitleAndEndpoint(old), value(v, old)]));
  const notifiers = Object.fromEntries(Object.entries(state.notifiers).map(([id, n]) => [id, {
    ...n, open: rekey(n.open, (alert, old) => (old === keyFromTitleAndEndpoint(old) ? alert : { ...alert, key: alert.key ?? old })),
  }]));
  return { ...state, checks: rekey(state.checks), notifiers };
}

/** What an update makes of the state: the new state (absent: unchanged) and what its caller acts on. */
export interface StateChange<T> {
  state?: AlertState;
  value: T;
}

/**
 * A change of the alert state as a function of the current one (undefined: none kept yet). It may
 * run more than once (a shared store retries it after a conflict), so it must not act on the world:
 * its caller delivers, sends or logs from the value it resolved with, once it has been recorded.
 */
export type StateUpdate<T> = (current: AlertState | undefined) => Promise<StateChange<T>>;

/** Where the state is kept; each applies an update atomically against every other user of the place. */
interface StatePlace {
  apply<T>(update: StateUpdate<T>): Promise<T>;
}

/** The document a fleet keeps its alert state in, in a SharedStore. */
export const SHARED_STATE = "alerts";

export class StateStore {
  private readonly place: StatePlace;
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * In a SharedStore (the fleet's, under `quorum` or auto shards), in a file (cron runs of one config), or, when
   * undefined, in memory only. `warn` hears about unreadable or unsaved state.
   */
  constructor(where: string | SharedStore | undefined, warn: (message: string) => void) {
    this.place = where === undefined ? new MemoryPlace() : typeof where === "string" ? new FilePlace(where, warn) : new SharedPlace(where, warn);
  }

  /** Applies `update` alone: in turn within this process, and atomically across processes and nodes. */
  update<T>(update: StateUpdate<T>): Promise<T> {
    const run = () => this.place.apply(update);
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

class MemoryPlace implements StatePlace {
  state: AlertState | undefined;

  async apply<T>(update: StateUpdate<T>): Promise<T> {
    const change = await update(this.state);
    if (change.state) this.state = change.state;
    return change.value;
  }
}

/** A state file under a cross-process lock; the last state is kept in memory should the file fail. */
class FilePlace implements StatePlace {
  private readonly memory = new MemoryPlace();

  constructor(private readonly file: string, private readonly warn: (message: string) => void) {}

  async apply<T>(update: StateUpdate<T>): Promise<T> {
    const file = this.file;
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // Updates are short (deliveries run after them, in the outbox): a live holder is waited for.
    return withLock(`${file}.lock`, async () => {
      const change = await update(await this.read(file));
      if (!change.state) return change.value;
      this.memory.state = change.state;
      await writeFileAtomic(file, `${stateJson(change.state)}\n`)
        .catch((e: unknown) => this.warn(`cannot save alert state: ${messageOf(e)}; kept in memory`));
      return change.value;
    }, { timeoutMs: 180_000, staleMs: 300_000 });
  }

  private async read(file: string): Promise<AlertState | undefined> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      this.warn(`cannot read alert state ${file}: ${(e as Error).message}; using the state in memory`);
      return this.memory.state;
    }
    try {
      return parseState(text);
    } catch (e) {
      // A damaged file must not silence alerts forever: set it aside and start over.
      await rename(file, `${file}.corrupt`).catch(() => undefined);
      this.warn(`alert state ${file} is damaged (${(e as Error).message}); moved to ${file}.corrupt`);
      return this.memory.state;
    }
  }
}

/** The fleet's state, one document in a SharedStore. A store that fails fails the update: nothing is decided alone. */
class SharedPlace implements StatePlace {
  constructor(private readonly store: SharedStore, private readonly warn: (message: string) => void) {}

  async apply<T>(update: StateUpdate<T>): Promise<T> {
    const { value, damaged } = await this.store.updateShared(SHARED_STATE, async (text) => {
      const { state, damaged } = readShared(text);
      const change = await update(state);
      const next = change.state ?? (damaged !== undefined || text === undefined ? emptyState() : undefined);
      return { text: next ? sharedStateJson(next) : text!, value: { value: change.value, damaged } };
    });
    // A damaged document must not silence alerts forever: it is replaced by the update's state.
    if (damaged) this.warn(`the shared alert state (${SHARED_STATE}) was damaged (${damaged}); started over`);
    return value;
  }
}

function readShared(text: string | undefined): { state?: AlertState; damaged?: string } {
  if (text === undefined) return {};
  try {
    return { state: parseState(text) };
  } catch (e) {
    return { damaged: messageOf(e) };
  }
}
