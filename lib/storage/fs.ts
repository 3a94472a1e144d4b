/**
 * `fs`: one `<ns>-check.json` file per round plus `index.json`, exactly as checkup writes them,
 * made safe for concurrent writers: files are created atomically and index.json is updated under a
 * cross-process lock, so two cron jobs (or two nodes on a shared disk) never lose an entry.
 */
import { mkdir, readdir, readFile, unlink } from "node:fs/promises";
import path from "node:path";
import { bool, nanos, str, type Raw, type Scope } from "../config/fields.js";
import { folder, notAFolder } from "../config/folder.js";
import { RuntimeError } from "../errors.js";
import { MINUTE, type Nanos } from "../duration.js";
import { nowUnixNanos, type UnixNanos } from "../nanos.js";
import { parseResults, resultsJson } from "../result.js";
import { backfillSummaries } from "../summary/query.js";
import { SUMMARY_DIR } from "../summary/format.js";
import { pruneSummaries, recordRound } from "../summary/writer.js";
import { parsePing, pingJson } from "../ping.js";
import type { Maintainer, Ping, PingStore, Result, SharedStore, SharedUpdate, Storage, StorageReader, StoreIndex, Summarizer, SummaryBlobs } from "../types.js";
import { createFileAtomic, writeFileAtomic } from "../files/atomic.js";
import { assertPlainName, indexJson, parseIndexFile, placeRound, type IndexFile } from "../files/index-file.js";
import { withLock } from "../files/lock.js";
import { assertSharedName, SHARED_DIR } from "../storing/shared-docs.js";
import type { StorageType } from "../plugin-types.js";

export interface FsOptions {
  /** Folder for check files and index.json; relative to the working directory, as in checkup. */
  dir: string;
  /** Where the folder is served (documentation only, as in checkup). */
  url: string;
  /** Delete rounds older than this on maintain(); 0 = keep forever. Integer ns. */
  checkExpiry: Nanos;
  /** Also keep `summaries/` (see lib/summary/format.ts) so the status page loads fast. Default true. */
  summaries?: boolean;
}

/** Heartbeat pings: one small file per heartbeat, `<dir>/heartbeats/<token hash>.json`. */
const PING_DIR = "heartbeats";

export class FsStorage implements Storage, StorageReader, Maintainer, Summarizer, PingStore, SharedStore {
  readonly type = "fs";
  constructor(readonly options: FsOptions) {}

  private get indexFile(): string {
    return path.join(this.options.dir, "index.json");
  }

  private file(name: string): string {
    return path.join(this.options.dir, name);
  }

  /**
   * Check file, then its index entry, then summaries. Each step is skipped when already done, so
   * a retry of a round that failed at a later step completes it instead of storing it twice.
   */
  async store(results: Result[], at: UnixNanos = nowUnixNanos()): Promise<string> {
    await this.makeDir();
    const body = `${resultsJson(results)}\n`;
    const { name, ns, created } = await placeRound(at, body, {
      create: (name) => createFileAtomic(this.file(name), body).then(() => true, (e: NodeJS.ErrnoException) => {
        if (e.code === "EEXIST") return false;
        throw e;
      }),
      read: (name) => readFile(this.file(name), "utf8").catch(ifMissing),
    });
    let marked = false;
    try {
      await this.updateIndex(({ index, summaries }) => {
        marked = summaries;
        if (index.has(name)) return false;
        index.set(name, nowUnixNanos());
        return true;
      });
    } catch (e) {
      if (created) await this.removeUnindexed(name);
      throw e;
    }
    const keeps = this.options.summaries !== false;
    if (keeps) await recordRound(fsSummaryBlobs(this.options.dir), { name, storedAt: ns, results });
    if (marked !== keeps) await this.markSummaries(keeps);
    return name;
  }

  /**
   * Sets or clears index.json's summaries entry (the page's sign that summaries exist: no 404 to
   * find out), after the summaries index is written, so a reader that sees the entry finds it.
   */
  private markSummaries(keeps: boolean): Promise<void> {
    return this.updateIndex((file) => {
      const changed = file.summaries !== keeps;
      file.summaries = keeps;
      return changed;
    });
  }

  /**
   * After a failed index update (a full disk): a check file index.json does not list would never
   * expire, so it goes; the spool stores the round again.
   */
  private async removeUnindexed(name: string): Promise<void> {
    const index = await this.index().catch(() => undefined);
    if (index && !index.has(name)) await unlink(this.file(name)).catch(() => undefined);
  }

  async index(): Promise<StoreIndex> {
    return (await this.indexFileRead()).index;
  }

  private async indexFileRead(): Promise<IndexFile> {
    const text = await readFile(this.indexFile, "utf8").catch(ifMissing);
    return text === undefined ? { index: new Map(), summaries: false } : parseIndexFile(text, this.indexFile);
  }

  async fetch(name: string): Promise<Result[]> {
    assertPlainName(name);
    const file = this.file(name);
    return parseResults(await readFile(file, "utf8"), file);
  }

