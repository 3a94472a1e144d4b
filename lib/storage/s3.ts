/**
 * `s3`: one `<ns>-check.json` object per round, as checkup writes it (bucket root unless `prefix`
 * is set; no index.json — the status page lists the bucket, or reads `summaries/`).
 * Unlike checkup it can be read back (`serve`), and maintain() deletes only expired check files,
 * never the other objects in the bucket (checkup deleted every old object, status page included).
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { bool, nanos, str, url, type Raw, type Scope } from "../config/fields.js";
import { MINUTE, type Nanos } from "../duration.js";
import { dateToUnixNanos, nowUnixNanos, type UnixNanos } from "../nanos.js";
import { mapLimit } from "../pool.js";
import { parseResults, resultsJson } from "../result.js";
import { SUMMARY_DIR } from "../summary/format.js";
import { backfillSummaries } from "../summary/query.js";
import { pruneSummaries, recordRound } from "../summary/writer.js";
import type { Maintainer, ProvisionInfo, ProvisionOptions, Provisioner, Result, SharedStore, SharedUpdate, Storage, StorageReader, StoreIndex, Summarizer, SummaryBlobs } from "../types.js";
import { assertPlainName, checkFileTime, placeRound } from "../files/index-file.js";
import { s3Client, s3Error, type S3Connection, type S3Sdk } from "../storing/s3-client.js";
import { serial } from "../storing/serial.js";
import { assertSharedName, compareAndSwap, SHARED_DIR, type Versioned } from "../storing/shared-docs.js";
import type { StorageType } from "../plugin-types.js";

export interface S3Options extends S3Connection {
  bucket: string;
  /** Key prefix, "" (the bucket root, as checkup) or ending in "/". Extension. */
  prefix: string;
  /** Delete rounds older than this on maintain(); 0 = keep forever. Integer ns. */
  checkExpiry: Nanos;
  /** Also keep `<prefix>summaries/` so the status page loads without listing the bucket. Default true. */
  summaries?: boolean;
}

/** Parallel deletes on maintain: enough to clear a backlog quickly without a burst of requests. */
const DELETE_CONCURRENCY = 8;

/** What a write may be conditional on: no object at the key yet, or the object with this ETag. */
type PutCondition = { IfNoneMatch: "*" } | { IfMatch: string };

export class S3Storage implements Storage, StorageReader, Maintainer, Provisioner, Summarizer, SharedStore {
  readonly type = "s3";
  /** Names being written by this process, so concurrent stores at one nanosecond get distinct names. */
  private readonly pending = new Set<string>();
  /**
   * S3 offers no lock that s3rver and every S3-compatible server honour, so summaries are updated
   * one at a time per process only: two nodes writing summaries to one bucket and prefix at the
   * same moment may drop a round from a summary (never a check file). Give each node its own prefix.
   */
  private readonly summaryQueue = serial();
  /** This process's shared-document updates, one at a time: only other nodes' writes make it retry. */
  private readonly sharedQueue = serial();

  constructor(readonly options: S3Options, private readonly sdk: S3Sdk, private readonly client: S3Client) {}

  async store(results: Result[], at: UnixNanos = nowUnixNanos()): Promise<string> {
    const body = resultsJson(results);
    const { name, ns } = await placeRound(at, body, {
      busy: (name) => this.pending.has(name),
      create: async (name) => {
        this.pending.add(name);
        try {
          // If-None-Match makes AWS refuse (412) a name another node already took; servers that do not
          // support conditional writes (s3rver) ignore it.
          return !(await this.putText(this.key(name), body, { IfNoneMatch: "*" }));
        } finally {
          this.pending.delete(name);
        }
      },
      read: (name) => this.getText(this.key(name)),
    });
    if (this.options.summaries !== false) await recordRound(this.summaryBlobs(), { name, storedAt: ns, results });
    return name;
  }

