/**
 * Durations. checkup.json holds Go time.Duration values as integer nanoseconds; as an extension we
 * also read strings: Go's compound form ("1h30m", "1.5s", "250µs") plus `ms`'s words ("14d",
 * "2 days"). Every duration that leaves this program (result `threshold`, notices) is written the
 * way checkup writes it: integer ns in JSON, Go's Duration.String() in text.
 */
import ms from "ms";

/** A duration in integer nanoseconds. Exact as a number for anything under ~104 days. */
export type Nanos = number;

/**
 * The longest duration a config may hold: 2^53 - 1 ns (about 104 days). Beyond it a count of
 * nanoseconds is no longer an exact JSON number, and what we would write back (a result's
 * `threshold`) is a float Go cannot read into a time.Duration.
 */
export const MAX_NANOS: Nanos = Number.MAX_SAFE_INTEGER;

export const SECOND: Nanos = 1_000_000_000;
export const MINUTE: Nanos = 60 * SECOND;
export const HOUR: Nanos = 60 * MINUTE;
export const DAY: Nanos = 24 * HOUR;

/** The longest any single wait (an attempt, a notifier call, a retry pause) may be configured to last. */
export const MAX_TIMEOUT: Nanos = HOUR;
/** The shortest timeout that can succeed at all: anything less is a unit slip (ms written as ns). */
export const MIN_TIMEOUT: Nanos = 1_000_000;

const UNIT_NS: Record<string, number> = {
  ns: 1, us: 1e3, "µs": 1e3, "μs": 1e3, ms: 1e6, s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY,
};
const GO_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w)/y;
/** `ms`'s unit words (case-insensitive there), for the schema's pattern. */
const MS_UNITS = "milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y";

/**
 * A JSON Schema pattern for the strings parseDuration() reads: Go's compound form, or a number
 * and one of `ms`'s unit words (whose case JSON Schema patterns cannot ignore, hence [sS]-style classes).
 */
export const DURATION_PATTERN = String.raw`^\s*(?:(?:${GO_PART.source})+|-?\d*\.?\d+ *(?:${caseless(MS_UNITS)}))\s*$`;

function caseless(words: string): string {
  return words.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`);
}

/** Parses "1h30m", "200ms", "14d", "2 days" to integer ns; undefined when it is not a duration. */
export function parseDuration(text: string): Nanos | undefined {
  const t = text.trim();
  let total = 0;
  GO_PART.lastIndex = 0;
  while (GO_PART.lastIndex < t.length) {
    const m = GO_PART.exec(t);
    if (!m) break;
    total += Number(m[1]) * UNIT_NS[m[2]!]!;
    if (GO_PART.lastIndex === t.length) return Math.round(total);
  }
  // A bare number has no unit to trust ("100" would be 100 ms to `ms`): refuse it.
  if (t === "" || /^[\d.]+$/.test(t)) return undefined;
  const millis = ms(t as ms.StringValue) as number | undefined;
  return typeof millis === "number" && Number.isFinite(millis) ? Math.round(millis * 1e6) : undefined;
}

/** Go's time.Duration.String(): "0s", "1.5µs", "81.234567ms", "1m30s", "336h0m0s". */
export function formatGoDuration(ns: Nanos | bigint): string {
  let n = BigInt(ns);
  const sign = n < 0n ? "-" : "";
  if (n < 0n) n = -n;
  if (n === 0n) return "0s";
  if (n < 1_000_000_000n) {
    const [div, unit] = n < 1000n ? [1n, "ns"] : n < 1_000_000n ? [1000n, "µs"] : [1_000_000n, "ms"];
    return sign + decimal(n, div) + unit;
  }
  const hours = n / 3_600_000_000_000n;
  const minutes = (n / 60_000_000_000n) % 60n;
  const seconds = n % 60_000_000_000n;
  const h = hours > 0n ? `${hours}h` : "";
  const m = hours > 0n || minutes > 0n ? `${minutes}m` : "";
  return `${sign}${h}${m}${decimal(seconds, 1_000_000_000n)}s`;
}

/** n / div written with the fraction's trailing zeros trimmed, as Go does. */
function decimal(n: bigint, div: bigint): string {
  const whole = n / div;
  const rest = n % div;
  if (rest === 0n) return `${whole}`;
  const width = div.toString().length - 1;
  return `${whole}.${rest.toString().padStart(width, "0").replace(/0+$/, "")}`;
}

/** A limit as error messages state it: "1s", "1h", "104 days (2^53 ns, ...)". */
export function formatBound(ns: Nanos): string {
  if (ns === MAX_NANOS) return "104 days (2^53 ns, the most a JSON number holds exactly)";
  return formatHumanDuration(ns);
}

/** Short human form for logs and messages: "12m 30s", "3d 4h", "250ms". */
export function formatHumanDuration(ns: Nanos): string {
  if (ns < SECOND) return `${Math.round(ns / 1e6)}ms`;
  const parts: string[] = [];
  let rest = Math.round(ns / SECOND);
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count}${unit}`);
  }
  return parts.slice(0, 2).join(" ");
}
