/**
 * environmentHandler: bottle-healthcheck's EnvironmentDump for Node. Answers JSON with the OS,
 * Node, process and package sections plus the app's own, every one of which can be turned off.
 * Secrets are scrubbed by lib/redact.ts, at any depth: values of secret-named keys, variables and
 * `--flag=value` arguments, and credentials inside any value (URL and DSN passwords, `password=…`).
 */
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import os from "node:os";
import path from "node:path";
import { messageOf } from "../errors.js";
import { isSecretName, SCRUBBED, scrub } from "../redact.js";

export { SCRUBBED, scrub };

export type Section = () => unknown;

export interface EnvironmentOptions {
  /** Built-in sections to leave out, e.g. `{ process: false }` (all are on by default). */
  include?: { os?: boolean; node?: boolean; process?: boolean; package?: boolean };
  /** The app's own sections: name → function returning any JSON value (may be async). */
  sections?: Readonly<Record<string, Section>>;
  /** The package.json to describe; default the one in the working directory. */
  packageFile?: string;
}

export interface EnvironmentHandler {
  (req: IncomingMessage, res: ServerResponse, next?: unknown): Promise<void>;
  /** The scrubbed dump without HTTP. */
  run(): Promise<Record<string, unknown>>;
}

export function environmentHandler(options: EnvironmentOptions = {}): EnvironmentHandler {
  const include = { os: true, node: true, process: true, package: true, ...options.include };
  const builtIn: Record<string, Section> = {};
  if (include.os) builtIn.os = osSection;
  if (include.node) builtIn.node = nodeSection;
  if (include.process) builtIn.process = processSection;
  if (include.package) builtIn.package = () => packageSection(options.packageFile ?? path.resolve("package.json"));
  const sections = { ...builtIn, ...options.sections };

  const run = async (): Promise<Record<string, unknown>> => {
    const dump: Record<string, unknown> = {};
    for (const [name, section] of Object.entries(sections)) {
      try {
        dump[name] = scrub(await section());
      } catch (e) {
        dump[name] = { error: messageOf(e) };
      }
    }
    return dump;
  };

  const handler = async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = `${JSON.stringify(await run(), null, 2)}\n`;
    res.statusCode = 200;
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Content-Length", Buffer.byteLength(body));
    res.end(body);
  };
  return Object.assign(handler, { run });
}

/** `--password abc` → `--password [scrubbed]`; `--api-key=abc` and the rest go through scrub(). */
export function scrubArgv(argv: readonly string[]): string[] {
  return argv.map((arg, i) => {
    const previous = argv[i - 1];
    if (previous && /^--?[^=]+$/.test(previous) && isSecretName(previous) && !arg.startsWith("-")) return SCRUBBED;
    return scrub(arg) as string;
  });
}

function osSection(): unknown {
  return {
    type: os.type(), platform: os.platform(), release: os.release(), arch: os.arch(), hostname: os.hostname(),
    uptime: os.uptime(), loadavg: os.loadavg(), cpus: os.cpus().length, totalmem: os.totalmem(), freemem: os.freemem(),
  };
}

function nodeSection(): unknown {
  return { version: process.version, versions: process.versions, execPath: process.execPath, execArgv: scrubArgv(process.execArgv) };
}

function processSection(): unknown {
  return {
    pid: process.pid, ppid: process.ppid, title: process.title, argv: scrubArgv(process.argv), cwd: process.cwd(),
    uptime: process.uptime(), memoryUsage: process.memoryUsage(), env: { ...process.env },
  };
}

/** name, version and dependencies of the app's package.json (scripts and the rest stay private). */
async function packageSection(file: string): Promise<unknown> {
  const pkg = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  const pick = ["name", "version", "description", "license", "dependencies", "engines"];
  return Object.fromEntries(pick.filter((k) => pkg[k] !== undefined).map((k) => [k, pkg[k]]));
}
