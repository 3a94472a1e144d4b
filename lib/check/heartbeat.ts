/**
 * `heartbeat`: a dead-man switch for cron jobs and backups. The job pings (`GET|POST
 * /api/push/<token>` on `checkup serve`, or `checkup ping <token>`); the ping is kept in the
 * storage, and each attempt reads the latest one back. Down when none arrived within `period` +
 * `grace`, or at once when the latest reports a nonzero exit status. RTT is the age of the latest
 * ping, so `threshold_rtt` marks a late job degraded before it is down.
 */
import { formatGoDuration, HOUR, MINUTE, SECOND, type Nanos } from "../duration.js";
import { nanos, str, type Raw, type Scope } from "../config/fields.js";
import { orReference } from "../config/shape.js";
import { nowUnixNanos, unixNanosToDate } from "../nanos.js";
import { pingKey } from "../ping.js";
import type { Ping } from "../types.js";
import type { CheckerType, Outcome } from "../plugin-types.js";

interface HeartbeatOptions {
  title: string;
  endpoint: string;
  /** The token's SHA-256 (pingKey): the token itself is not kept past parsing. */
  key: string;
  /** How often the job runs. Integer ns. */
  period: Nanos;
  /** How late a ping may be before the check is down. Integer ns. */
  grace: Nanos;
}

/** Letters, digits and `-._~`, which travel in a URL path unescaped; 16 or more so a token is not guessed. */
const TOKEN = /^[A-Za-z0-9._~-]{16,256}$/;
/** Cron's granularity: a shorter period is a unit slip. */
const MIN_PERIOD = MINUTE;
/** The default grace: the period, at most this (healthchecks.io's default). */
const MAX_DEFAULT_GRACE = HOUR;

export default {
  // One storage read; a storage that takes longer is failing.
  defaultTimeout: 10 * SECOND,
  parse: (raw: Raw, at: Scope): HeartbeatOptions => {
    const title = str(raw, "endpoint_name", at, { required: `a name for the job, e.g. "nightly backup"` });
    const period = nanos(raw, "period", at, { default: 0, min: MIN_PERIOD, required: `how often the job runs, e.g. "1h" or "1d"` });
    return {
      title,
      endpoint: `heartbeat:${title}`,
      key: pingKey(token(raw, at)),
      period,
      grace: nanos(raw, "grace", at, { default: Math.min(period, MAX_DEFAULT_GRACE) }),
    };
  },
  pingKey: (o) => o.key,
  attempt: async (o, signal, pings): Promise<Outcome> => {
    if (!pings) return { rtt: 0, error: "no storage that keeps pings is bound to this checker (run it through a Checkup with one)" };
    const ping = await untilAborted(pings.lastPing(o.key), signal);
    const now = nowUnixNanos();
    if (!ping) return { rtt: 0, error: `no ping received yet (expected every ${formatGoDuration(o.period)})` };
    const age = Math.max(0, Number(now - ping.at));
    const error = pingError(o, ping, age);
    return error ? { rtt: age, answered: true, error } : { rtt: age, answered: true };
  },
  judge: (o, _outcomes, verdict) => {
    if (verdict.status !== "degraded" || o.thresholdRtt <= 0) return verdict;
    return { ...verdict, notice: `last ping is older than threshold_rtt (${formatGoDuration(o.thresholdRtt)})` };
  },
} satisfies CheckerType<HeartbeatOptions>;

/** Why the latest ping makes the check down, if it does. */
function pingError(o: HeartbeatOptions, ping: Ping, age: Nanos): string | undefined {
  const since = unixNanosToDate(ping.at).toISOString();
  if (ping.status !== 0) {
    return `job reported exit status ${ping.status} at ${since}${ping.message ? `: ${ping.message}` : ""}`;
  }
  if (age > o.period + o.grace) {
    return `no ping since ${since} (expected every ${formatGoDuration(o.period)}, grace ${formatGoDuration(o.grace)})`;
  }
  return undefined;
}

/** The token, checked without ever showing it: it is a secret. */
function token(raw: Raw, at: Scope): string {
  at.used.add("token");
  at.describe("token", { ...orReference({ type: "string", pattern: TOKEN.source }), description: "the secret a job pings with; write ${NAME}" }, true);
  const value = raw.token;
  if (value === undefined || value === null || value === "") {
    at.problem("token", `missing: set it to a secret of 16 or more letters and digits, e.g. "\${BACKUP_TOKEN}" (openssl rand -hex 16)`);
    return "";
  }
  if (typeof value !== "string" || !TOKEN.test(value)) {
    at.problem("token", `expected 16 to 256 letters, digits, "-", "_", "." or "~" (value not shown)`);
    return "";
  }
  return value;
}

/** A storage read raced against the attempt's timeout: the read cannot be cancelled, the wait can. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener("abort", onAbort));
}
