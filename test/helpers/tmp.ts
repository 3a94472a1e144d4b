/** Temporary folders that tests clean up after themselves. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after } from "node:test";

/** A fresh folder, removed when the test file finishes. */
export async function tmpDir(prefix = "checkup-test-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `config` as checkup.json (or `name`) into a fresh folder; returns the file path. */
export async function writeConfig(config: unknown, name = "checkup.json"): Promise<string> {
  const dir = await tmpDir();
  const file = path.join(dir, name);
  await writeFile(file, typeof config === "string" ? config : JSON.stringify(config, null, 2));
  return file;
}
