/** Errors that carry what the CLI needs to print a clear message and pick an exit code. */
import { redactText } from "./redact.js";

/** Exit codes: the CLI's contract with cron, CI and shell scripts. */
export const ExitCode = {
  ok: 0,
  /** A check is degraded or down. */
  unhealthy: 1,
  /** The config (or the command line) is wrong; nothing ran. */
  config: 2,
  /** Something failed at run time: storage, network, a signal. */
  runtime: 3,
} as const;

/** One thing wrong with a config, located by its JSON path (`checkers[3].endpoint_url`). */
export interface Problem {
  path: string;
  message: string;
}

/** A config that cannot be used. Holds every problem found, so the user fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly file: string, readonly problems: Problem[]) {
    super(problems.map((p) => formatProblem(file, p)).join("\n"));
    this.name = "ConfigError";
  }
}

export function formatProblem(file: string, p: Problem): string {
  return p.path ? `${file}: ${p.path}: ${p.message}` : `${file}: ${p.message}`;
}

/** The command line asks for something that cannot be done (bad interval, unknown title). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A failure that is not the config's fault (storage down, disk full). The run is kept in the spool. */
export class RuntimeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RuntimeError";
  }
}

/**
 * Checkers that threw instead of returning a result (a program's own Checker can). Holds every
 * error, each led by its checker's title; the message joins them with "; " as checkup's Errors does.
 */
export class CheckErrors extends AggregateError {
  constructor(thrown: { checker: { title?: string }; error: unknown }[]) {
    const errors = thrown.map(({ error }) => error);
    super(errors, thrown.map(({ checker, error }) => (checker.title ? `${checker.title}: ` : "") + messageOf(error)).join("; "));
    this.name = "CheckErrors";
  }
}

/**
 * The message of anything thrown, without a stack and without credentials (a fetch error quotes
 * the URL it was given, userinfo and all).
 */
export function messageOf(e: unknown): string {
  if (e instanceof CheckErrors) return e.message;
  if (e instanceof AggregateError && e.errors.length > 0) return e.errors.map(messageOf).join("; ");
  return redactText(e instanceof Error ? e.message : String(e));
}
