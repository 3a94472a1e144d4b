/**
 * `fs`: one `<ns>-check.json` file per round plus `index.json`, exactly as checkup writes them,
 * made safe for concurrent writers: files are created atomically and index.json is updated under a
 * cross-process lock, so two cron jobs (or two nodes on a shared disk) never lose an entry.
 */
import { mkdir, readFile, unlink } from "node:fs/promises";
import path from "node:path";
import { bool, nanos, str, type Raw, type Scope } from "../config/fields.js";
import { folder, notAFolder } from "../config/folder.js";
import { RuntimeError } from "../errors.js";
import { MINUTE, type Nanos } from "../duration.js";
import { nowUnixNanos, type UnixNanos } from "../nanos.js";
import { parseResults, resultsJson } from "../result.js";
import { backfillSummaries } from "../summary/query.js";
import { fsSummaryBlobs, pruneSummaries, recordRound } from "../summary/writer.js";
import type { Maintainer, Result, Storage, StorageReader, StoreIndex, Summarizer } from "../types.js";
import { createFileAtomic, writeFileAtomic } from "./atomic.js";
import type { StorageType } from "./index.js";
import { checkFileName, checkFileTime, indexJson, parseIndex } from "./index-file.js";
import { withLock } from "./lock.js";

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

export class FsStorage implements Storage, StorageReader, Maintainer, Summarizer {
  readonly type = "fs";
  constructor(readonly options: FsOptions) {}

  private get indexFile(): string {
    return path.join(this.options.dir, "index.json");
  }

  async store(results: Result[], at: UnixNanos = nowUnixNanos()): Promise<string> {
    await this.makeDir();
    const body = `${resultsJson(results)}\n`;
    let name: string;
    for (let ns = at; ; ns++) {
      name = checkFileName(ns);
      try {
        await createFileAtomic(path.join(this.options.dir, name), body);
        break;
      } catch (e) {
        // Another writer took this nanosecond: take the next one.
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
    }
    await this.updateIndex((index) => index.set(name, nowUnixNanos()));
    if (this.options.summaries !== false) await recordRound(fsSummaryBlobs(this.options.dir), { name, storedAt: checkFileTime(name)!, results });
    return name;
  }

  async index(): Promise<StoreIndex> {
    try {
      return parseIndex(await readFile(this.indexFile, "utf8"), this.indexFile);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return new Map();
      throw e;
    }
  }

  async fetch(name: string): Promise<Result[]> {
    if (!/^[\w.-]+$/.test(name) || name.startsWith(".")) throw new Error(`invalid check file name ${JSON.stringify(name)}`);
    const file = path.join(this.options.dir, name);
    return parseResults(await readFile(file, "utf8"), file);
  }

  /** Deletes indexed rounds older than check_expiry; files not in the index are never touched. */
  async maintain(now: UnixNanos = nowUnixNanos()): Promise<{ removed: string[] }> {
    const removed: string[] = [];
    if (this.options.checkExpiry <= 0) return { removed };
    const cutoff = now - BigInt(this.options.checkExpiry);
    await this.updateIndex(async (index) => {
      for (const [name, storedAt] of index) {
        if (storedAt >= cutoff || name === "index.json" || name.includes("/")) continue;
        await unlink(path.join(this.options.dir, name)).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== "ENOENT") throw e;
        });
        index.delete(name);
        removed.push(name);
      }
    });
    if (this.options.summaries !== false) await pruneSummaries(fsSummaryBlobs(this.options.dir), cutoff);
    return { removed };
  }

  /** Writes summaries for rounds stored without them (by the Go checkup, or with summaries off). */
  summarize(): Promise<number> {
    return backfillSummaries(this, fsSummaryBlobs(this.options.dir));
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

  /** Read-modify-write of index.json under the folder's lock. */
  private async updateIndex(change: (index: StoreIndex) => unknown): Promise<void> {
    await this.makeDir();
    await withLock(`${this.indexFile}.lock`, async () => {
      const index = await this.index();
      await change(index);
      await writeFileAtomic(this.indexFile, `${indexJson(index)}\n`);
    });
  }
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
} satisfies StorageType<FsOptions>;
