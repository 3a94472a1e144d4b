/** "One file and one registry line": each family's folder and its registry name the same types. */
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { checkerTypes } from "../lib/check/index.js";
import { notifierTypes } from "../lib/notify/index.js";
import type { Registry } from "../lib/registry.js";
import { storageTypes } from "../lib/storage/index.js";
import { REPO } from "./helpers/paths.js";

const families: Record<string, Registry<unknown>> = { check: checkerTypes, storage: storageTypes, notify: notifierTypes };

for (const [folder, registry] of Object.entries(families)) {
  test(`lib/${folder}/ holds its registry and one file per registered type, nothing else`, async () => {
    const files = (await readdir(path.join(REPO, "lib", folder))).map((f) => f.replace(/\.ts$/, "")).filter((f) => f !== "index");
    assert.deepEqual(Object.keys(registry).sort(), files.sort());
  });

  test(`lib/${folder}/index.ts: every registered name loads a module whose default export is that type`, async () => {
    for (const [name, load] of Object.entries(registry)) {
      const type = (await load()).default as { parse?: unknown };
      assert.equal(typeof type.parse, "function", name);
    }
  });
}
