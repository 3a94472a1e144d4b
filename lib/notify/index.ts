/** The notifier registry: the one place a notifier type's name is written. */
import type { Raw, Scope } from "../config/fields.js";
import { loadType, type Registry } from "../registry.js";
import type { Result } from "../types.js";

/** Something told about each round. */
export interface Notifier {
  readonly type: string;
  notify(results: Result[]): Promise<void>;
}

export interface NotifierType<O> {
  /** Reads this type's fields. Pure: no connection is opened. */
  parse(raw: Raw, at: Scope): O;
  create(options: O): Promise<Notifier>;
}

export interface NotifierSpec {
  type: string;
  open(): Promise<Notifier>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each type has its own options
export const notifierTypes: Registry<NotifierType<any>> = {};

/** Reads one notifier (`type`, or checkup 1.x's `name`). */
export async function parseNotifier(raw: Raw, at: Scope): Promise<NotifierSpec | undefined> {
  const found = await loadType(notifierTypes, raw, at, { family: "notifier", legacyKeys: ["name"] });
  if (!found) return undefined;
  const options: unknown = found.type.parse(raw, at);
  at.warnUnknownKeys(raw);
  return { type: found.name, open: () => found.type.create(options) };
}
