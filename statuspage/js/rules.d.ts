/** Types of rules.js for lib (strict TypeScript); the page uses the .js as it is. */
export type StatusCode = "h" | "d" | "x" | "u";

export declare const STATUS_CODE: Readonly<{ healthy: "h"; degraded: "d"; down: "x"; unknown: "u" }>;
export declare const SEVERITY: Readonly<Record<StatusCode, number>>;

export interface StatusFlags { healthy?: boolean; degraded?: boolean; down?: boolean }
export interface AttemptLike { rtt: number; error?: string }
export interface ResultLike extends StatusFlags {
  times: readonly AttemptLike[];
  threshold?: number;
  notice?: string;
  message?: string;
  node?: string;
}

/** One run of one check: time (caller's unit), status, median RTT and threshold (µs), texts. */
export interface Run {
  t: number;
  s: StatusCode;
  rtt: number;
  thr: number;
  notice?: string;
  message?: string;
  error?: string;
  /** The node that ran it, where results name one. */
  node?: string;
  /** The check's combined status at this run, where a summary says it (format 3). */
  c?: StatusCode;
}

/** A node's newest result of a check; `gap` is the interval before it (undefined after one), `text` its error or notice. */
export interface View {
  t: number;
  s: StatusCode;
  gap?: number;
  rtt: number;
  text?: string;
}

/** A check's quorum (config `quorum`): `down` of `of` nodes decide; `window` in µs. */
export interface QuorumRule {
  down: number;
  of: number;
  window: number;
}

export interface Verdict {
  s: StatusCode;
  /** Nodes counted. */
  nodes: number;
  partial: boolean;
}

/** [t, status code or "m" for a message, text]. */
export type RunEvent = [number, StatusCode | "m", string];

export interface Outage {
  start: number;
  /** The first healthy run after it; undefined while it lasts. */
  end: number | undefined;
  worst: StatusCode;
  runs: number;
  /** Errors and notices (plain text). */
  texts: string[];
  /** Messages posted meanwhile (may hold simple HTML). */
  messages: string[];
}

export declare function statusCodeOf(r: StatusFlags): StatusCode;
export declare const isUp: (code: string) => boolean;
export declare function median(values: readonly number[]): number;
export declare function percentile(values: readonly number[], p: number): number;
export declare function uptimePercent(up: number, total: number): string | undefined;
export declare const checkKey: (r: { title?: string; endpoint?: string }) => string;
export declare const MAX_ERROR_CHARS: number;
export declare function firstError(times: readonly AttemptLike[] | undefined): string | undefined;
export declare function runOfResult(r: ResultLike, t: number): Run;
export declare function detectEvents(runs: readonly Run[], previous?: StatusCode): RunEvent[];
export declare function outagesOf(runs: readonly Pick<Run, "t" | "s" | "error" | "notice" | "message">[]): Outage[];
export declare const worse: (a: StatusCode | undefined, b: StatusCode | undefined) => StatusCode | undefined;
export declare const dayOfMs: (ms: number) => string;
export declare function weekOf(day: string): string;
export declare function checkFileDigits(name: string): string | undefined;
export declare const SUMMARIES_ENTRY: "summaries/index.json";
export declare const FRESH_INTERVALS: number;
export declare function byTimeThenNode(a: { t: number; node?: string }, b: { t: number; node?: string }): number;
export declare function noteView(views: Map<string, View>, run: Pick<Run, "t" | "s" | "rtt" | "node" | "error" | "notice">): void;
export declare function countedNodes(views: ReadonlyMap<string, View>, t: number, rule?: QuorumRule): string[];
/** A stored result's quorum (window in ns) as a QuorumRule (window in µs). */
export declare function quorumOfResult(r: { quorum?: { down: number; of: number; window: number } }): QuorumRule | undefined;
export declare function verdictOf(views: ReadonlyMap<string, View>, t: number, rule?: QuorumRule): Verdict;
export declare function combineRuns(runs: readonly Pick<Run, "t" | "s" | "rtt" | "node" | "error" | "notice" | "c">[], rule?: QuorumRule, views?: Map<string, View>): StatusCode[];
export declare function asVerdict<R extends Pick<Run, "s" | "error" | "notice">>(run: R, code: StatusCode): R;
