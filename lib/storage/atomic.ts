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
 */
export async function createFileAtomic(file: string, data: string): Promise<void> {
  const temp = tempNameFor(file);
  await writeFile(temp, data);
  try {
    await link(temp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") {
      await unlink(temp).catch(() => undefined);
      throw e;
    }
    await writeFile(file, "", { flag: "wx" }).catch(async (err: unknown) => {
      await unlink(temp).catch(() => undefined);
      throw err;
    });
    await rename(temp, file);
    return;
  }
  await unlink(temp);
}