  /** Deletes indexed rounds older than check_expiry; files not in the index are never touched. */
  async maintain(now: UnixNanos = nowUnixNanos()): Promise<{ removed: string[] }> {
    const removed: string[] = [];
    if (this.options.checkExpiry <= 0) return { removed };
    const cutoff = now - BigInt(this.options.checkExpiry);
    await this.updateIndex(async ({ index }) => {
      for (const [name, storedAt] of index) {
        if (storedAt >= cutoff || name === "index.json" || name.includes("/")) continue;
        await unlink(this.file(name)).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== "ENOENT") throw e;
        });
        index.delete(name);
        removed.push(name);
      }
      return removed.length > 0;
    });
    if (this.options.summaries !== false) await pruneSummaries(fsSummaryBlobs(this.options.dir), cutoff);
    return { removed };
  }

  summaries(): SummaryBlobs | undefined {
    return this.options.summaries === false ? undefined : fsSummaryBlobs(this.options.dir);
  }

  /** Writes summaries for rounds stored without them (by the Go checkup, or with summaries off). */
  async summarize(): Promise<number> {
    const rounds = await backfillSummaries(this, fsSummaryBlobs(this.options.dir));
    await this.markSummaries(true);
    return rounds;
  }

  /** Replaces the heartbeat's file atomically: the latest ping is all a heartbeat needs. */
  async recordPing(key: string, ping: Ping): Promise<void> {
    await this.makeDir();
    await mkdir(path.join(this.options.dir, PING_DIR), { recursive: true });
    await writeFileAtomic(this.pingFile(key), `${pingJson(ping)}\n`);
  }

  async lastPing(key: string): Promise<Ping | undefined> {
    const file = this.pingFile(key);
    const text = await readFile(file, "utf8").catch(ifMissing);
    return text === undefined ? undefined : parsePing(text, file);
  }

  private pingFile(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`invalid heartbeat key ${JSON.stringify(key)}`);
    return path.join(this.options.dir, PING_DIR, `${key}.json`);
  }

  /**
   * Shared documents: `<dir>/shared/<name>.json`, outside index.json, so neither readers of rounds
   * nor maintain() see them.
   */
  async readShared(name: string): Promise<string | undefined> {
    return readFile(this.sharedFile(name), "utf8").catch(ifMissing);
  }

  /** Read, update and atomic replace under the document's own cross-process lock (files/lock.ts). */
  async updateShared<T>(name: string, update: (current: string | undefined) => Promise<SharedUpdate<T>>): Promise<T> {
    const file = this.sharedFile(name);
    await this.makeDir();
    await mkdir(path.dirname(file), { recursive: true });
    return withLock(`${file}.lock`, async () => {
      const { text, value } = await update(await readFile(file, "utf8").catch(ifMissing));
      await writeFileAtomic(file, text);
      return value;
    });
  }

  private sharedFile(name: string): string {
    assertSharedName(name);
    return path.join(this.options.dir, SHARED_DIR, `${name}.json`);
  }

  /** Creates the folder; a file in its way is named as the config field to fix. */
  private async makeDir(): Promise<void> {
    try {
      await mkdir(this.options.dir, { recursive: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EEXIST" && code !== "ENOTDIR") throw e;
      throw new RuntimeError(`storage.dir: ${notAFolder(this.options.dir, code === "ENOTDIR")}`, { cause: e });
    }
  }

  /** Read-modify-write of index.json under the folder's lock; `change` tells whether it changed anything. */
  private async updateIndex(change: (file: IndexFile) => boolean | Promise<boolean>): Promise<void> {
    await this.makeDir();
    await withLock(`${this.indexFile}.lock`, async () => {
      const file = await this.indexFileRead();
      if (await change(file)) await writeFileAtomic(this.indexFile, `${indexJson(file.index, file.summaries)}\n`);
    });
  }
}

function ifMissing(e: NodeJS.ErrnoException): undefined {
  if (e.code !== "ENOENT") throw e;
  return undefined;
}

export default {
  parse: (raw: Raw, at: Scope): FsOptions => ({
    dir: folder(raw, "dir", at, { required: `the folder to write check files to, e.g. "checks"` }),
    url: str(raw, "url", at),
    // Under a minute is a unit slip (seconds written as ns) that would delete every round.
    checkExpiry: nanos(raw, "check_expiry", at, { default: 0, min: MINUTE }),
    summaries: bool(raw, "summaries", at, true),
  }),
  create: async (options: FsOptions) => new FsStorage(options),
  keepsPings: true,
  sharesState: true,
} satisfies StorageType<FsOptions>;

/** `<dir>/summaries/…`, written atomically, updated under the same kind of lock as index.json. */
export function fsSummaryBlobs(dir: string): SummaryBlobs {
  const root = path.join(dir, SUMMARY_DIR);
  const file = (name: string) => path.join(root, path.basename(name));
  const missing = (e: NodeJS.ErrnoException) => {
    if (e.code !== "ENOENT") throw e;
    return undefined;
  };
  return {
    get: (name) => readFile(file(name), "utf8").catch(missing),
    put: async (name, text) => {
      await mkdir(root, { recursive: true });
      await writeFileAtomic(file(name), text);
    },
    remove: (name) => unlink(file(name)).catch(missing),
    list: async () => (await readdir(root).catch(missing)) ?? [],
    exclusive: async (work) => {
      await mkdir(root, { recursive: true });
      return withLock(path.join(root, ".lock"), work);
    },
  };
}
