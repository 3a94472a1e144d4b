/**
 * The notifier registry (the one place a notifier type's name is written), with the parsing of
 * what every notifier accepts (its alert policy). A notifier type only formats and sends; when
 * something is due is decided by lib/alerting/state.ts.
 */
import { bool, int, nanos, Report, Scope, type Raw } from "../config/fields.js";
import { MAX_TIMEOUT, MIN_TIMEOUT, MINUTE, SECOND } from "../duration.js";
import { configId, parseTyped, type Registry } from "../registry.js";
import type { NotifierSpec, NotifierType } from "../plugin-types.js";
import type { AlertPolicy } from "../types.js";

export const notifierTypes: Registry<NotifierType<unknown, unknown>> = {
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
    return {
      type: name,
      path: typeAt.path,
      digest: policy.digest,
      open: async () => ({
        type: name,
        id: configId(name, options),
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
