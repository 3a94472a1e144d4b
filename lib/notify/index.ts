/**
 * The notifier registry (the one place a notifier type's name is written) and the shapes notifiers
 * work with. A notifier type only formats and sends; when something is due is decided by state.ts.
 */
import { createHash } from "node:crypto";
import { bool, int, nanos, Report, Scope, type Raw } from "../config/fields.js";
import { MAX_TIMEOUT, MIN_TIMEOUT, MINUTE, SECOND, type Nanos } from "../duration.js";
import type { UnixNanos } from "../nanos.js";
import { parseTyped, type Registry } from "../registry.js";
import type { Status } from "../types.js";

/** alert: healthy → unhealthy; reminder: still unhealthy after `renotify`; recovered: healthy again. */
export type AlertKind = "alert" | "reminder" | "recovered";

/** One thing to tell people about one check. Built by state.ts only. */
export interface AlertEvent {
  kind: AlertKind;
  /** The check's identity across runs (lib/check-key.ts), or the key its alert went out under. */
  key: string;
  title: string;
  endpoint: string;
  /** The status now ("healthy" for a recovery). */
  status: Status;
  /** For a recovery: the status the check recovered from. */
  previous?: Status;
  /** The first attempt error, or the notice, of the run that raised the event. */
  reason?: string;
  /** When the event was decided. */
  at: UnixNanos;
  /** When the outage began (its first unhealthy run). */
  since: UnixNanos;
  /** How long the outage lasted (recovered) or has lasted so far (alert, reminder). Integer ns. */
  duration: Nanos;
}

/** A status change, kept for the digest. */
export interface Incident {
  title: string;
  endpoint: string;
  status: Status;
  previous?: Status;
  at: UnixNanos;
}

/** The summary report: where things stand now, and what changed since the last one. */
export interface Digest {
  at: UnixNanos;
  /** The previous digest, if any. */
  since?: UnixNanos;
  checks: { title: string; endpoint: string; status: Status; since: UnixNanos; reason?: string }[];
  incidents: Incident[];
}

/** What a notifier formats: some of one run's events, or a digest. */
export type Notice = { kind: "events"; events: AlertEvent[] } | { kind: "digest"; digest: Digest };

/** When a notifier speaks up. Read from the notifier's own config object. */
export interface AlertPolicy {
  /** Consecutive unhealthy runs before alerting (gatus's failure-threshold). */
  failureThreshold: number;
  /** Consecutive healthy runs before the recovery is announced. */
  successThreshold: number;
  /** Remind every this long while still unhealthy. Integer ns; 0 = never. */
  renotify: Nanos;
  /** Also receives digests. */
  digest: boolean;
  /** Per delivery try. Integer ns. */
  timeout: Nanos;
}

export interface NotifierType<O, P = unknown> {
  /** Reads this type's fields. Pure: nothing is loaded or contacted. */
  parse(raw: Raw, at: Scope): O;
  /** "run": one message lists all of a run's events (mail); "event" (default): one message each. */
  batch?: "run" | "event";
  /** false when the service has no use for a digest (PagerDuty). */
  digest?: boolean;
  /** Pure: the request body or mail for a notice, tested byte for byte. */
  format(notice: Notice, options: O): P;
  /** Delivers one payload; rejects with a short reason that holds no secret. */
  send(payload: P, options: O, signal: AbortSignal): Promise<void>;
}

/** A configured notifier, ready to deliver. Programs may build their own. */
export interface Notifier {
  readonly type: string;
  /** Stable across runs while its config is unchanged: keys its alert state. */
  readonly id: string;
  readonly policy: AlertPolicy;
  readonly batch: "run" | "event";
  deliver(notice: Notice, signal: AbortSignal): Promise<void>;
}

