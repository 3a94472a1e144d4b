/** `checkup ping <token> [--status N] [--message TEXT]`: a heartbeat's ping, written into the storage. */
import { UsageError } from "../../lib/errors.js";
import { loadCheckup, type GlobalOptions } from "../load.js";

export async function ping(token: string, opts: GlobalOptions & { status: string; message?: string }): Promise<void> {
  if (!/^-?\d{1,10}$/.test(opts.status)) throw new UsageError(`--status must be the job's exit status, a whole number (0 = it worked), got ${JSON.stringify(opts.status)}`);
  const checkup = await loadCheckup(opts);
  try {
    const checker = await checkup.ping(token, { status: Number(opts.status), message: opts.message });
    // The token is a secret: neither message shows it.
    if (!checker) throw new UsageError(`no heartbeat checker in ${opts.config} has this token`);
    process.stdout.write(`Ping recorded for ${checker.title}\n`);
  } finally {
    await checkup.close();
  }
}
