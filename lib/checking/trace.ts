/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): one trace id per check, a fresh
 * parent id per request, so a failing probe can be found in the target's logs by its trace id.
 */
import { randomFillSync } from "node:crypto";

/**
 * Random bytes drawn from one 4 KiB fill: a randomBytes() call per id costs ~10 µs, more than
 * the rest of a check's own work in a round of 1,000 checks.
 */
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += bytes;
  return pool.toString("hex", used - bytes, used);
}

/** 16 random bytes as 32 lower-case hex digits. All zeros is invalid, and 2^-128 likely: not guarded. */
export function newTraceId(): string {
  return randomHex(16);
}

/** `00-<trace id>-<parent id>-01`: version 00, a new 8-byte parent id, flags "sampled". */
export function traceparent(traceId: string): string {
  return `00-${traceId}-${randomHex(8)}-01`;
}
