/**
 * s3rver has no bucket policies and no Block Public Access (it answers NotImplemented). This
 * front, on its own loopback port, records every request, keeps those two settings itself, and
 * passes everything else to s3rver, so provisioning is tested against a real S3 server for the
 * bucket and CORS and by its exact requests for the rest.
 */
import http from "node:http";
import { startHttpServer } from "./http-server.js";

export interface S3Request {
  method: string;
  /** Path and query, e.g. `/bucket?policy=`. */
  url: string;
  body: string;
}

export interface S3Front {
  url: string;
  requests: S3Request[];
  /** Bucket → the policy text last PUT. */
  policies: Map<string, string>;
  /** Bucket → the PublicAccessBlockConfiguration XML last PUT. */
  accessBlocks: Map<string, string>;
  /** Handle `?publicAccessBlock` here (true, the default) or pass it on to s3rver (NotImplemented). */
  keepAccessBlocks: boolean;
  /** Refuse the next PutBucketPolicy with this S3 error, as AWS does under Block Public Access. */
  refuseNextPolicy?: { status: number; code: string; message: string };
}

const bucketOf = (url: string) => decodeURIComponent(url.split(/[/?]/)[1] ?? "");

export async function startS3Front(s3rverUrl: string): Promise<S3Front> {
  const target = new URL(s3rverUrl);
  const front: S3Front = { url: "", requests: [], policies: new Map(), accessBlocks: new Map(), keepAccessBlocks: true };
  const server = await startHttpServer((req, res, body) => {
    const url = req.url ?? "/";
    front.requests.push({ method: req.method ?? "", url, body });
    const query = new URLSearchParams(url.split("?")[1] ?? "");
    const bucket = bucketOf(url);
    if (req.method === "PUT" && query.has("policy")) {
      const refusal = front.refuseNextPolicy;
      front.refuseNextPolicy = undefined;
      if (refusal) {
        res.writeHead(refusal.status, { "content-type": "application/xml" });
        return res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${refusal.message}</Message><RequestId>r1</RequestId></Error>`);
      }
      front.policies.set(bucket, body);
      return res.writeHead(204).end();
    }
    if (req.method === "PUT" && query.has("publicAccessBlock") && front.keepAccessBlocks) {
      front.accessBlocks.set(bucket, body);
      return res.writeHead(200).end();
    }
    // Everything else goes to s3rver unchanged (it checks the key id, not the signature).
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", (e) => res.writeHead(502).end(String(e)));
    upstream.end(body);
  });
  front.url = server.url;
  return front;
}
