/** Shared pieces for notifier tests: fixed events, and a notifier built from a config object. */
import { Report, Scope, type Raw } from "../../lib/config/fields.js";
import { parseNotifier } from "../../lib/notify/index.js";
import type { AlertEvent, Notice, Notifier } from "../../lib/types.js";

/** 2024-06-10T12:00:00Z */
export const T0 = 1_718_020_800_000_000_000n;
const MIN = 60_000_000_000n;

export const downEvent: AlertEvent = {
  kind: "alert", key: "API\nhttps://api.example.org/health", title: "API", endpoint: "https://api.example.org/health",
  status: "down", reason: "response status 502 Bad Gateway", at: T0, since: T0, duration: 0,
};
export const recoveredEvent: AlertEvent = {
  kind: "recovered", key: downEvent.key, title: "API", endpoint: downEvent.endpoint,
  status: "healthy", previous: "down", at: T0 + 13n * MIN, since: T0, duration: 750_000_000_000,
};
export const degradedEvent: AlertEvent = {
  kind: "alert", key: "DB\ndb.example.org:5432", title: "DB", endpoint: "db.example.org:5432",
  status: "degraded", reason: "median round trip time exceeded threshold (200ms)", at: T0, since: T0, duration: 0,
};

export const events = (...e: AlertEvent[]): Notice => ({ kind: "events", events: e });

/** The facts of downEvent as Slack-shaped attachment fields (Slack, Mattermost). */
export const downFields = [
  { title: "Check", value: "API", short: true },
  { title: "Endpoint", value: "https://api.example.org/health", short: false },
  { title: "Status", value: "down", short: true },
  { title: "Error", value: "response status 502 Bad Gateway", short: false },
  { title: "Time", value: "2024-06-10 12:00:00 UTC", short: false },
];

/** plainText(events(downEvent)): the body most services get for the alert. */
export const downText = "API is down: response status 502 Bad Gateway\nCheck: API\nEndpoint: https://api.example.org/health\nStatus: down\n" +
  "Error: response status 502 Bad Gateway\nTime: 2024-06-10 12:00:00 UTC";

export const digestNotice: Notice = {
  kind: "digest",
  digest: {
    at: T0 + 60n * MIN, since: T0 - 60n * MIN,
    checks: [
      { title: "API", endpoint: downEvent.endpoint, status: "healthy", since: T0 + 13n * MIN },
      { title: "DB", endpoint: degradedEvent.endpoint, status: "degraded", since: T0, reason: degradedEvent.reason! },
    ],
    incidents: [
      { title: "API", endpoint: downEvent.endpoint, status: "down", previous: "healthy", at: T0 },
      { title: "API", endpoint: downEvent.endpoint, status: "healthy", previous: "down", at: T0 + 13n * MIN },
    ],
  },
};

/** Parses one notifier object the way checkup.json's `notifiers[0]` is read. */
export async function parseOne(raw: Raw): Promise<{ notifier?: Notifier; problems: string[]; warnings: string[] }> {
  const report = new Report();
  const spec = await parseNotifier(raw, new Scope(report, "notifiers[0]"));
  const problems = report.problems.map((p) => `${p.path}: ${p.message}`);
  const warnings = report.warnings.map((p) => `${p.path}: ${p.message}`);
  return { notifier: spec && problems.length === 0 ? await spec.open() : undefined, problems, warnings };
}

/** A notifier that must parse cleanly. */
export async function notifierOf(raw: Raw): Promise<Notifier> {
  const { notifier, problems } = await parseOne(raw);
  if (!notifier) throw new Error(`config problems: ${problems.join("; ")}`);
  return notifier;
}

export const signal = () => AbortSignal.timeout(5000);

/** A stand-in for a service: answers every request with `status` and `body`, and records it. */
export async function receiver(status = 200, body = "", headers: Record<string, string> = {}) {
  const { startHttpServer } = await import("./http-server.js");
  return startHttpServer((_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  });
}

/** A dead service: accepts each request and never answers, until answerFromNowOn(); then 200. */
export async function hungReceiver() {
  const { startHttpServer } = await import("./http-server.js");
  let answering = false;
  /** Bodies of the requests answered. */
  const answered: string[] = [];
  const server = await startHttpServer((_req, res, body) => {
    if (!answering) return;
    answered.push(body);
    res.end();
  });
  return { ...server, answered, answerFromNowOn: () => void (answering = true) };
}

/** JSON.stringify that must match byte for byte (key order included). */
export const bytes = (v: unknown) => JSON.stringify(v);
