/**
 * Routes over what the cron job stored, read through StorageReader: checkup's `/index.json` and
 * `/<ns>-check.json` (as the Go serve answered them, minus its bugs: real status codes, JSON
 * Content-Type, 404 as JSON) and `/api/status`, the latest stored result of every check, with
 * each node's latest beside it and, under `quorum`, the fleet's verdict.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { resultJson, resultsJson, statsOf, statusOf } from "../result.js";
import { checkFileTime, indexJson } from "../files/index-file.js";
import { unixNanosToDate } from "../nanos.js";
import { checkKey } from "../check-key.js";
import { parseState, SHARED_STATE } from "../alerting/state-file.js";
import type { Fleet } from "../alerting/quorum.js";
import type { Result, SharedStore, Status, StorageReader, StoreIndex } from "../types.js";
import { RawJson, send, sendError, sendJson } from "./http.js";

/** How many of the newest rounds `/api/status` reads to find every check (nodes may store apart). */
const STATUS_LOOKBACK = 20;

/** Stored rounds never change once written; a deleted one simply stops being listed. */
const IMMUTABLE = "public, max-age=86400, immutable";

export class StoredRoutes {
  private latest: { key: string; body: unknown } | undefined;

  /** `shared`: where a fleet under `quorum` keeps its alert state, whose verdicts /api/status shows. */
  constructor(private readonly reader: StorageReader, private readonly shared?: SharedStore) {}

  async index(req: IncomingMessage, res: ServerResponse): Promise<void> {
    send(req, res, `${indexJson(await this.reader.index())}\n`, { etag: true });
  }

  /** `/<name>`: a round listed in the index; anything else is 404. */
  async checkFile(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    const index = await this.reader.index();
    if (!index.has(name)) return sendError(req, res, 404, `file not found: /${name}`);
    send(req, res, `${resultsJson(await this.reader.fetch(name))}\n`, { etag: true, cacheControl: IMMUTABLE });
  }

  /** The newest stored result of each check, newest round first, over the last few rounds. */
  async status(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const index = await this.reader.index();
    const names = newestFirst(index).slice(0, STATUS_LOOKBACK);
    const fleetText = await this.shared?.readShared(SHARED_STATE).catch(() => undefined);
    const key = `${names.join(",")}\n${fleetText ?? ""}`;
    if (this.latest?.key !== key) this.latest = { key, body: await this.statusBody(names, fleetOf(fleetText)) };
    sendJson(req, res, this.latest.body, { etag: true });
  }

  private async statusBody(names: string[], fleet: Fleet): Promise<unknown> {
    // Per check, the newest result of each node (a Go-written result has none: node null).
    const seen = new Map<string, Map<string, Result>>();
    for (const name of names) {
      for (const r of await this.reader.fetch(name)) {
        let views = seen.get(checkKey(r));
        if (!views) seen.set(checkKey(r), (views = new Map()));
        if (!views.has(r.node ?? "")) views.set(r.node ?? "", r);
      }
    }
    const checks = [...seen.entries()].map(([key, views]) => {
      const [newest] = views.values();
      // Under quorum the check's status is the fleet's verdict, not its newest node's view.
      const verdict = fleet[key]?.verdict;
      return {
        title: newest!.title ?? "",
        endpoint: newest!.endpoint ?? "",
        ...view(newest!),
        ...(verdict && { status: verdict.status }),
        result: new RawJson(resultJson(newest!)),
        nodes: [...views.values()].sort((a, b) => (a.node ?? "").localeCompare(b.node ?? "")).map(view),
        ...(verdict && { quorum: { status: verdict.status, down: verdict.down, of: verdict.of, nodes: verdict.nodes, needed: verdict.needed, partial: verdict.partial } }),
      };
    });
    return {
      status: overall(checks.map((c) => c.status)),
      last_round: names[0] ?? null,
      checks,
    };
  }
}

/** The fleet's verdicts in the shared alert state (none without quorum, or when it cannot be read). */
function fleetOf(text: string | undefined): Fleet {
  try {
    return (text !== undefined && parseState(text).fleet) || {};
  } catch {
    return {};
  }
}

/** What one node saw of a check, newest first. */
function view(r: Result): { node: string | null; status: Status; time: string | null; median_rtt: number } {
  return {
    node: r.node ?? null,
    status: statusOf(r),
    time: r.timestamp > 0n ? unixNanosToDate(r.timestamp).toISOString() : null,
    median_rtt: statsOf(r.times).median,
  };
}

/** down beats degraded beats healthy; nothing stored is unknown. */
export function overall(statuses: readonly Status[]): Status {
  for (const s of ["down", "degraded", "healthy"] as const) if (statuses.includes(s)) return s;
  return "unknown";
}

/** Check files in the index, newest first (by the time in the name, then the stored time). */
function newestFirst(index: StoreIndex): string[] {
  return [...index.entries()]
    .filter(([name]) => checkFileTime(name) !== undefined)
    .sort((a, b) => {
      const ta = checkFileTime(a[0])!;
      const tb = checkFileTime(b[0])!;
      return ta === tb ? (a[1] < b[1] ? 1 : -1) : ta < tb ? 1 : -1;
    })
    .map(([name]) => name);
}
