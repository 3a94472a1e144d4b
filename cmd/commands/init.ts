/**
 * `checkup init [URL...]`: a starter checkup.json, one http check per URL, results in ./checks.
 * With `--github-pages`, the config stores into this GitHub repository and a workflow runs it on
 * a schedule and publishes the status page to GitHub Pages (docs/github-pages.md).
 */
import { access, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { SCHEMA_REFERENCE } from "../../lib/config/checkup-json.js";
import { UsageError } from "../../lib/errors.js";
import { PACKAGE } from "../../lib/package-info.js";
import type { GlobalOptions } from "../load.js";

const EXAMPLE = "https://example.com/";
/** The workflow's file, relative to the folder of checkup.json (the repository's root). */
export const WORKFLOW_FILE = path.join(".github", "workflows", "checkup.yml");
/** Where the workflow's github storage keeps results inside the repository. */
const STATUS_DIR = "status";

/** Titles identify a check everywhere: the host name, with the path when two URLs share a host. */
function titlesOf(urls: URL[]): string[] {
  const hosts = urls.map((u) => u.host);
  return urls.map((u, i) => (hosts.indexOf(u.host) !== hosts.lastIndexOf(u.host) ? `${u.host}${u.pathname}` : hosts[i]!));
}

function checkersFor(texts: string[]): object[] {
  const urls = (texts.length ? texts : [EXAMPLE]).map((text) => {
    const url = URL.canParse(text) ? new URL(text) : undefined;
    if (!url || !/^https?:$/.test(url.protocol)) throw new UsageError(`init: expected an absolute http(s) URL like "https://example.com/health", got ${JSON.stringify(text)}`);
    if (url.username || url.password) throw new UsageError(`init: ${url.host}: keep credentials out of checkup.json; put them in an environment variable and write \${NAME}`);
    return url;
  });
  const titles = titlesOf(urls);
  return urls.map((url, i) => ({ type: "http", endpoint_name: titles[i], endpoint_url: url.href, attempts: 3, threshold_rtt: "2s" }));
}

export function starterConfig(texts: string[]): object {
  return { $schema: SCHEMA_REFERENCE, checkers: checkersFor(texts), storage: { type: "fs", dir: "checks", check_expiry: "30d" } };
}

/**
 * github storage into the repository the workflow runs in. Every value comes from the variables
 * GitHub Actions sets (the token from the workflow), so the file names no account or secret.
 */
export function githubPagesConfig(texts: string[]): object {
  return {
    $schema: SCHEMA_REFERENCE,
    checkers: checkersFor(texts),
    storage: {
      type: "github",
      access_token: "${GITHUB_TOKEN}",
      repository_owner: "${GITHUB_REPOSITORY_OWNER}",
      repository_name: "${CHECKUP_REPOSITORY_NAME}",
      branch: "${GITHUB_REF_NAME}",
      dir: STATUS_DIR,
      base_url: "${GITHUB_API_URL:-https://api.github.com}",
      committer_name: "checkup",
      committer_email: "checkup@users.noreply.github.com",
      check_expiry: "90d",
    },
    statuspage: { timeframe: "7d" },
  };
}

/** Every 10 minutes: check and store (a commit), then publish the page with the stored results. */
export function githubPagesWorkflow(configFile: string): string {
  return `# Written by \`checkup init --github-pages\` (docs/github-pages.md).
# Every 10 minutes: run the checks, commit the results into ${STATUS_DIR}/ (github storage), and
# publish the status page with them to GitHub Pages (Settings → Pages → Source: GitHub Actions).
name: checkup
on:
  schedule:
    - cron: "*/10 * * * *"
  workflow_dispatch:
permissions:
  contents: write
  pages: write
  id-token: write
concurrency:
  group: checkup
  cancel-in-progress: false
jobs:
  status:
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - name: Install checkup
        run: npm install --global --no-audit --no-fund ${PACKAGE.name}@${PACKAGE.version}
      - name: Check and store
        run: checkup -c ${configFile} --store
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
          CHECKUP_REPOSITORY_NAME: \${{ github.event.repository.name }}
      - name: Build the status page
        run: |
          git pull --ff-only origin "$GITHUB_REF_NAME"
          checkup -c ${configFile} page --out _site --data ${STATUS_DIR}
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
          CHECKUP_REPOSITORY_NAME: \${{ github.event.repository.name }}
      - uses: actions/upload-pages-artifact@v3
        with:
          path: _site
      - id: deployment
        uses: actions/deploy-pages@v4
`;
}

const exists = (file: string) => access(file).then(() => true, () => false);

export async function init(urls: string[], opts: GlobalOptions & { force?: boolean; githubPages?: boolean }): Promise<void> {
  const config = opts.githubPages ? githubPagesConfig(urls) : starterConfig(urls);
  const files = new Map([[opts.config, `${JSON.stringify(config, null, 2)}\n`]]);
  const workflow = path.join(path.dirname(opts.config), WORKFLOW_FILE);
  if (opts.githubPages) files.set(workflow, githubPagesWorkflow(path.basename(opts.config)));
  // Refuse before writing anything, so a refusal leaves no half-made setup.
  for (const file of files.keys()) {
    if (!opts.force && await exists(file)) throw new UsageError(`${file} already exists: edit it, or pass --force to replace it`);
  }
  for (const [file, text] of files) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  process.stdout.write(opts.githubPages
    ? `wrote ${opts.config} and ${workflow}: commit both, push, then choose Settings → Pages → Source: GitHub Actions\n`
    : `wrote ${opts.config}: run \`checkup\` to check once, \`checkup every 5m\` to keep watching\n`);
}
