/**
 * Folder fields (`storage.dir`, `spool_dir`): a folder that does not exist yet is fine (it is
 * created when first written), but a file already standing at that path would make every write
 * fail, so it is a config problem. Only looks (stat); validating never creates anything.
 */
import { statSync } from "node:fs";
import { shown, str, type Raw, type Scope } from "./fields.js";

export function folder(raw: Raw, key: string, at: Scope, opts: { required?: string } = {}): string {
  const dir = str(raw, key, at, opts);
  if (!dir) return dir;
  try {
    if (!statSync(dir).isDirectory()) at.problem(key, notAFolder(dir));
  } catch (e) {
    // Missing is fine (made when first written); anything else (permissions, I/O) shows then, with
    // its own error. (Node 24's `throwIfNoEntry: false` also hides ENOTDIR, so it is not used.)
    if ((e as NodeJS.ErrnoException).code === "ENOTDIR") at.problem(key, notAFolder(dir, true));
  }
  return dir;
}

/** The fix for a folder path taken by a file (`under`: by a file on its way); also the store-time message. */
export function notAFolder(dir: string, under = false): string {
  const where = under ? "is under a file" : "is a file";
  return `${shown(dir)} ${where}, not a folder: point it at a folder (created if missing), or move the file away`;
}
