/**
 * The result format checkup stores: a JSON array of Result objects, keys in Go's order, empty
 * fields omitted except `rtt`, durations and timestamps as integer nanoseconds. This module alone
 * reads and writes it. Extension keys (`maintenance`, `cert_expiry`, `group`, `description`,
 * `quorum`, `trace_id`, `node`) are written last; Go readers ignore them.
 */
import type { Nanos } from "./duration.js";
import { parseJsonExact, toUnixNanos } from "./nanos.js";
import { median, statusCodeOf, type StatusCode } from "checkup/statuspage/rules";
import type { Attempt, QuorumRule, Result, Status } from "./types.js";

/** checkup's median (the middle value; the integer mean of the two middle values when even), shared with the page. */
export { median };

const STATUS: Record<StatusCode, Status> = { h: "healthy", d: "degraded", x: "down", u: "unknown" };

/** down > degraded > healthy > unknown, as checkup's Result.Status() (the page's rule too). */
export function statusOf(r: Pick<Result, "healthy" | "degraded" | "down">): Status {
  return STATUS[statusCodeOf(r)];
}

export interface Stats { total: Nanos; mean: Nanos; median: Nanos; min: Nanos; max: Nanos }

/** checkup's Stats over all attempts (integer ns). */
export function statsOf(times: readonly Attempt[]): Stats {
  const rtts = times.map((t) => t.rtt);
  if (rtts.length === 0) return { total: 0, mean: 0, median: 0, min: 0, max: 0 };
  const total = rtts.reduce((a, b) => a + b, 0);
  return {
    total,
    mean: Math.trunc(total / rtts.length),
    median: median(rtts),
    min: Math.min(...rtts),
    max: Math.max(...rtts),
  };
}

/** JSON.stringify for a string, plus Go's escapes of <, >, & and the JS line separators. */
function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function attemptJson(a: Attempt): string {
  return a.error ? `{"rtt":${Math.round(a.rtt)},"error":${goString(a.error)}}` : `{"rtt":${Math.round(a.rtt)}}`;
}

/** One Result as checkup writes it. */
export function resultJson(r: Result): string {
  const parts: string[] = [];
  if (r.title) parts.push(`"title":${goString(r.title)}`);
  if (r.endpoint) parts.push(`"endpoint":${goString(r.endpoint)}`);
  if (r.timestamp) parts.push(`"timestamp":${r.timestamp.toString()}`);
  if (r.times.length > 0) parts.push(`"times":[${r.times.map(attemptJson).join(",")}]`);
  if (r.threshold) parts.push(`"threshold":${Math.round(r.threshold)}`);
  if (r.healthy) parts.push(`"healthy":true`);
  if (r.degraded) parts.push(`"degraded":true`);
  if (r.down) parts.push(`"down":true`);
  if (r.notice) parts.push(`"notice":${goString(r.notice)}`);
  if (r.message) parts.push(`"message":${goString(r.message)}`);
  if (r.maintenance) parts.push(`"maintenance":true`);
  if (r.certExpiry !== undefined) parts.push(`"cert_expiry":${Math.trunc(r.certExpiry)}`);
  if (r.group) parts.push(`"group":${goString(r.group)}`);
  if (r.description) parts.push(`"description":${goString(r.description)}`);
  if (r.quorum) parts.push(`"quorum":{"down":${r.quorum.down},"of":${r.quorum.of},"window":${Math.trunc(r.quorum.window)}}`);
  if (r.traceId) parts.push(`"trace_id":${goString(r.traceId)}`);
  if (r.node) parts.push(`"node":${goString(r.node)}`);
  return `{${parts.join(",")}}`;
}

/** A stored round: the JSON array checkup writes (compact, no trailing newline). */
export function resultsJson(results: readonly Result[]): string {
  return `[${results.map(resultJson).join(",")}]`;
}

export class ResultFormatError extends Error {
  constructor(readonly source: string, detail: string) {
    super(`${source}: not a checkup result file: ${detail}`);
    this.name = "ResultFormatError";
  }
}

/** Reads a stored round (Go- or TS-written). Unknown keys are ignored, as checkup does. */
export function parseResults(text: string, source = "results"): Result[] {
  let data: unknown;
  try {
    data = parseJsonExact(text);
  } catch (e) {
    throw new ResultFormatError(source, (e as Error).message);
  }
  if (!Array.isArray(data)) throw new ResultFormatError(source, "expected a JSON array of results");
  return data.map((item, i) => toResult(item, `${source}[${i}]`));
}

function toResult(item: unknown, where: string): Result {
  if (item === null || typeof item !== "object" || Array.isArray(item)) {
    throw new ResultFormatError(where, "expected an object");
  }
  const o = item as Record<string, unknown>;
  const r: Result = { timestamp: toUnixNanos(o.timestamp) ?? 0n, times: [] };
  if (typeof o.title === "string" && o.title) r.title = o.title;
  if (typeof o.endpoint === "string" && o.endpoint) r.endpoint = o.endpoint;
  if (Array.isArray(o.times)) r.times = o.times.map(toAttempt);
  if (typeof o.threshold === "number" && o.threshold) r.threshold = o.threshold;
  if (o.healthy === true) r.healthy = true;
  if (o.degraded === true) r.degraded = true;
  if (o.down === true) r.down = true;
  if (typeof o.notice === "string" && o.notice) r.notice = o.notice;
  if (typeof o.message === "string" && o.message) r.message = o.message;
  if (o.maintenance === true) r.maintenance = true;
  if (typeof o.cert_expiry === "number" && Number.isInteger(o.cert_expiry)) r.certExpiry = o.cert_expiry;
  if (typeof o.group === "string" && o.group) r.group = o.group;
  if (typeof o.description === "string" && o.description) r.description = o.description;
  const quorum = toQuorum(o.quorum);
  if (quorum) r.quorum = quorum;
  if (typeof o.trace_id === "string" && o.trace_id) r.traceId = o.trace_id;
  if (typeof o.node === "string" && o.node) r.node = o.node;
  return r;
}

const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;

/** A stored `quorum` as checkup writes it; anything else is ignored, as unknown keys are. */
function toQuorum(v: unknown): QuorumRule | undefined {
  if (v === null || typeof v !== "object") return undefined;
  const { down, of, window } = v as Record<string, unknown>;
  return count(down) && count(of) && count(window) ? { down, of, window } : undefined;
}

function toAttempt(item: unknown): Attempt {
  const o = (item ?? {}) as Record<string, unknown>;
  const a: Attempt = { rtt: typeof o.rtt === "number" ? o.rtt : 0 };
  if (typeof o.error === "string" && o.error) a.error = o.error;
  return a;
}
