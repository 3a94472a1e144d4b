/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): one trace id per check, a fresh
 * parent id per request, so a failing probe can be found in the target's logs by its trace id.
 */
import { randomBytes } from "node:crypto";

/** 16 random bytes as 32 lower-case hex digits. All zeros is invalid, and 2^-128 likely: not guarded. */
export function newTraceId(): string {
  return randomBytes(16).toString("hex");
}

/** `00-<trace id>-<parent id>-01`: version 00, a new 8-byte parent id, flags "sampled". */
export function traceparent(traceId: string): string {
  return `00-${traceId}-${randomBytes(8).toString("hex")}-01`;
}
