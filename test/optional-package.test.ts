import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { importPackage } from "../lib/optional-package.js";
import { runCli } from "./helpers/cli.js";
import { tmpDir, writeConfig } from "./helpers/tmp.js";

test("importPackage: a missing package is named with the command that installs it", async () => {
  await assert.rejects(importPackage(() => import("checkup-no-such-package" as string), "checkup-no-such-package@1", "the x storage"),
    { message: "the x storage needs the checkup-no-such-package@1 package: run npm install checkup-no-such-package@1" });
});

test("importPackage: other failures pass through unchanged", async () => {
  await assert.rejects(importPackage(() => Promise.reject(new TypeError("boom")), "p", "u"), { name: "TypeError", message: "boom" });
});

/** A module hook that makes the AWS SDK and Octokit look uninstalled to the CLI it is loaded into. */
async function withoutSdks(): Promise<NodeJS.ProcessEnv> {
  const dir = await tmpDir();
  await writeFile(path.join(dir, "hooks.mjs"), `export async function resolve(specifier, context, next) {
  if (/^@aws-sdk\\/|^@octokit\\//.test(specifier)) {
    throw Object.assign(new Error("Cannot find package " + specifier), { code: "ERR_MODULE_NOT_FOUND" });
  }
  return next(specifier, context);
}\n`);
  await writeFile(path.join(dir, "register.mjs"),
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(path.join(dir, "hooks.mjs")).href)});\n`);
  return { NODE_OPTIONS: `--import=${pathToFileURL(path.join(dir, "register.mjs")).href}`, XDG_STATE_HOME: dir };
}

const storages = {
  s3: { type: "s3", bucket: "b", endpoint: "http://127.0.0.1:9", access_key_id: "k", secret_access_key: "s" },
  github: { type: "github", access_token: "t", repository_owner: "o", repository_name: "r", base_url: "http://127.0.0.1:9" },
};
const packages = { s3: "@aws-sdk/client-s3@~3.1169.0", github: "@octokit/rest" };

for (const [type, storage] of Object.entries(storages)) {
  test(`${type}: --version and validate never load its SDK; using it names the missing package`, async () => {
    const env = await withoutSdks();
    const config = await writeConfig({ checkers: [{ type: "tcp", endpoint_name: "x", endpoint_url: "127.0.0.1:9" }], storage });
    assert.equal((await runCli(["--version"], { env })).code, 0);
    const validate = await runCli(["-c", config, "validate"], { env });
    assert.equal(validate.code, 0, validate.stderr);
    // The hook is in force: storing does need the SDK, and the error says how to get it.
    const store = await runCli(["-c", config, "--store"], { env });
    assert.equal(store.code, 3);
    assert.match(store.stderr, new RegExp(`the ${type} storage needs the ${packages[type as keyof typeof packages].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} package: run npm install`));
  });
}
