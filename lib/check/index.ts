/** The checker registry: the one place a checker type's name is written. */
import type { Raw, Scope } from "../config/fields.js";
import { loadType, type Registry } from "../registry.js";
import type { Checker } from "../types.js";
import { ConfiguredChecker, parseCommon, type CheckerType } from "./attempts.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each type has its own options
export const checkerTypes: Registry<CheckerType<any, any>> = {
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
};

/** Builds a checker from its checkup.json object; problems go to `at`'s report. */
export async function parseChecker(raw: Raw, at: Scope): Promise<Checker | undefined> {
  const found = await loadType(checkerTypes, raw, at, { family: "checker" });
  if (!found) return undefined;
  const options = { ...found.type.parse(raw, at), ...parseCommon(raw, at, found.type.defaultTimeout) };
  at.warnUnknownKeys(raw);
  return new ConfiguredChecker(found.name, found.type, options);
}
