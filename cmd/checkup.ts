#!/usr/bin/env node
/**
 * The checkup command line: parses flags, loads the chosen command with import() (so
 * `checkup --version` stays cheap), and turns every error into a message and an exit code here,
 * in one place: 0 ok, 1 unhealthy, 2 config or usage, 3 runtime.
 */
import { Command, CommanderError, Option } from "commander";
import { PACKAGE as pkg } from "../lib/package-info.js";
import type { GlobalOptions } from "./load.js";

const program = new Command("checkup")
  .description("Self-hosted health checks and status pages")
  .version(pkg.version, "-v, --version")
  // -V too, as most command lines spell it; -v stays because checkup's users type it.
  .addOption(new Option("-V", "output the version number").hideHelp())
  .option("-c, --config <path>", "config file", "checkup.json")
  .option("--store", "store the results instead of printing them")
  .option("--json", "print the results as a JSON array (with --store: the round that was stored)")
  .helpCommand("help [command]", "display help for a command")
  .addHelpText("after", `
Exit codes:
  0  ok: everything healthy, or the command did its work
  1  a check is degraded or down
  2  the config or the command line is wrong (nothing ran)
  3  a runtime failure: storage, network, a notifier that could not be reached`)
  .showHelpAfterError()
  .exitOverride()
  .action(async (opts: GlobalOptions & { store?: boolean; json?: boolean }) => {
    const { run } = await import("./commands/run.js");
    return run(opts);
  });

program.command("every <interval>")
  .description("check, store and maintain now and then on an interval: second|minute|hour|day|week or e.g. 10m, 1h30m")
  .addOption(new Option("--log-format <format>", "one line per round as").choices(["text", "json"]).default("text"))
  .action(async (interval: string, opts: { logFormat: "text" | "json" }) => {
    const { runEvery } = await import("./commands/every.js");
    return runEvery(interval, { ...program.opts<GlobalOptions>(), ...opts });
  });

program.command("message <text>")
  .description("attach a message to a check's result and store the round")
  .option("-a, --about <title>", "title of the check the message is about")
  .action(async (text: string, opts: { about?: string }) => {
    const { postMessage } = await import("./commands/message.js");
    return postMessage(text, { ...program.opts<GlobalOptions>(), about: opts.about ?? "" });
  });

program.command("ping <token>")
  .description("record a heartbeat's ping in the storage, as GET /api/push/<token> on checkup serve does")
  .option("-s, --status <code>", "the job's exit status: 0 = it worked, anything else marks the heartbeat down", "0")
  .option("-m, --message <text>", "kept with the ping (the first 10 KB) and shown when the job failed")
  .action(async (token: string, opts: { status: string; message?: string }) => {
    const { ping } = await import("./commands/ping.js");
    return ping(token, { ...program.opts<GlobalOptions>(), ...opts });
  });

program.command("digest")
  .description("send a digest (status now, incidents since the last digest) to the notifiers with \"digest\": true")
  .action(async () => {
    const { sendDigest } = await import("./commands/digest.js");
    return sendDigest(program.opts<GlobalOptions>());
  });

program.command("provision [provider]")
  .description("create the S3 bucket and a read-only key for a public status page: with the config's storage, or s3 with AWS_* variables")
  .option("-u, --user <name>", "IAM user to create", "checkup-monitor-s3-public")
  .option("--iam-endpoint <url>", "an IAM-compatible server instead of AWS IAM (default: $CHECKUP_IAM_ENDPOINT)")
  .option("--json", "print the result as JSON")
  .action(async (provider: string | undefined, opts: { user: string; iamEndpoint?: string; json?: boolean }) => {
    const { provision } = await import("./commands/provision.js");
    const global = program.opts<GlobalOptions & { json?: boolean }>();
    return provision(provider, { ...global, ...opts, json: opts.json || global.json });
  });

program.command("serve")
  .description("serve the status page, its JSON API, live checks, metrics and badges")
  .option("-l, --listen <address>", "address to listen on, e.g. :3000 (every interface), 127.0.0.1:3000", ":3000")
  .option("--heartbeat-detail", "say in /__heartbeat__ why the storage fails (names its user, host and database)")
  .option("--cors-origin <origin...>", "let scripts on this origin (or *) read the JSON API and live checks, e.g. a status page on GitHub Pages")
  .action(async (opts: { listen: string; heartbeatDetail?: boolean; corsOrigin?: string[] }) => {
    const { serve } = await import("./commands/serve.js");
    return serve({ ...program.opts<GlobalOptions>(), ...opts });
  });

program.command("report")
  .description("SLA report per check: uptime, downtime, incidents, longest incident, p50/p95 RTT (UTC days; default this month)")
  .option("--month <YYYY-MM>", "one UTC month, e.g. 2026-11")
  .option("--from <date>", "first UTC day, e.g. 2026-11-01 (with --to)")
  .option("--to <date>", "last UTC day, included, e.g. 2026-11-30")
  .addOption(new Option("--format <format>", "print as").choices(["text", "json", "csv", "md"]).default("text"))
  .action(async (opts: { month?: string; from?: string; to?: string; format: "text" | "json" | "csv" | "md" }) => {
    const { report } = await import("./commands/report.js");
    return report({ ...program.opts<GlobalOptions>(), ...opts });
  });

program.command("summarize")
  .description("write the status page's summaries for rounds stored without them (e.g. by the Go checkup)")
  .action(async () => {
    const { summarize } = await import("./commands/summarize.js");
    return summarize(program.opts<GlobalOptions>());
  });

program.command("validate")
  .description("check the config without running anything")
  .action(async () => {
    const { validate } = await import("./commands/validate.js");
    return validate(program.opts<GlobalOptions>());
  });

program.command("schema")
  .description("print checkup.json's JSON Schema (the package ships it as checkup.schema.json)")
  .action(async () => {
    const { checkupSchemaText } = await import("../lib/config/schema.js");
    process.stdout.write(await checkupSchemaText());
  });

program.command("page")
  .description("write the status page as a static site: its files, a config.js and optionally a copy of an fs store")
  .requiredOption("-o, --out <dir>", "folder to write the site to")
  .option("-d, --data <folder>", "a folder of stored results (fs layout) to publish beside the page")
  .option("--data-url <url>", "where the page reads results when --data is not given", "/")
  .action(async (opts: { out: string; data?: string; dataUrl?: string }) => {
    const { page } = await import("./commands/page.js");
    return page({ ...program.opts<GlobalOptions>(), ...opts });
  });

program.command("init [url...]")
  .description("write a starter checkup.json: one http check per URL, fs storage")
  .option("-f, --force", "overwrite existing files")
  .option("--github-pages", "store into this GitHub repository from a scheduled workflow and publish the page to GitHub Pages (docs/github-pages.md)")
  .action(async (urls: string[], opts: { force?: boolean; githubPages?: boolean }) => {
    const { init } = await import("./commands/init.js");
    return init(urls, { ...program.opts<GlobalOptions>(), ...opts });
  });

program.command("completion <shell>")
  .description("print a completion script: bash or zsh (e.g. source <(checkup completion bash))")
  .action(async (shell: string) => {
    const { completion } = await import("./commands/completion.js");
    return completion(shell, program);
  });

program.on("option:V", () => {
  process.stdout.write(`${pkg.version}\n`);
  throw new CommanderError(0, "commander.version", pkg.version);
});

for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError();

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const { exitCodeFor } = await import("./errors.js");
  process.exitCode = await exitCodeFor(e, CommanderError);
}
