/**
 * A real S3-compatible server for storage tests: s3rver, in this process, on 127.0.0.1 with a
 * free port, closed when the test file finishes. It checks the access key id (S3RVER) but not the
 * signature, so a wrong secret goes unnoticed; a wrong key id is refused like AWS refuses it.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import S3rver from "s3rver";
import { after } from "node:test";
import { tmpDir } from "./tmp.js";

export const S3_KEY = "S3RVER";
export const S3_SECRET = "S3RVER";

export interface TestS3 {
  endpoint: string;
  /** A plain SDK client, to look at objects the way another tool (or the status page) would. */
  client: S3Client;
}

interface S3rverStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: { bucket: string; key: string; content: Buffer | NodeJS.ReadableStream; metadata: unknown }): Promise<{ size: number; md5: string }>;
}

/**
 * s3rver 3.7 answers a PUT before the object's file is fully written (it truncates, then streams),
 * so a GET right after can read an empty object, which real S3 never returns. Its store writes
 * objects whole here (temp file, then rename), as S3's read-after-write consistency promises.
 */
function atomicPuts(server: S3rver): void {
  const store = (server as unknown as { store: S3rverStore }).store;
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

export async function startS3(buckets: string[]): Promise<TestS3> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const server = new S3rver({
    port: 0, address: "127.0.0.1", silent: true, directory: await tmpDir("checkup-s3-"),
    configureBuckets: buckets.map((name) => ({ name })),
  });
  atomicPuts(server);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    region: "us-east-1", endpoint, forcePathStyle: true,
    credentials: { accessKeyId: S3_KEY, secretAccessKey: S3_SECRET },
  });
  after(async () => {
    client.destroy();
    await server.close();
  });
  return { endpoint, client };
}
