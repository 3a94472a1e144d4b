/** `checkup summarize`: write status page summaries for rounds stored without them. */
import { loadCheckup, type GlobalOptions } from "../load.js";

export async function summarize(opts: GlobalOptions): Promise<void> {
  const checkup = await loadCheckup(opts, "storage");
  try {
    const rounds = await checkup.summarize();
    process.stdout.write(`Summaries cover ${rounds} stored round${rounds === 1 ? "" : "s"}\n`);
  } finally {
    await checkup.close();
  }
}
