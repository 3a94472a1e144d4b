/**
 * Routes over what the cron job stored, read through StorageReader: checkup's `/index.json` and
 * `/<ns>-check.json` (as the Go serve answered them, minus its bugs: real status codes, JSON
 * Content-Type, 404 as JSON) and `/api/status`, the latest stored result of every check, with
 * each node's latest beside it and the check's combined status over them (rules.js, as the page;
 * under `quorum`, the fleet's verdict from the shared alert state).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { resultJson, resultsJson, statsOf, statusOf } from "../result.js";
import { checkFileTime, indexJson } from "../files/index-file.js";
import { unixNanosToDate } from "../nanos.js";
import { checkKey } from "../check-key.js";
import { byTimeThenNode, combineRuns, quorumOfResult, runOfResult, type Run } from "checkup/statuspage/rules";
import { statusOfCode } from "../summary/format.js";
import { parseState, SHARED_STATE } from "../alerting/state-file.js";
import type { Fleet } from "../alerting/quorum.js";
import type { Result, SharedStore, Status, StorageReader, StoreIndex } from "../types.js";
import { RawJson, send, sendError, sendJson } from "./http.js";

/** How many of the newest rounds `/api/status` reads to find every check (nodes may store apart). */
const STATUS_LOOKBACK = 20;

/** Stored rounds never change once written; a deleted one simply stops being listed. */
const IMMUTABLE = "public, max-age=86400, immutable";

export class StoredRoutes {
  private latest: { key: string; body: StatusBody } | undefined;

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
    sendJson(req, res, await this.statusBody(), { etag: true });
  }

  /** Every check `/api/status` lists: each node's newest stored result and the combined status. */
  async storedChecks(): Promise<StoredCheck[]> {
    return (await this.statusBody()).checks;
  }

  /** What `/api/status` says of the check with this key (its combined status and each node's view), if stored. */
  async storedViews(key: string): Promise<{ status: Status; nodes: NodeView[] } | undefined> {
    const check = (await this.statusBody()).checks.find((c) => checkKey(c) === key);
    return check && { status: check.status, nodes: check.nodes };
  }

  private async statusBody(): Promise<StatusBody> {
    const names = newestFirst(await this.reader.index()).slice(0, STATUS_LOOKBACK);
    const fleetText = await this.shared?.readShared(SHARED_STATE).catch(() => undefined);
    const key = `${names.join(",")}\n${fleetText ?? ""}`;
    if (this.latest?.key !== key) this.latest = { key, body: await this.readStatus(names, fleetOf(fleetText)) };
    return this.latest.body;
  }

  private async readStatus(names: string[], fleet: Fleet): Promise<StatusBody> {
    // Per check, the newest result of each node (a Go-written result has none: node null), and all
    // of them as runs for the combined status.
    const seen = new Map<string, { views: Map<string, Result>; runs: Run[] }>();
    for (const name of names) {
      for (const r of await this.reader.fetch(name)) {
        let check = seen.get(checkKey(r));
        if (!check) seen.set(checkKey(r), (check = { views: new Map(), runs: [] }));
        if (!check.views.has(r.node ?? "")) check.views.set(r.node ?? "", r);
        check.runs.push(runOfResult(r, Number(r.timestamp / 1_000_000n)));
      }
    }
    const checks = [...seen.entries()].map(([key, { views, runs }]) => {
      const [newest] = views.values();
      const verdict = fleet[key]?.verdict;
      return {
        title: newest!.title ?? "",
        endpoint: newest!.endpoint ?? "",
        ...view(newest!),
        // Several nodes: the verdict over their newest results by the newest result's quorum rule, as the
        // page and the summaries give it; with the fleet's shared state, the one it alerts on.
        status: verdict?.status ?? statusOfCode(combineRuns(runs.sort(byTimeThenNode), quorumOfResult(newest!)).at(-1)!),
        result: new RawJson(resultJson(newest!)),
        nodes: [...views.values()].sort((a, b) => ((a.node ?? "") < (b.node ?? "") ? -1 : 1)).map(view),
        ...(verdict && { quorum: { status: verdict.status, down: verdict.down, of: verdict.of, nodes: verdict.nodes, partial: verdict.partial } }),
      };
    });
    return {
      status: overall(checks.map((c) => c.status)),
      last_round: names[0] ?? null,
      checks,
    };
  }
}

export interface NodeView { node: string | null; status: Status; time: string | null; median_rtt: number }

/** A check as `/api/status` gives it: its newest result's view, with `status` the combined one, and each node's. */
export type StoredCheck = NodeView & { title: string; endpoint: string; result: RawJson; nodes: NodeView[]; quorum?: QuorumView };

interface StatusBody {
  status: Status;
  last_round: string | null;
  checks: StoredCheck[];
}

/** The fleet's verdict on a check (alerting/quorum.ts Verdict), as /api/status gives it. */
interface QuorumView { status: Status; down: number; of: number; nodes: number; partial: boolean }

/** The fleet's verdicts in the shared alert state (none without quorum, or when it cannot be read). */
function fleetOf(text: string | undefined): Fleet {
  try {
    return (text !== undefined && parseState(text).fleet) || {};
  } catch {
    return {};
  }
}

/** What one node saw of a check, newest first. */
function view(r: Result): NodeView {
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
