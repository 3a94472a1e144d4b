/**
 * `checkup serve [--listen ADDR]`: the status page, its API, live checks, metrics and badges from
 * one process. A storage that cannot be read back still leaves live checks, metrics and health
 * working. SIGTERM/SIGINT close the server cleanly.
 */
import { parseCorsOrigins } from "../../lib/serve/http.js";
import { startServer } from "../../lib/serve/server.js";
import { StaticFiles } from "../../lib/serve/static.js";
import { isPingStore, isSharedStore, isStorageReader, isSummarizer } from "../../lib/types.js";
import { loadCheckup, type GlobalOptions } from "../load.js";

export async function serve(opts: GlobalOptions & { listen: string; heartbeatDetail?: boolean; corsOrigin?: string[] }): Promise<void> {
  const corsOrigins = parseCorsOrigins(opts.corsOrigin ?? []);
  const checkup = await loadCheckup(opts, "storage");
  const warn = (m: string) => process.stderr.write(`warning: ${m}\n`);
  const storage = checkup.storage;
  const reader = storage && isStorageReader(storage) ? storage : undefined;
  if (!storage) warn("no storage configured: serving live checks, metrics and health only (no status page history)");
  else if (!reader) warn(`storage ${storage.type} cannot be read back: serving live checks, metrics and health only`);
  if (!(await new StaticFiles().available())) warn("the status page files (statuspage/) are not installed: serving the API only");
  const summaries = reader && isSummarizer(reader) ? reader.summaries() : undefined;
  const pings = storage && isPingStore(storage) ? storage : undefined;
  const shared = storage && isSharedStore(storage) && checkup.checkers.some((c) => c.quorum) ? storage : undefined;
  const running = await startServer({
    checkers: checkup.checkers, reader, pings, shared, summaries, listen: opts.listen, concurrency: checkup.concurrentChecks, node: checkup.node, page: checkup.page, warn,
    heartbeatDetail: opts.heartbeatDetail, corsOrigins,
  });
  process.stdout.write(`checkup serving on ${running.url} (listening on ${running.address})\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stderr.write(`checkup: ${signal} received, closing the server\n`);
      void running.close().then(resolve);
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  await checkup.close();
}
