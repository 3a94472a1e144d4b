/**
 * `github`: check files and `index.json` committed to a repository through the Contents API, as
 * checkup does (typically a gh-pages branch that GitHub Pages serves to the status page).
 * Unlike checkup, concurrent writers lose nothing (sha-guarded writes are retried after re-reading)
 * and maintain() also clears index entries when `dir` is set.
 */
import { bool, nanos, str, url, type Raw, type Scope } from "../config/fields.js";
import { MINUTE, type Nanos } from "../duration.js";
import { nowUnixNanos, type UnixNanos } from "../nanos.js";
import { parseResults, resultsJson } from "../result.js";
import { SUMMARY_DIR } from "../summary/format.js";
import { backfillSummaries } from "../summary/query.js";
import { pruneSummaries, recordRound } from "../summary/writer.js";
import type { Maintainer, Result, SharedStore, SharedUpdate, Storage, StorageReader, StoreIndex, Summarizer, SummaryBlobs } from "../types.js";
import { contentsApi, GithubConflict, retryConflicts, type ContentsApi, type GithubTarget } from "../storing/github-api.js";
import { assertPlainName, indexJson, isPlainName, parseIndexFile, placeRound, type IndexFile } from "../files/index-file.js";
import { serial } from "../storing/serial.js";
import { assertSharedName, compareAndSwap, SHARED_DIR, type VersionedDocs } from "../storing/shared-docs.js";
import type { StorageType } from "../plugin-types.js";

export interface GithubOptions extends GithubTarget {
  /** Folder in the repository ("" = its root), without leading or trailing slashes. */
  dir: string;
  /** Delete rounds older than this on maintain(); 0 = keep forever. Integer ns. */
  checkExpiry: Nanos;
  /** Also keep `<dir>/summaries/` for the status page (four more commits per round, and one for status.json; feed.xml only when something happened). Default true. */
  summaries?: boolean;
}


export class GithubStorage implements Storage, StorageReader, Maintainer, Summarizer, SharedStore {
  readonly type = "github";
  /**
   * Each write is a commit on one branch, and parallel commits make GitHub answer 409, so this
   * process writes one file at a time. Other processes are handled by the sha guard and retries.
   */
  private readonly queue = serial();
  /** This process's shared-document updates, one at a time: only other nodes' commits make it retry. */
  private readonly sharedQueue = serial();

  constructor(readonly options: GithubOptions, private readonly api: ContentsApi) {}

  private path(name: string): string {
    return this.options.dir ? `${this.options.dir}/${name}` : name;
  }

  /** Check file, index entry, summaries: each skipped when done, so a retried round is stored once. */
  async store(results: Result[], at: UnixNanos = nowUnixNanos()): Promise<string> {
    const body = resultsJson(results);
    let marked = false;
    const { name, ns } = await this.queue(async () => {
      const placed = await placeRound(at, body, {
        create: async (name) => {
          try {
            // A 409 means the branch moved under us: write again. A 422 means the name is taken.
            await retryConflicts(() => this.api.write(this.path(name), body, undefined), 8, "changed");
            return true;
          } catch (e) {
            if (e instanceof GithubConflict && e.kind === "exists") return false;
            throw e;
          }
        },
        read: async (name) => (await this.api.read(this.path(name)))?.text,
      });
      await this.updateIndex(({ index, summaries }) => {
        marked = summaries;
        if (index.has(placed.name)) return false;
        index.set(placed.name, nowUnixNanos());
        return true;
      });
      return placed;
    });
    const keeps = this.options.summaries !== false;
    if (keeps) await recordRound(this.summaryBlobs(), { name, storedAt: ns, results });
    // One more commit only when the entry changes (a store's first round with summaries).
    if (marked !== keeps) await this.queue(() => this.markSummaries(keeps));
    return name;
  }