  /** Check files directly under the prefix; the value is the time in the name (else LastModified). */
  async index(): Promise<StoreIndex> {
    const index: StoreIndex = new Map();
    for (const o of await this.list(this.options.prefix)) {
      const name = o.key.slice(this.options.prefix.length);
      if (!name.endsWith("-check.json")) continue;
      index.set(name, checkFileTime(name) ?? o.modified);
    }
    return index;
  }

  async fetch(name: string): Promise<Result[]> {
    assertPlainName(name);
    const text = await this.getText(this.key(name));
    if (text === undefined) throw new Error(`s3 GetObject ${this.where(this.key(name))}: no such check file`);
    return parseResults(text, this.where(this.key(name)));
  }

  /** Deletes check files older than check_expiry, and expired summaries. Nothing else is touched. */
  async maintain(now: UnixNanos = nowUnixNanos()): Promise<{ removed: string[] }> {
    if (this.options.checkExpiry <= 0) return { removed: [] };
    const cutoff = now - BigInt(this.options.checkExpiry);
    const removed = [...(await this.index())].filter(([, ns]) => ns < cutoff).map(([name]) => name).sort();
    // One DeleteObject per key: DeleteObjects needs Content-MD5 on some S3-compatible servers.
    await mapLimit(removed, DELETE_CONCURRENCY, (name) => this.remove(this.key(name)));
    if (this.options.summaries !== false) await pruneSummaries(this.summaryBlobs(), cutoff);
    return { removed };
  }

  /** Creates the bucket (public read, CORS) and a user that may only read it: `checkup provision`. */
  async provision(options: ProvisionOptions = {}): Promise<ProvisionInfo> {
    const { provisionS3 } = await import("../storing/s3-provision.js");
    return provisionS3(this.options, { sdk: this.sdk, client: this.client }, options);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** `<prefix>shared/<name>.json`: in a subfolder, so neither index() nor the page's listing sees it. */
  async readShared(name: string): Promise<string | undefined> {
    return (await this.getVersioned(this.sharedKey(name)))?.text;
  }

  /**
   * Compare-and-swap on the object's ETag: the write carries `If-Match` (`If-None-Match: *` when
   * creating), so S3 refuses it (412, or 409 for a write racing it) if another node wrote first.
   * Needs a server that honours conditional writes, as AWS S3 does.
   */
  updateShared<T>(name: string, update: (current: string | undefined) => Promise<SharedUpdate<T>>): Promise<T> {
    const docs = {
      read: (doc: string) => this.getVersioned(this.sharedKey(doc)),
      write: async (doc: string, text: string, etag: string | undefined) =>
        !(await this.putText(this.sharedKey(doc), text, etag === undefined ? { IfNoneMatch: "*" } : { IfMatch: etag })),
    };
    return this.sharedQueue(() => compareAndSwap(docs, name, update, `s3 storage (${this.where(this.sharedKey(name))})`));
  }

  private sharedKey(name: string): string {
    assertSharedName(name);
    return this.key(`${SHARED_DIR}/${name}.json`);
  }

  private key(name: string): string {
    return `${this.options.prefix}${name}`;
  }

  private where(key: string): string {
    return `s3://${this.options.bucket}/${key}`;
  }

  private async call<T>(op: string, key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw s3Error(op, this.where(key), e);
    }
  }

  private async getText(key: string): Promise<string | undefined> {
    return (await this.getVersioned(key))?.text;
  }

  /** An object's text and ETag; undefined when there is none. */
  private async getVersioned(key: string): Promise<Versioned | undefined> {
    try {
      const out = await this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return { text: await out.Body!.transformToString("utf8"), version: out.ETag ?? "" };
    } catch (e) {
      if ((e as { name?: string }).name === "NoSuchKey") return undefined;
      throw s3Error("GetObject", this.where(key), e);
    }
  }

