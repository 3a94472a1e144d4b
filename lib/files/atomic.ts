/** Whole-file writes that readers never see half done: write a temp file, then rename it. */
import { randomBytes } from "node:crypto";
import { link, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";

function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/** Replaces `file` atomically. */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const temp = tempNameFor(file);
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}

/**
 * Creates `file` atomically, failing with EEXIST if it exists: a hard link is both atomic and
 * exclusive. Where hard links are not supported, falls back to an exclusive create + rename.
 * Whatever fails (a full disk), no temp file and no empty `file` is left behind.
 */
export async function createFileAtomic(file: string, data: string): Promise<void> {
  const temp = tempNameFor(file);
  try {
    await writeFile(temp, data);
    await linkExclusive(temp, file);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP"]);

async function linkExclusive(temp: string, file: string): Promise<void> {
  try {
    await link(temp, file);
    return;
  } catch (e) {
    if (!NO_HARD_LINKS.has((e as NodeJS.ErrnoException).code ?? "")) throw e;
  }
  await writeFile(file, "", { flag: "wx" });
  try {
    await rename(temp, file);
  } catch (e) {
    await unlink(file).catch(() => undefined);
    throw e;
  }
}