/** A notifier config that was read and checked. */
export interface NotifierSpec {
  type: string;
  /** Where it sits in the config, e.g. `notifiers[1]`, for log lines. */
  path: string;
  /** Takes digests (`"digest": true`). */
  digest: boolean;
  open(): Promise<Notifier>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each type has its own options
export const notifierTypes: Registry<NotifierType<any, any>> = {
  slack: () => import("./slack.js"),
  discord: () => import("./discord.js"),
  mail: () => import("./mail.js"),
  mailgun: () => import("./mailgun.js"),
  pushover: () => import("./pushover.js"),
  teams: () => import("./teams.js"),
  pagerduty: () => import("./pagerduty.js"),
  webhook: () => import("./webhook.js"),
  telegram: () => import("./telegram.js"),
  ntfy: () => import("./ntfy.js"),
  gotify: () => import("./gotify.js"),
  matrix: () => import("./matrix.js"),
  mattermost: () => import("./mattermost.js"),
  opsgenie: () => import("./opsgenie.js"),
  googlechat: () => import("./googlechat.js"),
  sns: () => import("./sns.js"),
};

/** Reads one notifier (`type`, or checkup 1.x's `name`) with its alert policy. */
export function parseNotifier(raw: Raw, at: Scope): Promise<NotifierSpec | undefined> {
  return parseTyped(notifierTypes, raw, at, { family: "notifier", legacyKeys: ["name"] }, (name, type, typeAt) => {
    const policy = parsePolicy(raw, typeAt);
    if (policy.digest && type.digest === false) typeAt.problem("digest", `${name} notifiers cannot take a digest: remove "digest": true`);
    const options: unknown = parseOrDisable(raw, typeAt, (scope) => type.parse(raw, scope));
    if (options === DISABLED) return undefined;
    typeAt.warnUnknownKeys(raw);
    const id = `${name}:${createHash("sha256").update(JSON.stringify(options)).digest("hex").slice(0, 12)}`;
    return {
      type: name,
      path: typeAt.path,
      digest: policy.digest,
      open: async () => ({
        type: name,
        id,
        policy,
        batch: type.batch ?? "event",
        deliver: (notice, signal) => type.send(type.format(notice, options), options, signal),
      }),
    };
  });
}

const DISABLED = Symbol("disabled");

/**
 * Real configs ship notifier templates with required fields left as placeholders (`"webhook": ""`,
 * `"REDACTED"`, `"<your url>"`), which checkup accepted and then failed to send on every run. Such
 * a notifier is switched off with a warning, so the config still loads; any other problem (a
 * mistyped URL, a wrong type) stops startup as usual.
 */
function parseOrDisable(raw: Raw, at: Scope, parse: (scope: Scope) => unknown): unknown {
  const report = new Report();
  const scope = at.reportingTo(report);
  const options = parse(scope);
  for (const key of scope.used) at.used.add(key);
  const placeholder = (path: string) => isPlaceholder(raw[path.slice(at.path.length + 1)]);
  if (report.problems.length > 0 && report.problems.every((p) => placeholder(p.path))) {
    const keys = report.problems.map((p) => p.path.slice(at.path.length + 1)).join(", ");
    at.warn(keys.split(", ")[0]!, `is a placeholder, so this ${String(raw.type ?? raw.name)} notifier is off until ${keys} ${keys.includes(",") ? "are" : "is"} set`);
    return DISABLED;
  }
  at.report.problems.push(...report.problems);
  at.report.warnings.push(...report.warnings);
  return options;
}

/** "", an ALL-CAPS word such as REDACTED or CHANGE ME, or `<text in angle brackets>`. */
export function isPlaceholder(value: unknown): boolean {
  return typeof value === "string" && (value.trim() === "" || /^[A-Z][A-Z _-]*$/.test(value) || /^<[^>]*>$/.test(value));
}

/** Consecutive rounds before an alert or recovery: beyond this a check could never alert in practice. */
const MAX_STREAK = 1000;

function parsePolicy(raw: Raw, at: Scope): AlertPolicy {
  return {
    failureThreshold: int(raw, "failure_threshold", at, { default: 1, min: 1, max: MAX_STREAK }),
    successThreshold: int(raw, "success_threshold", at, { default: 1, min: 1, max: MAX_STREAK }),
    // A reminder more often than once a minute is noise, not a reminder.
    renotify: nanos(raw, "renotify", at, { default: 0, min: MINUTE }),
    digest: bool(raw, "digest", at),
    timeout: nanos(raw, "timeout", at, { default: 10 * SECOND, min: MIN_TIMEOUT, max: MAX_TIMEOUT }),
  };
}
