/** How results look on a terminal: checkup's layout, coloured only on a TTY. */
import { formatGoDuration } from "../lib/duration.js";
import { statsOf, statusOf } from "../lib/result.js";
import type { Result, Status } from "../lib/types.js";

const COLOURS: Record<Status, string> = { healthy: "\x1b[32m", degraded: "\x1b[33m", down: "\x1b[31m", unknown: "\x1b[90m" };

/** FORCE_COLOR (set, not "0") and NO_COLOR (set, not empty: no-color.org) win over the terminal test. */
export function useColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false") return true;
  if (env.NO_COLOR) return false;
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** A label right-aligned in a 12-character column, as checkup prints it. */
const line = (label: string, value: string) => `${`${label}:`.padStart(12)} ${value}`;

/** Go's `%v` of the attempts: `[{81.234567ms } {1.5µs response status 502 Bad Gateway}]`. */
function attemptsText(r: Result): string {
  return `[${r.times.map((t) => `{${formatGoDuration(t.rtt)} ${t.error ?? ""}}`).join(" ")}]`;
}

export function formatResult(r: Result, colour: boolean): string {
  const s = statsOf(r.times);
  const status = statusOf(r);
  const lines = [`== ${r.title ?? ""} - ${r.endpoint ?? ""}`];
  if (r.threshold) lines.push(line("Threshold", formatGoDuration(r.threshold)));
  lines.push(
    line("Max", formatGoDuration(s.max)),
    line("Min", formatGoDuration(s.min)),
    line("Median", formatGoDuration(s.median)),
    line("Mean", formatGoDuration(s.mean)),
    line("All", attemptsText(r)),
  );
  if (r.node) lines.push(line("Node", r.node));
  if (r.notice) lines.push(line("Notice", r.notice));
  if (r.message) lines.push(line("Message", r.message));
  // The id to search the target's logs for; only a failure needs finding there.
  if (r.traceId && status === "down") lines.push(line("Trace ID", r.traceId));
  const assessment = line("Assessment", status);
  lines.push(colour ? `${COLOURS[status]}${assessment}\x1b[0m` : assessment);
  return `${lines.join("\n")}\n\n`;
}

export function printResults(results: Result[], stream: NodeJS.WriteStream = process.stdout): void {
  const colour = useColour(stream);
  stream.write(results.map((r) => formatResult(r, colour)).join(""));
}

/**
 * "checking 12/40" on stderr, only on a terminal and only once a round has taken over a second,
 * so cron mail and pipes never see it.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): { onProgress: (done: number, total: number) => void; end: () => void } {
  if (!stream.isTTY) return { onProgress: () => undefined, end: () => undefined };
  const started = Date.now();
  let shown = false;
  return {
    onProgress(done, total) {
      if (Date.now() - started < 1000) return;
      shown = true;
      stream.write(`\r\x1b[2Kchecking ${done}/${total}`);
    },
    end() {
      if (shown) stream.write("\r\x1b[2K");
    },
  };
}