  /** Sets or clears index.json's summaries entry (see fs.ts), after the summaries index exists. */
  private markSummaries(keeps: boolean): Promise<void> {
    return this.updateIndex((file) => {
      const changed = file.summaries !== keeps;
      file.summaries = keeps;
      return changed;
    });
  }

  async index(): Promise<StoreIndex> {
    const file = await this.api.read(this.path("index.json"));
    return file ? parseIndexFile(file.text, this.path("index.json")).index : new Map();
  }

  async fetch(name: string): Promise<Result[]> {
    assertPlainName(name);
    const file = await this.api.read(this.path(name));
    if (!file) throw new Error(`github GET ${this.options.owner}/${this.options.repo}/${this.path(name)}: no such check file`);
    return parseResults(file.text, this.path(name));
  }

  /**
   * Deletes indexed files older than check_expiry (one commit each), then their index entries (one
   * commit). Index keys are file names inside `dir`; checkup removed them by full path, so with a
   * `dir` its index kept growing.
   */
  async maintain(now: UnixNanos = nowUnixNanos()): Promise<{ removed: string[] }> {
    if (this.options.checkExpiry <= 0) return { removed: [] };
    const cutoff = now - BigInt(this.options.checkExpiry);
    const removed = await this.queue(async () => {
      const expired = [...(await this.index())]
        .filter(([name, ns]) => ns < cutoff && isPlainName(name) && name !== "index.json")
        .map(([name]) => name).sort();
      if (expired.length === 0) return [];
      const listed = new Map((await this.api.list(this.options.dir)).map((f) => [f.name, f.sha]));
      for (const name of expired) await this.deleteFile(this.path(name), listed.get(name));
      await this.updateIndex(({ index }) => {
        for (const name of expired) index.delete(name);
        return true;
      });
      return expired;
    });
    if (this.options.summaries !== false) await pruneSummaries(this.summaryBlobs(), cutoff);
    return { removed };
  }

  /** Deletes a file; `sha` is a hint from a listing, re-read if it turns out stale. */
  private async deleteFile(path: string, sha: string | undefined): Promise<void> {
    let known = sha;
    await retryConflicts(async () => {
      const current = known ?? (await this.api.read(path))?.sha;
      known = undefined;
      if (current) await this.api.remove(path, current);
    });
  }

  /**
   * Read-modify-write of index.json, guarded by its sha and redone from a fresh read on a conflict;
   * no commit when `change` changed nothing.
   */
  private updateIndex(change: (file: IndexFile) => boolean): Promise<void> {
    const path = this.path("index.json");
    return retryConflicts(async () => {
      const stored = await this.api.read(path);
      const file = stored ? parseIndexFile(stored.text, path) : { index: new Map<string, UnixNanos>(), summaries: false };
      if (change(file)) await this.api.write(path, indexJson(file.index, file.summaries), stored?.sha);
    });
  }

  /** `<dir>/shared/<name>.json`: outside index.json, so neither readers of rounds nor maintain() see it. */
  async readShared(name: string): Promise<string | undefined> {
    return (await this.api.read(this.sharedPath(name)))?.text;
  }

  /**
   * Compare-and-swap on the file's blob sha: the commit names the sha read (none when creating),
   * so GitHub refuses it (409 stale sha, 422 file exists) if another node committed first.
   */
  updateShared<T>(name: string, update: (current: string | undefined) => Promise<SharedUpdate<T>>): Promise<T> {
    const docs: VersionedDocs = {
      read: async (doc) => {
        const file = await this.api.read(this.sharedPath(doc));
        return file && { text: file.text, version: file.sha };
      },
      // The commit joins this process's queue of commits, which GitHub wants one at a time.
      write: (doc, text, sha) => this.queue(async () => {
        try {
          await this.api.write(this.sharedPath(doc), text, sha);
          return true;
        } catch (e) {
          if (e instanceof GithubConflict) return false;
          throw e;
        }
      }),
    };
    const where = `github storage (${this.options.owner}/${this.options.repo}/${this.sharedPath(name)})`;
    return this.sharedQueue(() => compareAndSwap(docs, name, update, where));
  }

