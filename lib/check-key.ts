/**
 * A check's identity: what summaries, `checkup serve` (API, badges, metrics), alert state and the
 * status page group results by. It is the check's title; a result without one (the Go checkup
 * writes untitled results when endpoint_name is empty) falls back to its endpoint. The node that
 * ran a result is not part of it: one check seen from many nodes is still one check, and what
 * each node saw is kept beside it (`/api/status`'s `nodes`; see docs/summaries.md).
 *
 * The rule itself lives in statuspage/js/rules.js, which the page imports as it is.
 */
import { checkKey as keyOf } from "checkup/statuspage/rules";

export interface Identified {
  title?: string;
  endpoint?: string;
}

export const checkKey: (r: Identified) => string = keyOf;

/**
 * The key alert state files of version 1 used (`title` and `endpoint` joined by a newline), as the
 * current key: a state file from before the change keeps its open alerts.
 */
export function keyFromTitleAndEndpoint(old: string): string {
  const cut = old.indexOf("\n");
  return cut < 0 ? old : checkKey({ title: old.slice(0, cut), endpoint: old.slice(cut + 1) });
}
