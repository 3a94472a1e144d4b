/**
 * A real S3-compatible server for storage tests: s3rver, in this process, on 127.0.0.1 with a
 * free port, closed when the test file finishes. It checks the access key id (S3RVER) but not the
 * signature, so a wrong secret goes unnoticed; a wrong key id is refused like AWS refuses it.
 * Two of s3rver 3.7's gaps are patched where real S3 differs: PUTs are written whole before they
 * are answered (atomicPuts), and PutObject honours the conditional-write headers (conditionalPuts).
 */
import { S3Client } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { createRequire } from "node:module";
import path from "node:path";
import S3rver from "s3rver";
import { after } from "node:test";
import { tmpDir } from "./tmp.js";
import { serial, type Serial } from "../../lib/storing/serial.js";

export const S3_KEY = "S3RVER";
export const S3_SECRET = "S3RVER";

export interface TestS3 {
  endpoint: string;
  /** A plain SDK client, to look at objects the way another tool (or the status page) would. */
  client: S3Client;
  /** Conditional PUTs refused so far (412 PreconditionFailed, 404 NoSuchKey for If-Match). */
  refusedPuts: number;
  /** Runs before a conditional PUT of `key` is checked: lets a test play "another writer" at the worst moment. */
  beforeConditionalPut?: (key: string) => Promise<void>;
}

interface S3rverObject {
  content: NodeJS.ReadableStream & { destroy(): void } | null;
  metadata: Record<string, string>;
}

interface S3rverStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  getObject(bucket: string, key: string, options?: { start?: number; end?: number }): Promise<S3rverObject | null>;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: { bucket: string; key: string; content: Buffer | NodeJS.ReadableStream; metadata: unknown }): Promise<{ size: number; md5: string }>;
}

/**
 * s3rver 3.7 answers a PUT before the object's file is fully written (it truncates, then streams),
 * so a GET right after can read an empty object, which real S3 never returns; and a GET takes the
 * size and ETag before it opens the file, so one racing a PUT can get the new bytes cut to the old
 * length. Here its store writes objects whole (temp file, then rename), and a whole-object GET
 * reads one version and gives its own length and ETag, as S3's strong consistency promises.
 */
function atomicPuts(server: S3rver): void {
  const store = (server as unknown as { store: S3rverStore }).store;
  const getObject = store.getObject.bind(store);
  store.getObject = async (bucket, key, options) => {
    const object = await getObject(bucket, key, options);
    if (!object?.content || options?.start !== undefined || options?.end !== undefined) return object;
    object.content.destroy();
    const body = await readFile(store.getResourcePath(bucket, key, "object")).catch(() => undefined);
    if (body === undefined) return null; // deleted meanwhile
    object.content = Readable.from([body]);
    object.metadata["content-length"] = String(body.length);
    object.metadata.etag = JSON.stringify(createHash("md5").update(body).digest("hex"));
    return object;
  };
  store.putObject = async (object) => {
    const chunks: Buffer[] = [];
    if (Buffer.isBuffer(object.content)) chunks.push(object.content);
    else for await (const chunk of object.content) chunks.push(Buffer.from(chunk as Buffer));
    const body = Buffer.concat(chunks);
    const file = store.getResourcePath(object.bucket, object.key, "object");
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(`${file}.tmp`, body);
    await rename(`${file}.tmp`, file);
    const md5 = createHash("md5").update(body).digest("hex");
    await store.putMetadata(object.bucket, object.key, object.metadata, md5);
    return { size: body.length, md5 };
  };
}

/** The part of a Koa context (s3rver is a Koa app) the conditional check reads. */
interface KoaContext {
  method: string;
  path: string;
  querystring: string;
  get(header: string): string;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

/** s3rver's own error type, which its error handler renders as S3's XML error body. */
const S3Error = createRequire(import.meta.url)("s3rver/lib/models/error.js") as new (code: string, message: string, detail?: Record<string, string>) => Error;

/**
 * s3rver 3.7 ignores PutObject's conditional headers. Real S3 honours both, as its conditional-write
 * documentation says: `If-None-Match: *` writes only when the key holds no object, `If-Match: <etag>`
 * only when the object's ETag is that one; otherwise 412 PreconditionFailed (404 NoSuchKey for
 * If-Match on a missing key). PUTs of one key are checked and written one at a time here, so no
 * write slips between a check and its write, as S3 guarantees. Other requests are untouched.
 */
function conditionalPuts(server: S3rver, s3: TestS3): void {
  const app = server as unknown as { middleware: Middleware[]; store: { getMetadata(bucket: string, key: string): Promise<{ etag: string }> } };
  const queues = new Map<string, Serial>();
  const check: Middleware = async (ctx, next) => {
    const [, bucket, ...rest] = ctx.path.split("/");
    const key = decodeURIComponent(rest.join("/"));
    // PutObject only (the SDK adds ?x-id=PutObject): parts and subresources carry ?uploadId, ?tagging, ...
    const subresource = [...new URLSearchParams(ctx.querystring).keys()].some((k) => k !== "x-id");
    if (ctx.method !== "PUT" || subresource || !bucket || !key) return next();
    const ifMatch = ctx.get("if-match");
    const ifNoneMatch = ctx.get("if-none-match");
    if (ifMatch || ifNoneMatch) await s3.beforeConditionalPut?.(key);
    let queue = queues.get(`${bucket}/${key}`);
    if (!queue) queues.set(`${bucket}/${key}`, (queue = serial()));
    await queue(async () => {
      if (ifMatch || ifNoneMatch) {
        const etag = await app.store.getMetadata(bucket, key).then((m) => m.etag, () => undefined);
        const refusal = ifMatch && etag === undefined ? new S3Error("NoSuchKey", "The specified key does not exist.", { Key: key })
          : ifMatch && ifMatch !== etag ? precondition("If-Match")
            : ifNoneMatch && etag !== undefined ? precondition("If-None-Match") : undefined;
        if (refusal) {
          s3.refusedPuts++;
          throw refusal;
        }
      }
      await next();
    });
  };
  // Before the router (the last middleware), after s3rver's logging, XML and path handling.
  app.middleware.splice(app.middleware.length - 1, 0, check);
}

function precondition(header: string): Error {
  return new S3Error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", { Condition: header });
}

export async function startS3(buckets: string[]): Promise<TestS3> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const server = new S3rver({
    port: 0, address: "127.0.0.1", silent: true, directory: await tmpDir("checkup-s3-"),
    configureBuckets: buckets.map((name) => ({ name })),
  });
  atomicPuts(server);
  const s3: TestS3 = { endpoint: "", client: undefined as unknown as S3Client, refusedPuts: 0 };
  conditionalPuts(server, s3);
  const { port } = await server.run();
  s3.endpoint = `http://127.0.0.1:${port}`;
  s3.client = new S3Client({
    region: "us-east-1", endpoint: s3.endpoint, forcePathStyle: true,
    credentials: { accessKeyId: S3_KEY, secretAccessKey: S3_SECRET },
  });
  after(async () => {
    s3.client.destroy();
    await server.close();
  });
  return s3;
}
