/**
 * A local stand-in for Amazon SNS's Query API (no SNS runs offline): the SDK POSTs a form with
 * `Action=Publish&Version=2010-03-31&…`, signed with SigV4, and reads an XML reply shaped like
 * SNS's. Each call records the form and the signature's key id, region and service.
 */
import { startHttpServer } from "./http-server.js";

export interface SnsCall {
  /** Every form field, Action and Version included. */
  form: Record<string, string>;
  keyId: string;
  region: string;
  service: string;
  contentType: string;
}

const NS = "http://sns.amazonaws.com/doc/2010-03-31/";

export async function startSnsFake(opts: { fail?: { status: number; code: string; message: string } } = {}) {
  const calls: SnsCall[] = [];
  const server = await startHttpServer((req, res, body) => {
    const form = Object.fromEntries(new URLSearchParams(body));
    // Credential=<key id>/<date>/<region>/<service>/aws4_request
    const [, keyId = "", region = "", service = ""] = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\//.exec(req.headers.authorization ?? "") ?? [];
    calls.push({ form, keyId, region, service, contentType: req.headers["content-type"] ?? "" });
    res.writeHead(opts.fail?.status ?? 200, { "content-type": "text/xml" });
    res.end(opts.fail
      ? `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${opts.fail.code}</Code><Message>${opts.fail.message}</Message></Error><RequestId>r${calls.length}</RequestId></ErrorResponse>`
      : `<PublishResponse xmlns="${NS}"><PublishResult><MessageId>m${calls.length}</MessageId></PublishResult><ResponseMetadata><RequestId>r${calls.length}</RequestId></ResponseMetadata></PublishResponse>`);
  });
  return { url: server.url, calls, requests: server.requests };
}
