/** The checker registry: the one place a checker type's name is written. */
import type { Raw, Scope } from "../config/fields.js";
import { parseTyped, type Registry } from "../registry.js";
import type { Checker } from "../types.js";
import { ConfiguredChecker, parseCommon } from "../checking/attempts.js";
import type { CheckerType } from "../plugin-types.js";

export const checkerTypes: Registry<CheckerType<unknown, unknown>> = {
  http: () => import("./http.js"),
  tcp: () => import("./tcp.js"),
  tls: () => import("./tls.js"),
  dns: () => import("./dns.js"),
  exec: () => import("./exec.js"),
  ssh: () => import("./ssh.js"),
  smtp: () => import("./smtp.js"),
  websocket: () => import("./websocket.js"),
  grpc: () => import("./grpc.js"),
  icmp: () => import("./icmp.js"),
  domain: () => import("./domain.js"),
  heartbeat: () => import("./heartbeat.js"),
};

/** Titles already taken in one config (lower case, as `--about` and `/api/checks` match) → the path that took each. */
export type TakenTitles = Map<string, string>;

/**
 * Builds a checker from its checkup.json object; problems go to `at`'s report. With `taken`, a
 * title used by an earlier checker is a problem too.
 */
export function parseChecker(raw: Raw, at: Scope, taken?: TakenTitles): Promise<Checker | undefined> {
  return parseTyped(checkerTypes, raw, at, { family: "checker" }, (name, type, typeAt) => {
    const options = { ...type.parse(raw, typeAt), ...parseCommon(raw, typeAt, type.defaultTimeout) };
    typeAt.warnUnknownKeys(raw);
    if (taken && options.title) claimTitle(options.title, type.titleKey ?? "endpoint_name", typeAt, taken);
    return new ConfiguredChecker(name, type, options);
  });
}

function claimTitle(title: string, key: string, at: Scope, taken: TakenTitles): void {
  const first = taken.get(title.toLowerCase());
  if (first === undefined) taken.set(title.toLowerCase(), at.path);
  else at.problem(key, `${JSON.stringify(title)} is also the title of ${first}; titles identify a check in stored results, alerts and the page: make them unique`);
}