  /**
   * Writes an object; with a condition, resolves true instead when the server refuses it: 412 (the
   * condition failed), 409 (a conditional write racing this one), 404 (If-Match, and the object is gone).
   */
  private async putText(key: string, text: string, condition?: PutCondition): Promise<boolean> {
    try {
      await this.client.send(new this.sdk.PutObjectCommand({
        Bucket: this.options.bucket, Key: key, Body: text, ContentType: "application/json", ...condition,
      }));
      return false;
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (condition && (status === 412 || status === 409 || ((e as { name?: string }).name === "NoSuchKey" && "IfMatch" in condition))) return true;
      throw s3Error("PutObject", this.where(key), e);
    }
  }

  private remove(key: string): Promise<unknown> {
    return this.call("DeleteObject", key, () => this.client.send(new this.sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: key })));
  }

  /** The objects directly under `prefix` (not in its subfolders). */
  private async list(prefix: string): Promise<{ key: string; modified: UnixNanos }[]> {
    const found: { key: string; modified: UnixNanos }[] = [];
    const pages = this.sdk.paginateListObjectsV2({ client: this.client }, { Bucket: this.options.bucket, Prefix: prefix, Delimiter: "/" });
    await this.call("ListObjectsV2", prefix, async () => {
      for await (const page of pages) {
        for (const o of page.Contents ?? []) {
          if (o.Key) found.push({ key: o.Key, modified: dateToUnixNanos(o.LastModified ?? new Date(0)) });
        }
      }
    });
    return found;
  }

  /** Writes summaries for rounds stored without them (by the Go checkup, or with summaries off). */
  summarize(): Promise<number> {
    return backfillSummaries(this, this.summaryBlobs());
  }

  /** `<prefix>summaries/…` for lib/summary/writer.ts. */
  summaries(): SummaryBlobs | undefined {
    return this.options.summaries === false ? undefined : this.summaryBlobs();
  }

  private summaryBlobs(): SummaryBlobs {
    const folder = `${this.options.prefix}${SUMMARY_DIR}/`;
    const key = (name: string) => `${folder}${name.slice(name.lastIndexOf("/") + 1)}`;
    return {
      get: (name) => this.getText(key(name)),
      put: async (name, text) => void (await this.putText(key(name), text)),
      remove: async (name) => void (await this.remove(key(name))),
      list: async () => (await this.list(folder)).map((o) => o.key.slice(folder.length)),
      exclusive: this.summaryQueue,
    };
  }
}

/** "checks", "/checks/" → "checks/"; "" stays "" (the bucket root). */
function keyPrefix(text: string): string {
  const trimmed = text.replace(/^\/+|\/+$/g, "");
  return trimmed ? `${trimmed}/` : "";
}

export default {
  parse: (raw: Raw, at: Scope): S3Options => {
    const options: S3Options = {
      accessKeyId: str(raw, "access_key_id", at, { secret: true }),
      secretAccessKey: str(raw, "secret_access_key", at, { secret: true }),
      region: str(raw, "region", at),
      bucket: str(raw, "bucket", at, { required: `the bucket to write check files to, e.g. "my-checkup"` }),
      // Under a minute is a unit slip (seconds written as ns) that would delete every round.
      checkExpiry: nanos(raw, "check_expiry", at, { default: 0, min: MINUTE }),
      endpoint: url(raw, "endpoint", at, {
        required: `an S3-compatible server's URL like "http://127.0.0.1:9000" (or remove the key for AWS)`,
        example: "http://127.0.0.1:9000",
        optional: true,
      }),
      prefix: keyPrefix(str(raw, "prefix", at)),
      summaries: bool(raw, "summaries", at, true),
    };
    if (!options.accessKeyId !== !options.secretAccessKey) {
      const missing = options.accessKeyId ? "secret_access_key" : "access_key_id";
      at.warn(missing, "missing, so both keys are ignored and the AWS default credential chain is used (set both, or neither)");
    }
    return options;
  },
  create: async (options: S3Options) => {
    const { sdk, client } = await s3Client(options);
    return new S3Storage(options, sdk, client);
  },
  sharesState: true,
} satisfies StorageType<S3Options>;