  private sharedPath(name: string): string {
    assertSharedName(name);
    return this.path(`${SHARED_DIR}/${name}.json`);
  }

  /** Writes summaries for rounds stored without them (by the Go checkup, or with summaries off). */
  async summarize(): Promise<number> {
    const rounds = await backfillSummaries(this, this.summaryBlobs());
    await this.queue(() => this.markSummaries(true));
    return rounds;
  }

  /**
   * `<dir>/summaries/…`. A put replaces the version this update read (or creates a file it found
   * missing), so two nodes updating summaries at once conflict instead of overwriting each other;
   * the loser redoes the whole update from fresh reads, which is safe because merging a round
   * twice changes nothing (see addRounds).
   */
  summaries(): SummaryBlobs | undefined {
    return this.options.summaries === false ? undefined : this.summaryBlobs();
  }

  private summaryBlobs(): SummaryBlobs {
    const folder = this.path(SUMMARY_DIR);
    const file = (name: string) => `${folder}/${name.slice(name.lastIndexOf("/") + 1)}`;
    /** Blob sha per summary file as of this update's reads; undefined = read and found missing. */
    let seen = new Map<string, string | undefined>();
    const shaOf = async (name: string) => (seen.has(name) ? seen.get(name) : (await this.api.read(file(name)))?.sha);
    return {
      get: async (name) => {
        const found = await this.api.read(file(name));
        seen.set(name, found?.sha);
        return found?.text;
      },
      put: async (name, text) => {
        seen.set(name, await this.api.write(file(name), text, await shaOf(name)));
      },
      remove: async (name) => {
        const sha = await shaOf(name);
        if (sha) await this.api.remove(file(name), sha);
        seen.set(name, undefined);
      },
      list: async () => (await this.api.list(folder)).map((f) => f.name),
      exclusive: (work) => this.queue(() => retryConflicts(() => {
        seen = new Map();
        return work();
      })),
    };
  }
}

/** "/status/updates/" → "status/updates". */
const repoDir = (text: string) => text.replace(/^\/+|\/+$/g, "");

export default {
  parse: (raw: Raw, at: Scope): GithubOptions => {
    const accessToken = str(raw, "access_token", at, { secret: true });
    if (!accessToken) {
      at.problem("access_token", "Please specify access_token in storage configuration: a GitHub token that may write to the repository " +
        "(classic: repo scope; fine-grained: Contents read and write), e.g. \"${GITHUB_TOKEN}\"");
    }
    return {
      accessToken,
      owner: str(raw, "repository_owner", at, { required: `the account owning the repository, e.g. "octocat" for github.com/octocat/status` }),
      repo: str(raw, "repository_name", at, { required: `the repository's name, e.g. "status" for github.com/octocat/status` }),
      committerName: str(raw, "committer_name", at),
      committerEmail: str(raw, "committer_email", at),
      branch: str(raw, "branch", at),
      dir: repoDir(str(raw, "dir", at)),
      // Under a minute is a unit slip (seconds written as ns) that would delete every round.
      checkExpiry: nanos(raw, "check_expiry", at, { default: 0, min: MINUTE }),
      commitMessageSuffix: str(raw, "commit_message_suffix", at, { default: "[ci skip]" }),
      baseUrl: url(raw, "base_url", at, {
        required: `the API root of GitHub Enterprise, like "https://github.example.com/api/v3" (or remove the key)`,
        example: "https://github.example.com/api/v3",
        optional: true,
      }),
      summaries: bool(raw, "summaries", at, true),
    };
  },
  create: async (options: GithubOptions) => new GithubStorage(options, await contentsApi(options)),
  sharesState: true,
} satisfies StorageType<GithubOptions>;
