/**
 * `grpc`: the standard health check, `grpc.health.v1.Health/Check` (optionally for one
 * `service`), over a fresh channel per attempt, plaintext or with `tls`. SERVING is healthy;
 * NOT_SERVING or any other status is down. RTT is the call, connection included.
 *
 * The two messages are encoded here by hand (each is one protobuf field) and sent with grpc-js's
 * generic client: that needs no .proto file at run time and no schema compiler.
 */
import { Client, credentials, status as grpcStatus, type ServiceError } from "@grpc/grpc-js";
import { bool, str, type Raw, type Scope } from "../config/fields.js";
import { SECOND } from "../duration.js";
import { elapsedSince } from "../checking/attempts.js";
import { parseDialTarget, attemptRoots, type DialTarget, parseTlsClient, type TlsClient } from "../checking/dial.js";
import type { CheckerType, Outcome } from "../plugin-types.js";

const CHECK_METHOD = "/grpc.health.v1.Health/Check";
/** HealthCheckResponse.ServingStatus, by number. */
const SERVING_STATUS = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];
const SERVING = 1;
/** A health reply is a few bytes; anything far larger is refused by grpc-js. */
const MAX_REPLY_BYTES = 64 * 1024;

interface GrpcOptions extends DialTarget, TlsClient {
  title: string;
  endpoint: string;
  /** The service asked about; "" = the server as a whole. */
  service: string;
  tls: boolean;
}

export default {
  defaultTimeout: 5 * SECOND,
  parse: (raw: Raw, at: Scope): GrpcOptions => ({
    ...parseDialTarget(raw, at, "grpc.example.com:443"),
    service: str(raw, "service", at),
    tls: bool(raw, "tls", at),
    ...parseTlsClient(raw, at),
  }),
  attempt: async (o, signal): Promise<Outcome> => {
    const roots = await attemptRoots(o.tlsCaFile, o.tls);
    if ("error" in roots) return { rtt: 0, error: roots.error };
    const ca = roots.ca === undefined ? null : Buffer.from(roots.ca);
    const channel = o.tls
      ? credentials.createSsl(ca, null, null, { rejectUnauthorized: !o.tlsSkipVerify })
      : credentials.createInsecure();
    const client = new Client(o.address, channel, { "grpc.max_receive_message_length": MAX_REPLY_BYTES });
    try {
      return await checkOnce(client, o.service, signal);
    } finally {
      client.close();
    }
  },
} satisfies CheckerType<GrpcOptions>;

function checkOnce(client: Client, service: string, signal: AbortSignal): Promise<Outcome> {
  const started = performance.now();
  return new Promise<Outcome>((resolve, reject) => {
    const call = client.makeUnaryRequest(CHECK_METHOD, encodeRequest, decodeStatus, service, (e: ServiceError | null, status?: number) => {
      signal.removeEventListener("abort", cancel);
      const rtt = elapsedSince(started);
      if (signal.aborted) return reject(new Error("aborted"));
      if (e) return resolve({ rtt, error: `rpc error: ${grpcStatus[e.code] ?? e.code}: ${e.details}` });
      if (status === SERVING) return resolve({ rtt, answered: true });
      resolve({ rtt, answered: true, error: `health status ${SERVING_STATUS[status ?? 0] ?? status}` });
    });
    const cancel = () => call.cancel();
    signal.addEventListener("abort", cancel, { once: true });
  });
}

/** HealthCheckRequest { string service = 1; } in protobuf wire format. */
function encodeRequest(service: string): Buffer {
  if (!service) return Buffer.alloc(0);
  const bytes = Buffer.from(service, "utf8");
  return Buffer.concat([Buffer.from([0x0a]), varint(bytes.length), bytes]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  for (; n > 0x7f; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
  out.push(n);
  return Buffer.from(out);
}

/** HealthCheckResponse { ServingStatus status = 1; }: the status; other fields are skipped. */
function decodeStatus(reply: Buffer): number {
  let at = 0;
  let status = 0;
  const readVarint = (): number => {
    let value = 0;
    for (let scale = 1; ; scale *= 128) {
      if (at >= reply.length) throw new Error("truncated HealthCheckResponse");
      const byte = reply[at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
    }
  };
  while (at < reply.length) {
    const key = readVarint();
    const [field, wire] = [Math.floor(key / 8), key % 8];
    if (wire === 0) {
      const value = readVarint();
      if (field === 1) status = value;
    } else if (wire === 2) at += readVarint();
    else if (wire === 1 || wire === 5) at += wire === 1 ? 8 : 4;
    else throw new Error(`malformed HealthCheckResponse (wire type ${wire})`);
  }
  if (at > reply.length) throw new Error("truncated HealthCheckResponse");
  return status;
}
