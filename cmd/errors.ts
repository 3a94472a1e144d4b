/** The CLI's one error handler: a message on stderr (never a stack trace) and an exit code. */
import { ConfigError, ExitCode, messageOf, UsageError } from "../lib/errors.js";

type CommanderErrorClass = new (...args: never[]) => Error & { exitCode: number; code: string };

export async function exitCodeFor(e: unknown, CommanderError: CommanderErrorClass): Promise<number> {
  if (e instanceof CommanderError) {
    // Help and --version "errors" are successes; commander already printed the usage problem.
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return ExitCode.ok;
    return ExitCode.config;
  }
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    return ExitCode.config;
  }
  if (e instanceof UsageError) {
    process.stderr.write(`checkup: ${e.message}\n`);
    return ExitCode.config;
  }
  process.stderr.write(`checkup: ${messageOf(e)}\n`);
  if (process.env.CHECKUP_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return ExitCode.runtime;
}
