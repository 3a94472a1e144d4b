/**
 * A node of a fleet, as its own OS process, for the shared-state tests: opens the storage in
 * argv[2] (a storage config as JSON), says `ready` on stdout, waits for a line on stdin (so every
 * process starts at the same moment), then adds 1 to the counter in shared document argv[3],
 * argv[4] times, and exits 0. Run with `node dist/test/helpers/shared-counter.js`.
 */
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { Report, Scope, type Raw } from "../../lib/config/fields.js";
import { parseStorage } from "../../lib/storage/index.js";
import { isSharedStore, type SharedStore } from "../../lib/types.js";

/** One increment of `{"n": …}`; the pause between read and write widens the window a lost update needs. */
export function increment(store: SharedStore, name: string): Promise<number> {
  return store.updateShared(name, async (current) => {
    const n = current === undefined ? 0 : (JSON.parse(current) as { n: number }).n;
    await new Promise((resolve) => setImmediate(resolve));
    return { text: JSON.stringify({ n: n + 1 }), value: n + 1 };
  });
}

async function main(config: Raw, name: string, times: number): Promise<void> {
  const report = new Report();
  const spec = await parseStorage(config, new Scope(report, "storage"));
  if (report.problems.length > 0 || !spec) throw new Error(`bad storage config: ${JSON.stringify(report.problems)}`);
  const storage = await spec.open();
  try {
    if (!isSharedStore(storage)) throw new Error(`${storage.type} is not a SharedStore`);
    process.stdout.write("ready\n");
    const lines = createInterface({ input: process.stdin });
    await new Promise((resolve) => lines.once("line", resolve));
    lines.close();
    for (let i = 0; i < times; i++) await increment(storage, name);
  } finally {
    await storage.close?.();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(JSON.parse(process.argv[2]!) as Raw, process.argv[3]!, Number(process.argv[4]));
}
