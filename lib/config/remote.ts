/**
 * A config read from elsewhere than a file, so a whole fleet of nodes shares one: `https://…`
 * (plain `http://` only on loopback: a config read in the clear could be changed on its way, and
 * it holds the checks, notifiers and storage) or `s3://bucket/key` (credentials from the SDK's
 * chain, AWS_* variables; an S3-compatible server from CHECKUP_S3_ENDPOINT, AWS_ENDPOINT_URL_S3 or
 * AWS_ENDPOINT_URL). Each read says whether the text changed since the last one (ETag, else the
 * text itself), so `every` rebuilds only when it did.
 */
import net from "node:net";
import { s3Client } from "../storing/s3-client.js";
import { messageOf } from "../errors.js";

/** One read: the text, or `undefined` when it is what the previous read returned. */
export interface RemoteRead {
  text: string | undefined;
}

export interface RemoteConfig {
  /** What messages call it: the URL without userinfo, query or fragment (they may hold secrets). */
  readonly name: string;
  read(): Promise<RemoteRead>;
}

export interface RemoteLimits {
  /** A config larger than this is the wrong URL. Bytes (the file limit, MAX_CONFIG_BYTES). */
  maxBytes: number;
  /** One whole read: connect, answer and body. Milliseconds. */
  timeoutMs: number;
}

/** Whether `-c` names a remote config rather than a file. */
export function isRemoteLocation(location: string): boolean {
  return /^(https?|s3):\/\//i.test(location);
}

/** The reader for a remote location; a message saying what is wrong with it otherwise. */
export function remoteConfig(location: string, limits: RemoteLimits, env: NodeJS.ProcessEnv): RemoteConfig | string {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return `not a URL: write https://host/path/checkup.json or s3://bucket/key`;
  }
  if (url.protocol === "s3:") {
    const key = decodeURIComponent(url.pathname.replace(/^\//, ""));
    if (!url.hostname || !key) return "expected s3://bucket/key, e.g. s3://my-bucket/checkup.json";
    return new S3Config(url.hostname, key, limits, env);
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    return "plain http:// is allowed only on loopback (127.0.0.1, ::1, localhost): use https:// so the config cannot be changed on its way";
  }
  return new HttpConfig(url, limits);
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost") return true;
  return net.isIPv4(bare) ? bare.startsWith("127.") : bare === "::1";
}

/** Remembers the last version seen, so an unchanged config is reported as such. */
abstract class Versioned implements RemoteConfig {
  abstract readonly name: string;
  private etag: string | undefined;
  private text: string | undefined;

  async read(): Promise<RemoteRead> {
    const got = await this.get(this.etag);
    if (got === undefined) return { text: undefined };
    const same = (got.etag !== undefined && got.etag === this.etag) || got.text === this.text;
    this.etag = got.etag;
    this.text = got.text;
    return { text: same ? undefined : got.text };
  }

  /** The text and its ETag, or undefined when the server says it is unchanged (304). */
  protected abstract get(etag: string | undefined): Promise<{ text: string; etag?: string } | undefined>;
}

class HttpConfig extends Versioned {
  readonly name: string;
  private readonly auth: string | undefined;
  private readonly target: string;

  constructor(url: URL, private readonly limits: RemoteLimits) {
    super();
    this.name = `${url.origin}${url.pathname}`;
    // fetch() refuses URLs carrying credentials: they go into the header instead.
    this.auth = url.username ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}` : undefined;
    const bare = new URL(url);
    bare.username = "";
    bare.password = "";
    this.target = bare.href;
  }

  protected async get(etag: string | undefined): Promise<{ text: string; etag?: string } | undefined> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (etag) headers["if-none-match"] = etag;
    if (this.auth) headers.authorization = this.auth;
    const signal = AbortSignal.timeout(this.limits.timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.target, { headers, signal, redirect: "manual" });
    } catch (e) {
      if (signal.aborted) throw new Error(`no answer within ${this.limits.timeoutMs / 1000} s`);
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`cannot reach ${new URL(this.target).host}: ${cause?.code ?? cause?.message ?? messageOf(e)}`);
    }
    if (res.status === 304 && etag) return undefined;
    if (res.status !== 200) {
      await res.body?.cancel();
      const hint = res.status >= 300 && res.status < 400 ? " (redirects are not followed: give the final URL)" : "";
      throw new Error(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}${hint}`);
    }
    return { text: await readCapped(res, this.limits.maxBytes, signal), etag: res.headers.get("etag") ?? undefined };
  }
}

/** The body as UTF-8, refusing one longer than `maxBytes`. */
async function readCapped(res: Response, maxBytes: number, signal: AbortSignal): Promise<string> {
  const declared = Number(res.headers.get("content-length") ?? 0);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new Error(tooLarge(declared, maxBytes));
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    // Node's web streams are async iterable; TypeScript's DOM types do not say so.
    for await (const chunk of (res.body ?? []) as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) {
        await res.body?.cancel();
        throw new Error(tooLarge(size, maxBytes));
      }
      chunks.push(chunk);
    }
  } catch (e) {
    if (signal.aborted) throw new Error("the answer did not finish in time");
    throw e;
  }
  return Buffer.concat(chunks).toString("utf8");
}

const tooLarge = (size: number, max: number) => `${size} bytes or more is more than a config may have (${max / 1024 / 1024} MB): is -c pointing at the right URL?`;

class S3Config extends Versioned {
  readonly name: string;

  constructor(private readonly bucket: string, private readonly key: string, private readonly limits: RemoteLimits,
    private readonly env: NodeJS.ProcessEnv) {
    super();
    this.name = `s3://${bucket}/${key}`;
  }

  protected async get(etag: string | undefined): Promise<{ text: string; etag?: string } | undefined> {
    const endpoint = this.env.CHECKUP_S3_ENDPOINT || this.env.AWS_ENDPOINT_URL_S3 || this.env.AWS_ENDPOINT_URL || "";
    const { sdk, client } = await s3Client({ accessKeyId: "", secretAccessKey: "", region: this.env.AWS_REGION ?? "", endpoint }, "an s3:// config");
    const signal = AbortSignal.timeout(this.limits.timeoutMs);
    try {
      const out = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.key, IfNoneMatch: etag }), { abortSignal: signal });
      if ((out.ContentLength ?? 0) > this.limits.maxBytes) {
        out.Body?.transformToWebStream().cancel().catch(() => undefined);
        throw new Error(tooLarge(out.ContentLength!, this.limits.maxBytes));
      }
      return { text: (await out.Body?.transformToString("utf8")) ?? "", etag: out.ETag };
    } catch (e) {
      if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 304) return undefined;
      if (signal.aborted) throw new Error(`no answer within ${this.limits.timeoutMs / 1000} s`);
      const name = (e as { name?: string }).name;
      throw new Error(`${name && name !== "Error" ? `${name}: ` : ""}${messageOf(e)}`);
    } finally {
      client.destroy();
    }
  }
}
