/**
 * Where alert state lives between runs: always in memory (for `every`), and in a small JSON file
 * when one is configured, so separate `checkup --store` processes from cron share it. Each
 * read-decide-deliver-write cycle holds a cross-process lock, so two racing runs take turns and
 * the second sees the alert the first one raised.
 */
import { mkdir, readFile, rename } from "node:fs/promises";
import path from "node:path";
import { keyFromTitleAndEndpoint } from "../check-key.js";
import { statePath } from "../files/state-dir.js";
import { writeFileAtomic } from "../files/atomic.js";
import { withLock } from "../files/lock.js";
import type { AlertState } from "./state.js";

/** Keys whose values are Unix ns: written as digit strings, read back as bigint. */
const NS_KEYS = new Set(["at", "since", "sentAt", "digestAt", "until"]);

/** `$XDG_STATE_HOME/checkup/alerts/<hash of identity>.json` (default under `~/.local/state`). */
export function defaultStateFile(identity: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${statePath("alerts", identity, env)}.json`;
}

/** 2: checks keyed by checkKey (the title). 1 keyed them by title and endpoint; it is migrated on read. */
const VERSION = 2;

export function stateJson(state: AlertState): string {
  return JSON.stringify({ version: VERSION, ...state }, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 1);
}

export function parseState(text: string): AlertState {
  const data = JSON.parse(text, (k, v: unknown) => (NS_KEYS.has(k) && typeof v === "string" && /^-?\d+$/.test(v) ? BigInt(v) : v)) as
    AlertState & { version?: number };
  if ((data?.version !== 1 && data?.version !== VERSION) || typeof data.checks !== "object" || typeof data.notifiers !== "object") {
    throw new Error(`not a checkup alert state file (version 1 or ${VERSION})`);
  }
  const { version, ...state } = data;
  const parsed = { ...state, incidents: Array.isArray(state.incidents) ? state.incidents : [] };
  return version === 1 ? rekeyed(parsed) : parsed;
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

/** Gives a work function exclusive use of the state: (current state or undefined, save). */
export type StateWork<T> = (state: AlertState | undefined, save: (s: AlertState) => Promise<void>) => Promise<T>;

export class StateStore {
  private memory: AlertState | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  /** `file` undefined: memory only. `warn` hears about unreadable files. */
  constructor(readonly file: string | undefined, private readonly warn: (message: string) => void) {}

  /** Runs `work` alone: in turn within this process, and under a file lock across processes. */
  with<T>(work: StateWork<T>): Promise<T> {
    const run = () => (this.file ? this.locked(this.file, work) : work(this.memory, async (s) => void (this.memory = s)));
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async locked<T>(file: string, work: StateWork<T>): Promise<T> {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // Deliveries run under the lock (tries × timeout stay well under staleMs), so a racing run
    // never decides before the first one has recorded its alert.
    return withLock(`${file}.lock`, async () => work(await this.read(file), async (s) => {
      this.memory = s;
      await writeFileAtomic(file, `${stateJson(s)}\n`);
    }), { timeoutMs: 180_000, staleMs: 300_000 });
  }

  private async read(file: string): Promise<AlertState | undefined> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      this.warn(`cannot read alert state ${file}: ${(e as Error).message}; using the state in memory`);
      return this.memory;
    }
    try {
      return parseState(text);
    } catch (e) {
      // A damaged file must not silence alerts forever: set it aside and start over.
      await rename(file, `${file}.corrupt`).catch(() => undefined);
      this.warn(`alert state ${file} is damaged (${(e as Error).message}); moved to ${file}.corrupt`);
      return this.memory;
    }
  }
}
