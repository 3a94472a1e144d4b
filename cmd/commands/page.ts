/** `checkup page --out DIR [--data FOLDER]`: the status page as a static site (GitHub Pages, S3, nginx). */
import { storeKeepsSummaries, writeStatusPage } from "../../lib/statuspage-site.js";
import type { GlobalOptions } from "../load.js";
import { loadCheckup } from "../load.js";

export async function page(opts: GlobalOptions & { out: string; data?: string; dataUrl?: string }): Promise<void> {
  const checkup = await loadCheckup(opts, "storage");
  try {
    const summaries = opts.data === undefined && (await storeKeepsSummaries(checkup.storage));
    await writeStatusPage(opts.out, { page: checkup.page, data: opts.data, dataUrl: opts.dataUrl, summaries });
  } finally {
    await checkup.close();
  }
  process.stdout.write(`wrote the status page to ${opts.out}\n`);
}
