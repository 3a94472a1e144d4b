/** Two cron jobs (or two nodes on a shared disk) storing at the same moment lose nothing. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { parseIndex } from "../../lib/files/index-file.js";
import { REPO } from "../helpers/paths.js";
import { tmpDir } from "../helpers/tmp.js";

const FS_MODULE = path.join(REPO, "dist", "lib", "storage", "fs.js");

/** A separate node process that stores `rounds` rounds as fast as it can. */
function writer(dir: string, id: number, rounds: number): Promise<number | null> {
  const script = `
    const { FsStorage } = await import(${JSON.stringify(FS_MODULE)});
    const fs = new FsStorage({ dir: ${JSON.stringify(dir)}, url: "", checkExpiry: 0 });
    for (let i = 0; i < ${rounds}; i++) {
      await fs.store([{ title: "w${id}-" + i, timestamp: 1n, times: [{ rtt: 1 }], healthy: true }]);
    }`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "inherit" });
  return new Promise((resolve) => child.once("exit", resolve));
}

test("fs: four processes storing 25 rounds each at once: 100 files, 100 index entries", async () => {
  const dir = await tmpDir();
  const codes = await Promise.all([0, 1, 2, 3].map((id) => writer(dir, id, 25)));
  assert.deepEqual(codes, [0, 0, 0, 0]);
  const files = (await readdir(dir)).filter((f) => f.endsWith("-check.json"));
  assert.equal(files.length, 100);
  const index = parseIndex(await readFile(path.join(dir, "index.json"), "utf8"));
  assert.deepEqual([...index.keys()].sort(), files.sort());
  assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith(".tmp") || f.endsWith(".lock")), [], "no temp files or locks left");
});
