/** fs on a real full filesystem (a 64 KiB tmpfs): a failed store leaves nothing expiry cannot remove. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { appendFile, mkdtemp, readdir, readFile, rmdir, stat, truncate } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test, type TestContext } from "node:test";
import { promisify } from "node:util";
import { FsStorage } from "../../lib/storage/fs.js";
import { parseIndex } from "../../lib/files/index-file.js";
import type { Result } from "../../lib/types.js";

const run = promisify(execFile);
const PAGE = 4096;
const HOUR = 3_600_000_000_000;

/** A fresh 64 KiB tmpfs, unmounted when the test ends; undefined (test skipped) where mounting is not allowed. */
async function smallDisk(t: TestContext): Promise<string | undefined> {
  const disk = await mkdtemp(path.join(os.tmpdir(), "checkup-disk-"));
  try {
    await run("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", disk]);
  } catch (e) {
    await rmdir(disk);
    t.skip(`mounting a tmpfs needs root: ${(e as Error).message}`);
    return undefined;
  }
  t.after(async () => {
    await run("umount", [disk]);
    await rmdir(disk);
  });
  return disk;
}

/** Fills the disk with one file; returns its path and size. */
async function fillUp(disk: string): Promise<{ file: string; size: number }> {
  const file = path.join(disk, "filler");
  for (;;) {
    try {
      await appendFile(file, Buffer.alloc(PAGE));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
      return { file, size: (await stat(file)).size };
    }
  }
}

/** Every file under `dir`, as paths relative to it. */
async function walk(dir: string, under = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, under), { withFileTypes: true })) {
    const rel = path.join(under, entry.name);
    out.push(rel);
    if (entry.isDirectory()) out.push(...(await walk(dir, rel)));
  }
  return out;
}

/** What a failed store may never leave: temp files, locks, check files index.json does not list. */
async function assertNothingLeft(disk: string): Promise<void> {
  const files = await walk(disk);
  assert.deepEqual(files.filter((f) => f.endsWith(".tmp") || /\.lock(\.break)?$/.test(f)), [], "no temp file or lock");
  const indexed = parseIndex(await readFile(path.join(disk, "index.json"), "utf8").catch(() => "{}"));
  assert.deepEqual(files.filter((f) => f.endsWith("-check.json") && !indexed.has(f)), [], "no check file outside index.json");
}

const round = (i: number): Result[] => [{ title: `round ${i}`, timestamp: BigInt(i), times: [{ rtt: 1 }], healthy: true }];

test("fs: stores on a full disk fail, leave no temp or unindexed file, and expiry removes all they stored", async (t) => {
  const disk = await smallDisk(t);
  if (!disk) return;
  const fs = new FsStorage({ dir: disk, url: "", checkExpiry: HOUR });
  await fs.store(round(0));
  const filler = await fillUp(disk);
  // Free one page more each time: every step of a store (check file, lock record, index.json,
  // summaries) runs out of space in turn, until a store fits.
  let failures = 0;
  for (let free = 0; ; free += PAGE) {
    await truncate(filler.file, filler.size - free);
    const stored = await fs.store(round(free)).then(() => true, (e: NodeJS.ErrnoException) => {
      assert.equal(e.code, "ENOSPC", e.message);
      return false;
    });
    await assertNothingLeft(disk);
    if (stored) break;
    failures++;
  }
  assert.ok(failures > 1, `${failures} stores failed before one fitted`);

  // Expiry still runs on a disk that is full again, and removes every check file stored.
  await fillUp(disk);
  await fs.maintain(BigInt(Date.now()) * 1_000_000n + 2n * BigInt(HOUR));
  assert.deepEqual((await walk(disk)).filter((f) => f.endsWith("-check.json")), []);
  assert.equal((await fs.index()).size, 0);
  await assertNothingLeft(disk);
});
