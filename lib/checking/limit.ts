/**
 * The bound on one check within a round: a checker that has not settled by its `limit` (a
 * program's own Checker included) is recorded as down and its signal aborted, so no checker can
 * stall a round. Aborting the round's signal abandons the wait at once.
 */
import { formatGoDuration, MINUTE, SECOND, type Nanos } from "../duration.js";
import { nowUnixNanos, type UnixNanos } from "../nanos.js";
import type { Checker, Result } from "../types.js";
import { carryCheckerFields } from "./carried.js";

/** The limit of a checker that states none. Integer ns. */
export const DEFAULT_CHECK_LIMIT = MINUTE;

/** Added to a configured checker's attempts × (timeout + spacing): time to close and judge. Integer ns. */
export const CHECK_LIMIT_MARGIN = 2 * SECOND;

/** Node fires a longer timer at once (with a warning): a limit beyond it (24.8 days) waits this long. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `checker.check()`, or a down result once its limit passes; rejects when `outer` aborts. */
export function checkWithinLimit(checker: Checker, outer?: AbortSignal): Promise<Result> {
  outer?.throwIfAborted();
  const limit = checker.limit || DEFAULT_CHECK_LIMIT;
  const timestamp = nowUnixNanos();
  // One controller, with the round's abort forwarded by hand: AbortSignal.any() per check would
  // leave a weak reference per check behind in a round of 1,000 checks.
  const own = new AbortController();
  return new Promise<Result>((resolve, reject) => {
    const onOuterAbort = () => {
      own.abort(outer!.reason);
      finish();
      reject(outer!.reason);
    };
    const timer = setTimeout(() => {
      finish();
      resolve(overdue(checker, limit, timestamp));
      own.abort(new Error(`check did not finish within ${formatGoDuration(limit)}`));
    }, Math.min(limit / 1e6, MAX_TIMER_MS));
    function finish() {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
    }
    outer?.addEventListener("abort", onOuterAbort, { once: true });
    // Through an async function, so that a checker throwing at once is a rejection like any other.
    (async () => checker.check(own.signal))().then(
      (result) => { finish(); resolve(result); },
      (e: unknown) => { finish(); reject(e); },
    );
  });
}

/** The result of a check that did not settle in time: down, with one attempt that took `limit`. */
function overdue(checker: Checker, limit: Nanos, timestamp: UnixNanos): Result {
  const result: Result = { timestamp, times: [{ rtt: limit, error: `check did not finish within ${formatGoDuration(limit)}` }], down: true };
  if (checker.title) result.title = checker.title;
  if (checker.endpoint) result.endpoint = checker.endpoint;
  carryCheckerFields(result, checker);
  return result;
}
