/**
 * A store like the one `make demo` builds (the bundled checkup.json's checks, in two groups),
 * with `days` of history at 10-minute rounds: what the README's screenshots show. Summaries are
 * written a day at a time (as `checkup summarize` would); the newest rounds are real check files.
 *
 * The story, by UTC day (so a day's bar and figures do not depend on the time of day):
 *   "Status API heartbeat": down 12:00–12:30 UTC three days before today ("response status 503
 *      Service Unavailable"): 3 of 144 runs, 97.9 % up that day; a message is posted during it.
 *   "Status page port": down 08:00–08:20 UTC twenty days before today ("connection refused").
 *   "Disk space (warn above 90%)": degraded for the last 40 min ("91% used"): its group is open.
 */
import { FsStorage } from "../../lib/storage/fs.js";
import { dayOf } from "../../lib/summary/format.js";
import { fsSummaryBlobs } from "../../lib/storage/fs.js";
import { recordRounds, type Round } from "../../lib/summary/writer.js";
import { checkFileName } from "../../lib/files/index-file.js";
import type { Result } from "../../lib/types.js";

const STEP_NS = 600_000_000_000n;
const MIN_NS = 60_000_000_000n;
/** Rounds written as check files (the rest only as summaries): enough for a refresh. */
const FILE_ROUNDS = 6;

export const DEMO_GROUPS = { page: "Status page", machine: "This machine" };
export const DEMO_MESSAGE = "Restarting the API after a bad deploy; see <a href=\"https://example.com/notes\">notes</a>.";

const wave = (i: number) => (Math.sin(i / 9) + 1) / 2;

const DAY_NS = 1440n * MIN_NS;
/** [start, start + minutes) at `hour` UTC, `daysBefore` days before the UTC day of `now`. */
export const demoWindow = (now: bigint, daysBefore: number, hour: number, minutes: number) => {
  const start = (now / DAY_NS - BigInt(daysBefore)) * DAY_NS + BigInt(hour) * 60n * MIN_NS;
  return { start, end: start + BigInt(minutes) * MIN_NS };
};

function demoRound(now: bigint, at: bigint, i: number): Result[] {
  const ts = at - 200_000_000n;
  const within = (w: { start: bigint; end: bigint }) => at >= w.start && at < w.end;
  const api = demoWindow(now, 3, 12, 30);
  const apiDown = within(api);
  const portDown = within(demoWindow(now, 20, 8, 20));
  const diskWarn = now - at < 40n * MIN_NS;
  const ms = (base: number, spread: number) => Math.round((base + spread * wave(i)) * 1_000_000);
  return [
    { title: "Status page", endpoint: "http://127.0.0.1:3000/", group: DEMO_GROUPS.page, timestamp: ts, threshold: 500_000_000,
      times: [{ rtt: ms(4, 3) }, { rtt: ms(5, 2) }, { rtt: ms(4, 6) }], healthy: true },
    { title: "Status API heartbeat", endpoint: "http://127.0.0.1:3000/__heartbeat__", group: DEMO_GROUPS.page, timestamp: ts + 1_000n,
      times: apiDown ? [{ rtt: ms(2, 1), error: "response status 503 Service Unavailable" }] : [{ rtt: ms(2, 1.5) }],
      ...(apiDown ? { down: true } : { healthy: true }),
      ...(within({ start: api.start + 10n * MIN_NS, end: api.start + 20n * MIN_NS }) ? { message: DEMO_MESSAGE } : {}) },
    { title: "Status page port", endpoint: "127.0.0.1:3000", group: DEMO_GROUPS.page, timestamp: ts + 2_000n,
      times: portDown ? [{ rtt: 0, error: "dial tcp 127.0.0.1:3000: connect: connection refused" }] : [{ rtt: ms(0.3, 0.2) }],
      ...(portDown ? { down: true } : { healthy: true }) },
    { title: "Node.js runtime", endpoint: "node -e process.stdout.write(process.version)", group: DEMO_GROUPS.machine, timestamp: ts + 3_000n,
      times: [{ rtt: ms(38, 8) }], healthy: true },
    { title: "Disk space (warn above 90%)", endpoint: "sh -c df -P .", group: DEMO_GROUPS.machine, timestamp: ts + 4_000n,
      times: diskWarn ? [{ rtt: ms(6, 1), error: "91% used" }] : [{ rtt: ms(6, 1) }],
      ...(diskWarn ? { degraded: true, notice: "91% used" } : { healthy: true }) },
  ];
}

/** Writes `days` of demo history into `dir`, the newest round a minute before `now`. */
export async function writeDemoStore(dir: string, now: bigint, days: number): Promise<void> {
  const count = Math.floor((days * 1440) / 10);
  const newest = now - MIN_NS;
  const byDay = new Map<string, Round[]>();
  const files: { at: bigint; results: Result[] }[] = [];
  for (let k = count - 1; k >= 0; k--) {
    const at = newest - BigInt(k) * STEP_NS;
    const results = demoRound(now, at, count - k);
    if (k < FILE_ROUNDS) {
      files.push({ at, results });
      continue;
    }
    byDay.set(dayOf(at), [...(byDay.get(dayOf(at)) ?? []), { name: checkFileName(at), storedAt: at, results }]);
  }
  for (const rounds of byDay.values()) await recordRounds(fsSummaryBlobs(dir), rounds);
  const fs = new FsStorage({ dir, url: "", checkExpiry: 0 });
  for (const f of files) await fs.store(f.results, f.at);
}
