/**
 * The one module that reads and writes nanosecond timestamps.
 *
 * checkup stores times as Unix nanoseconds (19 digits today). That exceeds a JS number's exact
 * range (2^53), so timestamps are bigint in memory and are read from JSON text without ever
 * passing through a float: the digits another writer (the Go checkup, another node) wrote are the
 * digits we write back.
 */
/** Integer nanoseconds since the Unix epoch, UTC. */
export type UnixNanos = bigint;

/** Integers longer than 15 digits, outside strings, not part of a fraction or exponent. */
const BIG_INT_TOKEN = /("(?:[^"\\]|\\.)*")|(?<![\d.eE+-])(-?\d{16,})(?![\d.eE])/g;

/**
 * JSON.parse, except that integers too long for a double arrive as their exact digit strings.
 * Fields known to hold nanoseconds are then converted with {@link toUnixNanos}.
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(text.replace(BIG_INT_TOKEN, (all, str: string | undefined, digits: string | undefined) =>
    str !== undefined ? all : `"${digits}"`));
}

/** Accepts what {@link parseJsonExact} yields for a nanosecond field: a number or a digit string. */
export function toUnixNanos(value: unknown): UnixNanos | undefined {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isFinite(value)) return BigInt(Math.trunc(value));
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  return undefined;
}

let last: UnixNanos = 0n;

/**
 * Now, in Unix nanoseconds: wall-clock milliseconds plus a sub-millisecond part from the
 * high-resolution clock, so names carry 19 meaningful digits as the Go checkup's do. Strictly
 * increasing within a process: the two clocks are not in step, so a reading that would go back
 * (or repeat) is moved just past the previous one.
 */
export function nowUnixNanos(): UnixNanos {
  const now = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  last = now > last ? now : last + 1n;
  return last;
}

export function unixNanosToDate(ns: UnixNanos): Date {
  return new Date(Number(ns / 1_000_000n));
}

export function dateToUnixNanos(d: Date): UnixNanos {
  return BigInt(d.getTime()) * 1_000_000n;
}

/** An RFC 3339 time; the letters' case is spelled out (no flag) so the config schema can use it as its pattern. */
export const RFC3339 = /^(\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?([Zz]|[+-]\d\d:\d\d)$/;

/** Parses an RFC 3339 time (checkup's config `timestamp`) to ns, keeping sub-millisecond digits. */
export function rfc3339ToUnixNanos(text: string): UnixNanos | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  const fraction = BigInt((m[2] ?? "").padEnd(9, "0"));
  return BigInt(ms) * 1_000_000n + fraction;
}
