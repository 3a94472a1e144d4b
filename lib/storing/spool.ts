/**
 * A storage outage must not lose a round. SpoolingStorage wraps a storage: a round that cannot be
 * stored is written to a local spool folder, and every later store first replays the spooled
 * rounds (under their original timestamps) before storing the new one.
 */
import { mkdir, readdir, readFile, rename, unlink } from "node:fs/promises";
import path from "node:path";
import { statePath } from "../files/state-dir.js";
import { messageOf, RuntimeError } from "../errors.js";
import { nowUnixNanos, type UnixNanos } from "../nanos.js";
import { parseResults, ResultFormatError, resultsJson } from "../result.js";
import type { Result, Storage } from "../types.js";
import { writeFileAtomic } from "../files/atomic.js";
import { checkFileName, checkFileTime } from "../files/index-file.js";

/** `$XDG_STATE_HOME/checkup/spool/<hash>`: a folder per storage target, so two configs never replay into each other's storage. */
export function defaultSpoolDir(storageIdentity: string, env: NodeJS.ProcessEnv = process.env): string {
  return statePath("spool", storageIdentity, env);
}

export class SpoolingStorage implements Storage {
  readonly type: string;

  /** `tell` hears about rounds that waited in the spool and are now stored, and damaged spool files. */
  constructor(readonly inner: Storage, readonly dir: string, private readonly tell: (message: string) => void = () => undefined) {
    this.type = inner.type;
  }

  async store(results: Result[], at: UnixNanos = nowUnixNanos()): Promise<string> {
    try {
      await this.replay();
      return await this.inner.store(results, at);
    } catch (e) {
      const kept = await this.keep(results, at);
      throw new RuntimeError(`storing to ${this.inner.type} failed: ${messageOf(e)}; the round is kept in ${kept} and will be stored by the next successful run`, { cause: e });
    }
  }

  /** Rounds waiting in the spool, oldest first. */
  async pending(): Promise<string[]> {
    const names = await readdir(this.dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return [] as string[];
      throw e;
    });
    return names.filter((n) => checkFileTime(n) !== undefined).sort();
  }

  private async replay(): Promise<void> {
    for (const name of await this.pending()) {
      const file = path.join(this.dir, name);
      let results: Result[];
      try {
        results = parseResults(await readFile(file, "utf8"), file);
      } catch (e) {
        // A damaged spool file must not block every later round: set it aside for a human.
        if (!(e instanceof ResultFormatError)) throw e;
        await rename(file, `${file}.corrupt`);
        this.tell(`a damaged round in the spool was set aside as ${file}.corrupt`);
        continue;
      }
      await this.inner.store(results, checkFileTime(name));
      await unlink(file);
      this.tell(`stored ${name}, kept in the spool while storing to ${this.inner.type} failed`);
    }
  }

  private async keep(results: Result[], at: UnixNanos): Promise<string> {
    const file = path.join(this.dir, checkFileName(at));
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, resultsJson(results));
    return file;
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }
}
