/**
 * A real S3-compatible server for storage tests: s3rver, in this process, on 127.0.0.1 with a
 * free port, closed when the test file finishes. It checks the access key id (S3RVER) but not the
 * signature, so a wrong secret goes unnoticed; a wrong key id is refused like AWS refuses it.
 */
import { S3Client } from "@aws-sdk/client-s3";
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

export async function startS3(buckets: string[]): Promise<TestS3> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const server = new S3rver({
    port: 0, address: "127.0.0.1", silent: true, directory: await tmpDir("checkup-s3-"),
    configureBuckets: buckets.map((name) => ({ name })),
  });
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
