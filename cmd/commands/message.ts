/** `checkup message --about TITLE "text"`: a note on a check's result, stored with a new round. */
import { loadCheckup, type GlobalOptions } from "../load.js";

export async function postMessage(text: string, opts: GlobalOptions & { about: string }): Promise<void> {
  const checkup = await loadCheckup(opts);
  try {
    await checkup.message(opts.about, text);
    process.stdout.write("Message posted\n");
  } finally {
    await checkup.close();
  }
}
