/** Checkers whose verdict and pace a test controls, and a started `serve` stopped after the file. */
import { after } from "node:test";
import { nowUnixNanos } from "../../lib/nanos.js";
import { startServer, type RunningServer, type ServeOptions } from "../../lib/serve/server.js";
import type { Checker, Result, Status } from "../../lib/types.js";

export interface FakeChecker extends Checker {
  status: Status;
  runs: number;
  /** While set, check() waits for it: lets a test hold a run in flight. */
  gate?: Promise<void>;
  ttl?: number;
  extra?: Partial<Result>;
}

export function fakeChecker(title: string, status: Status = "healthy", type = "fake"): FakeChecker {
  const checker: FakeChecker = {
    type,
    title,
    endpoint: `fake://${title.toLowerCase().replace(/\W+/g, "-")}`,
    status,
    runs: 0,
    async check() {
      checker.runs++;
      if (checker.gate) await checker.gate;
      const r: Result = { title, endpoint: checker.endpoint, timestamp: nowUnixNanos(), times: [{ rtt: 2_000_000 }], ...checker.extra };
      if (checker.status === "down") r.times = [{ rtt: 1_000_000, error: "connection refused" }];
      if (checker.status !== "unknown") r[checker.status] = true;
      return r;
    },
  };
  return checker;
}

/** A clock tests move by hand, in ms. */
export function fakeClock(start = Date.UTC(2026, 0, 1)): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

export async function serve(options: ServeOptions): Promise<RunningServer & { base: string; warnings: string[] }> {
  const warnings: string[] = [];
  const running = await startServer({ listen: "127.0.0.1:0", warn: (m) => warnings.push(m), ...options });
  after(() => running.close(100));
  return { ...running, base: `http://127.0.0.1:${running.port}`, warnings };
}
