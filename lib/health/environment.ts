/**
 * environmentHandler: bottle-healthcheck's EnvironmentDump for Node. Answers JSON with the OS,
 * Node, process and package sections plus the app's own, every one of which can be turned off.
 * Any key or environment variable whose name contains key, token, pass or secret has its value
 * replaced, at any depth, as do such `--flag=value` arguments.
 */
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import os from "node:os";
import path from "node:path";
import { messageOf } from "../errors.js";

export const SCRUBBED = "[scrubbed]";
const SECRET_NAME = /key|token|pass|secret/i;
const URL_PASSWORD = /(\b[a-z][\w+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi;

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

/**
 * A copy of `value` with secret-looking keys' values replaced, at any depth, and the password of
 * any `scheme://user:password@host` string (DATABASE_URL and the like) too.
 */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.replace(URL_PASSWORD, `$1${SCRUBBED}@`);
  if (depth > 20 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_NAME.test(k) ? SCRUBBED : scrub(v, depth + 1);
  return out;
}

/** `--api-key=abc` → `--api-key=[scrubbed]`; `--password abc` → `--password [scrubbed]`. */
export function scrubArgv(argv: readonly string[]): string[] {
  return argv.map((arg, i) => {
    const eq = /^(--?[^=]+)=/.exec(arg);
    if (eq && SECRET_NAME.test(eq[1]!)) return `${eq[1]}=${SCRUBBED}`;
    const previous = argv[i - 1];
    if (previous && /^--?[^=]+$/.test(previous) && SECRET_NAME.test(previous) && !arg.startsWith("-")) return SCRUBBED;
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
