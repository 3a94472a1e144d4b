/** `checkup report`: an SLA report per check over whole UTC days, from the summaries. */
import { loadCheckup, type GlobalOptions } from "../load.js";
import { reportWindow } from "../../lib/summary/report.js";
import { formatReport, type ReportFormat } from "../report-output.js";

export interface ReportOptions extends GlobalOptions {
  month?: string;
  from?: string;
  to?: string;
  format: ReportFormat;
}

export async function report(opts: ReportOptions): Promise<void> {
  // Flags first: a wrong date exits 2 before the storage is opened.
  const window = reportWindow(opts);
  const checkup = await loadCheckup(opts, "storage");
  try {
    process.stdout.write(formatReport(await checkup.report(window), opts.format));
  } finally {
    await checkup.close();
  }
}
