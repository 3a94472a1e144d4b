/**
 * `dns`: ask the DNS server at endpoint_url about hostname_fqdn, then open a TCP connection to that
 * server (checkup requires it to accept TCP too). RTT = query + connect, as in checkup.
 * Without hostname_fqdn only the TCP connect is made.
 */
import { promises as dns, type CaaRecord, type MxRecord, type SoaRecord, type SrvRecord } from "node:dns";
import net from "node:net";
import { str, strList, type Raw, type Scope } from "../config/fields.js";
import { SECOND } from "../duration.js";
import { elapsedSince } from "../checking/attempts.js";
import { dial, type DialTarget, parseDialTarget } from "../checking/dial.js";
import type { CheckerType, Outcome } from "../plugin-types.js";

/** Record types whose answers can be rendered for `expected` (extension; checkup asked for A only). */
const QUERY_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "PTR", "SOA", "CAA"] as const;
type QueryType = (typeof QUERY_TYPES)[number];

interface DnsOptions extends DialTarget {
  title: string;
  endpoint: string;
  /** The name asked for, always with its trailing dot; "" = connect only. */
  fqdn: string;
  queryType: QueryType;
  /** Answers that must all be present (extension); empty = any reply counts, as in checkup. */
  expected: string[];
}

/** What the server said: its answers, or why there were none. */
type Reply = { answers: string[]; none?: string } | { error: string };

/** Replies that came back from the server without records: checkup counted these as success. */
const NO_RECORDS: Readonly<Record<string, string>> = {
  ENOTFOUND: "no such host (NXDOMAIN)",
  ENODATA: "no records of that type (NODATA)",
  ESERVFAIL: "server failure (SERVFAIL)",
  EREFUSED: "query refused (REFUSED)",
  ENOTIMP: "query type not implemented (NOTIMP)",
  EFORMERR: "format error (FORMERR)",
};

export default {
  defaultTimeout: SECOND,
  parse: (raw: Raw, at: Scope): DnsOptions => {
    const target = parseDialTarget(raw, at, "127.0.0.1:53");
    const name = str(raw, "hostname_fqdn", at);
    const queryType = str(raw, "query_type", at, { default: "A" }).toUpperCase();
    if (!(QUERY_TYPES as readonly string[]).includes(queryType)) {
      at.problem("query_type", `expected one of ${QUERY_TYPES.join(", ")}, got ${JSON.stringify(queryType)}`);
    }
    const expected = strList(raw, "expected", at);
    if (expected.length > 0 && !name) {
      at.problem("expected", "needs hostname_fqdn: set it to the name whose answers to check, e.g. \"www.example.com.\"");
    }
    return {
      ...target,
      // checkup required the trailing dot (checkup#126); both spellings name the same host.
      fqdn: name && !name.endsWith(".") ? `${name}.` : name,
      queryType: queryType as QueryType,
      expected,
    };
  },
  attempt: async (o, signal): Promise<Outcome> => {
    let rtt = 0;
    if (o.fqdn) {
      const started = performance.now();
      const reply = await query(o, Math.ceil(o.timeout / 1e6), signal);
      // As in checkup: a query that got no reply leaves RTT at 0 and skips the TCP step.
      if ("error" in reply) return { rtt: 0, error: reply.error };
      rtt = elapsedSince(started);
      const mismatch = expectedError(o, reply);
      if (mismatch) return { rtt, answered: true, error: mismatch };
    }
    const d = await dial(o, signal);
    if (!d.ok) return { rtt: rtt + d.rtt, error: d.error };
    d.socket.destroy();
    return { rtt: rtt + d.rtt, answered: true };
  },
} satisfies CheckerType<DnsOptions>;

/**
 * One query, one try, no fallback server. `timeout` (the checker's, default 1 s) bounds the
 * whole attempt; checkup applied it to the connect only and left the query to its library's 2 s.
 */
