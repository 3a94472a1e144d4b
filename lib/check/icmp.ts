/**
 * `icmp`: ping `endpoint_url` with the system's `ping` (Debian: iputils-ping), `count` echo
 * requests 200 ms apart. All lost → down; loss above `max_loss` percent → degraded. RTT is the
 * median reply time. The attempt's timeout bounds the whole run; on timeout ping is killed.
 */
import { int, str, type Raw, type Scope } from "../config/fields.js";
import { SECOND } from "../duration.js";
import { elapsedSince } from "../checking/attempts.js";
import { runOnce } from "./exec.js";
import { parseHostName } from "../checking/host-name.js";
import { median } from "../result.js";
import type { CheckerType, Outcome } from "../plugin-types.js";

/** Seconds between echo requests: the shortest iputils allows without root. */
const INTERVAL_S = "0.2";
/** Seconds ping waits for a reply when none came at all. */
const REPLY_WAIT_S = "1";

interface IcmpOptions {
  title: string;
  endpoint: string;
  /** Echo requests per attempt. */
  count: number;
  /** Lost packets above this share (percent) mark the result degraded. */
  maxLoss: number;
}

/** What an attempt lost, in percent. */
interface Loss {
  percent: number;
}

export default {
  defaultTimeout: 10 * SECOND,
  parse: (raw: Raw, at: Scope): IcmpOptions => {
    const endpoint = parseHostName(raw, at, { ip: true, example: "example.com" });
    return {
      title: str(raw, "endpoint_name", at),
      endpoint,
      count: int(raw, "count", at, { default: 3, min: 1, max: 100 }),
      maxLoss: int(raw, "max_loss", at, { default: 0, min: 0, max: 100 }),
    };
  },
  attempt: async (o, signal): Promise<Outcome<Loss>> => {
    const started = performance.now();
    const args = ["-n", "-c", String(o.count), "-i", INTERVAL_S, "-W", REPLY_WAIT_S, o.endpoint];
    const run = await runOnce({ command: "ping", args }, signal);
    signal.throwIfAborted();
    const wall = elapsedSince(started);
    if (run.error?.startsWith("exec: ")) {
      return { rtt: wall, error: "icmp needs the ping program (Debian: apt-get install iputils-ping); none is in $PATH" };
    }
    const summary = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(run.output);
    if (!summary) return { rtt: wall, error: `ping: ${run.output.trim() || run.error}` };
    const [sent, received] = [Number(summary[1]), Number(summary[2])];
    const percent = sent === 0 ? 100 : Math.round(((sent - received) / sent) * 100);
    if (received === 0) return { rtt: wall, error: `100% packet loss (${sent} sent, none answered)`, detail: { percent } };
    return { rtt: median(replyTimes(run.output)), answered: true, detail: { percent } };
  },
  judge: (o, outcomes, verdict) => {
    const worst = Math.max(...outcomes.map((x) => x.detail?.percent ?? 0));
    if (verdict.status === "down" || worst <= o.maxLoss) return verdict;
    return { status: "degraded", notice: `packet loss ${worst}% exceeded max_loss (${o.maxLoss}%)` };
  },
} satisfies CheckerType<IcmpOptions, Loss>;

/** Each reply's `time=0.045 ms`, in integer ns; duplicates are not counted. */
function replyTimes(output: string): number[] {
  return output.split("\n").flatMap((line) => {
    const m = /bytes from .* time[=<]([\d.]+) ms/.exec(line);
    return m && !line.includes("(DUP!)") ? [Math.round(Number(m[1]) * 1e6)] : [];
  });
}
