/**
 * `checkup page`: the status page as a folder any static host serves (GitHub Pages, S3, nginx):
 * the page's files, a `js/config.js` from checkup.json's `statuspage` section and, when given, a
 * copy of an fs-style store (index.json, check files, summaries/) that the page reads beside it.
 */
import { access, cp, mkdir, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "./errors.js";
import { isSummarizer, type Storage } from "./types.js";
import { INDEX_FILE, SUMMARY_DIR } from "./summary/format.js";
import { DEFAULT_PAGE_CONFIG, pageConfigJs, type PageConfig } from "./serve/page-config.js";
import { PACKAGE_PAGE_DIR } from "./serve/static.js";
import { checkFileTime } from "./files/index-file.js";

/** Where the copied store goes inside the site; config.js points the page here. */
export const SITE_DATA_DIR = "data";

export interface StatusPageOptions {
  /** The page settings (checkup.json's `statuspage`). */
  page?: PageConfig;
  /** A folder of stored results (fs layout) to publish with the page. */
  data?: string;
  /** Where the page reads results when `data` is not given (e.g. "https://status.example.com/checks/"). */
  dataUrl?: string;
  /** The results at `dataUrl` have summaries (storeKeepsSummaries); `data` is looked at instead. */
  summaries?: boolean;
}

/** Whether a storage has summaries now (its summaries index exists): the page may then read them without asking. */
export async function storeKeepsSummaries(storage: Storage | undefined): Promise<boolean> {
  const blobs = storage && isSummarizer(storage) ? storage.summaries() : undefined;
  return blobs !== undefined && (await blobs.get(INDEX_FILE)) !== undefined;
}

export async function writeStatusPage(outDir: string, options: StatusPageOptions = {}): Promise<void> {
  if (options.data !== undefined && !(await stat(options.data).then((s) => s.isDirectory(), () => false))) {
    throw new UsageError(`page: --data ${options.data} is not a folder of stored results (the storage's "dir")`);
  }
  await mkdir(outDir, { recursive: true });
  // The page's own config.js is a commented template: the generated one replaces it.
  await cp(PACKAGE_PAGE_DIR, outDir, { recursive: true, filter: (src) => path.relative(PACKAGE_PAGE_DIR, src) !== path.join("js", "config.js") });
  if (options.data !== undefined) {
    const into = path.join(outDir, SITE_DATA_DIR);
    await mkdir(into, { recursive: true });
    // Only what the page reads: index.json, <ns>-check.json and summaries/ (no locks or temp files).
    for (const name of await readdir(options.data)) {
      if (name === "index.json" || name === "summaries" || checkFileTime(name) !== undefined) {
        await cp(path.join(options.data, name), path.join(into, name), { recursive: true, filter: (src) => !path.basename(src).startsWith(".") });
      }
    }
  }
  const url = options.data !== undefined ? `${SITE_DATA_DIR}/` : options.dataUrl ?? "/";
  const summaries = options.data !== undefined
    ? await access(path.join(options.data, SUMMARY_DIR, INDEX_FILE)).then(() => true, () => false)
    : options.summaries === true;
  await writeFile(path.join(outDir, "js", "config.js"), pageConfigJs(options.page ?? DEFAULT_PAGE_CONFIG, { type: "fs", url, ...(summaries && { summaries: true as const }) }));
}