async function query(o: DnsOptions, timeoutMs: number, signal: AbortSignal): Promise<Reply> {
  const fail = (reason: string): Reply => ({ error: `lookup ${o.fqdn} on ${o.address}: ${reason}` });
  const server = await serverAddress(o, signal);
  if (server.error !== undefined) return { error: server.error };
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 1 });
  const onAbort = () => resolver.cancel();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    resolver.setServers([server.address]);
    const records: unknown = await resolver.resolve(o.fqdn, o.queryType);
    return { answers: render(o.queryType, records) };
  } catch (e) {
    const code = (e as { code?: string }).code ?? "";
    const none = NO_RECORDS[code];
    if (none !== undefined) return { answers: [], none };
    if (code === "ETIMEOUT" || code === "ECANCELLED" || signal.aborted) return fail("i/o timeout");
    if (code === "ECONNREFUSED") return fail("read: connection refused");
    return fail((e as Error).message);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** The resolver takes IP addresses only; a server given by name (ns.example.com:53) is looked up first. */
async function serverAddress(o: DnsOptions, signal: AbortSignal): Promise<{ address: string; error?: undefined } | { error: string }> {
  if (net.isIP(o.host)) return { address: o.address };
  try {
    signal.throwIfAborted();
    // getaddrinfo cannot be cancelled: stop waiting for it when the attempt's time is up.
    const found = await Promise.race([
      dns.lookup(o.host),
      new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(new Error("i/o timeout")), { once: true })),
    ]);
    return { address: found.family === 6 ? `[${found.address}]:${o.port}` : `${found.address}:${o.port}` };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const reason = code === "ENOTFOUND" || code === "EAI_AGAIN" ? "no such host" : (e as Error).message;
    return { error: `dial udp: lookup ${o.host}: ${reason}` };
  }
}

/** Answers as text in dig's order of fields, e.g. MX `10 mail.example.com`, SRV `0 5 443 www.example.com`. */
function render(type: QueryType, records: unknown): string[] {
  switch (type) {
    case "MX":
      return (records as MxRecord[]).map((r) => `${r.priority} ${r.exchange}`);
    case "TXT":
      return (records as string[][]).map((chunks) => chunks.join(""));
    case "SRV":
      return (records as SrvRecord[]).map((r) => `${r.priority} ${r.weight} ${r.port} ${r.name}`);
    case "SOA": {
      const r = records as SoaRecord;
      return [`${r.nsname} ${r.hostmaster} ${r.serial} ${r.refresh} ${r.retry} ${r.expire} ${r.minttl}`];
    }
    case "CAA":
      return (records as CaaRecord[]).map((r) => {
        const [tag, value] = Object.entries(r).find(([k]) => k !== "critical") ?? ["", ""];
        return `${r.critical} ${tag} ${JSON.stringify(value)}`;
      });
    default:
      return records as string[];
  }
}

/** Names compare without case or trailing dots; TXT text compares exactly. */
function normalise(type: QueryType, answer: string): string {
  return type === "TXT" ? answer : answer.trim().replace(/\.(?=\s|$)/g, "").toLowerCase();
}

/** `lookup x. (MX) on 10.0.0.53:53: missing "20 mx2.x"; got "10 mail.x"`, or undefined when all are there. */
function expectedError(o: DnsOptions, reply: { answers: string[]; none?: string }): string | undefined {
  const got = new Set(reply.answers.map((a) => normalise(o.queryType, a)));
  const missing = o.expected.filter((e) => !got.has(normalise(o.queryType, e)));
  if (missing.length === 0) return undefined;
  const quoted = (list: string[]) => list.map((s) => JSON.stringify(s)).join(", ");
  const answered = reply.answers.length > 0 ? quoted(reply.answers) : reply.none ?? "no answers";
  return `lookup ${o.fqdn} (${o.queryType}) on ${o.address}: missing ${quoted(missing)}; got ${answered}`;
}
