/** `checkup init [URL...]`: a starter checkup.json, one http check per URL, results in ./checks. */
import { writeFile } from "node:fs/promises";
import { SCHEMA_REFERENCE } from "../../lib/config/checkup-json.js";
import { UsageError } from "../../lib/errors.js";
import type { GlobalOptions } from "../checkup.js";

const EXAMPLE = "https://example.com/";

/** Titles identify a check everywhere: the host name, with the path when two URLs share a host. */
function titlesOf(urls: URL[]): string[] {
  const hosts = urls.map((u) => u.host);
  return urls.map((u, i) => (hosts.indexOf(u.host) !== hosts.lastIndexOf(u.host) ? `${u.host}${u.pathname}` : hosts[i]!));
}

export function starterConfig(texts: string[]): object {
  const urls = (texts.length ? texts : [EXAMPLE]).map((text) => {
    const url = URL.canParse(text) ? new URL(text) : undefined;
    if (!url || !/^https?:$/.test(url.protocol)) throw new UsageError(`init: expected an absolute http(s) URL like "https://example.com/health", got ${JSON.stringify(text)}`);
    if (url.username || url.password) throw new UsageError(`init: ${url.host}: keep credentials out of checkup.json; put them in an environment variable and write \${NAME}`);
    return url;
  });
  const titles = titlesOf(urls);
  return {
    $schema: SCHEMA_REFERENCE,
    checkers: urls.map((url, i) => ({ type: "http", endpoint_name: titles[i], endpoint_url: url.href, attempts: 3, threshold_rtt: "2s" })),
    storage: { type: "fs", dir: "checks", check_expiry: "30d" },
  };
}

export async function init(urls: string[], opts: GlobalOptions & { force?: boolean }): Promise<void> {
  const text = `${JSON.stringify(starterConfig(urls), null, 2)}\n`;
  try {
    await writeFile(opts.config, text, { flag: opts.force ? "w" : "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new UsageError(`${opts.config} already exists: edit it, or pass --force to replace it`);
    throw e;
  }
  process.stdout.write(`wrote ${opts.config}: run \`checkup\` to check once, \`checkup every 5m\` to keep watching\n`);
}
