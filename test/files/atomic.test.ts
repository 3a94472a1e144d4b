/** Whole-file writes: a reader sees the old or the new text, never a mix, and nothing is left behind. */
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { createFileAtomic, writeFileAtomic } from "../../lib/files/atomic.js";
import { tmpDir } from "../helpers/tmp.js";

test("atomic: writeFileAtomic replaces a file whole and leaves no temp file", async () => {
  const dir = await tmpDir();
  const file = path.join(dir, "index.json");
  await writeFile(file, "old");
  await writeFileAtomic(file, "new");
  assert.equal(await readFile(file, "utf8"), "new");
  assert.deepEqual(await readdir(dir), ["index.json"]);
});

test("atomic: concurrent readers of a file being rewritten see one whole version or the other", async () => {
  const dir = await tmpDir();
  const file = path.join(dir, "big.json");
  const versions = ["a", "b"].map((c) => c.repeat(1024 * 1024));
  await writeFileAtomic(file, versions[0]!);
  const writes = Array.from({ length: 20 }, (_, i) => writeFileAtomic(file, versions[i % 2]!));
  const reads = Array.from({ length: 20 }, () => readFile(file, "utf8"));
  for (const text of await Promise.all(reads)) assert.ok(versions.includes(text), "a half-written file was read");
  await Promise.all(writes);
  assert.deepEqual(await readdir(dir), ["big.json"]);
});

test("atomic: a failed write leaves the old file and no temp file", async () => {
  const dir = await tmpDir();
  const file = path.join(dir, "taken");
  // A folder where the file should go makes the rename fail after the temp file was written.
  await mkdir(file);
  await assert.rejects(writeFileAtomic(file, "x"));
  assert.deepEqual(await readdir(dir), ["taken"]);
});

test("atomic: createFileAtomic creates once; a second create fails with EEXIST and keeps the first text", async () => {
  const dir = await tmpDir();
  const file = path.join(dir, "1-check.json");
  await createFileAtomic(file, "first");
  await assert.rejects(createFileAtomic(file, "second"), { code: "EEXIST" });
  assert.equal(await readFile(file, "utf8"), "first");
  assert.deepEqual(await readdir(dir), ["1-check.json"]);
});

test("atomic: of concurrent creates of one name exactly one wins", async () => {
  const dir = await tmpDir();
  const file = path.join(dir, "2-check.json");
  const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => createFileAtomic(file, `writer ${i}`)));
  const won = outcomes.flatMap((o, i) => (o.status === "fulfilled" ? [i] : []));
  assert.equal(won.length, 1);
  assert.equal(await readFile(file, "utf8"), `writer ${won[0]}`);
  assert.deepEqual(await readdir(dir), ["2-check.json"]);
});
