/** `checkup digest`: send the summary report (status now, incidents since the last digest). */
import { loadCheckup, type GlobalOptions } from "../load.js";

export async function sendDigest(opts: GlobalOptions): Promise<void> {
  const checkup = await loadCheckup(opts);
  try {
    const told = await checkup.digest();
    process.stdout.write(`Digest sent to ${told.join(", ")}\n`);
  } finally {
    await checkup.close();
  }
}
