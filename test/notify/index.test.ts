import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { parseCheckupConfig } from "../../lib/config/checkup-json.js";
import { ConfigError } from "../../lib/errors.js";
import { notifierTypes } from "../../lib/notify/index.js";
import { COMPAT, REPO } from "../helpers/paths.js";

/** lib/notify/ holds the registry and notifier types only: shared machinery lives in lib/alerting/. */
const SHARED = ["index"];

test("notify: the registry lists exactly the notifier files in lib/notify/", async () => {
  const files = (await readdir(path.join(REPO, "lib", "notify"))).map((f) => f.replace(/\.ts$/, "")).filter((f) => !SHARED.includes(f));
  assert.deepEqual(Object.keys(notifierTypes).sort(), files.sort());
});

/** Notifier configs alone: a config without checkers is refused unless a command needs only storage, as here. */
const NOTIFIERS_ONLY = { requireCheckers: false };

/** A compat config with its storage swapped for fs (other storages live on other branches) and its webhooks made real. */
async function compat(name: string): Promise<Record<string, unknown>> {
  const raw = JSON.parse(await readFile(path.join(COMPAT, "configs", name), "utf8")) as Record<string, unknown>;
  raw.storage = { type: "fs", dir: "checks" };
  raw.checkers = [];
  return JSON.parse(JSON.stringify(raw).replaceAll('"REDACTED"', '"https://hooks.slack.com/services/T0/B0/X"')) as Record<string, unknown>;
}

test("notify: noisebridge's legacy singular notifier with \"name\": \"slack\" works unchanged", async () => {
  const { config, warnings } = await parseCheckupConfig(await compat("noisebridge__config__checkup.json"), "checkup.json", NOTIFIERS_ONLY);
  assert.deepEqual(config.notifiers.map((n) => [n.type, n.path]), [["slack", "notifier"]]);
  assert.deepEqual(warnings, []);
});

test("notify: maxime-sourdin's mail + slack notifiers work unchanged", async () => {
  const { config, warnings } = await parseCheckupConfig(await compat("maxime-sourdin__my-website__content__blog__monitoring-avec-checkup-et-grafana.md.json"), "checkup.json", NOTIFIERS_ONLY);
  assert.deepEqual(config.notifiers.map((n) => n.type), ["mail", "slack"]);
  assert.deepEqual(warnings, []);
});

test("notify: a third-party type (robinbode's kpnsms) is refused, naming it and the known types", async () => {
  await assert.rejects(parseCheckupConfig(await compat("robinbode__checkup-kpnsms-module__examples__checkup.json"), "checkup.json", NOTIFIERS_ONLY), (e: ConfigError) => {
    assert.equal(e.message, `checkup.json: notifier.name: unknown notifier type "kpnsms"; known: ${Object.keys(notifierTypes).join(", ")}`);
    return true;
  });
});

test("notify: a digest section needs a notifier that takes digests", async () => {
  await assert.rejects(parseCheckupConfig({ checkers: [], digest: { every: "24h" }, notifiers: [{ type: "webhook", url: "https://example.com/h" }] }, "checkup.json", NOTIFIERS_ONLY),
    /checkup\.json: digest: no notifier takes digests: add "digest": true to a notifier/);
  const { config } = await parseCheckupConfig({ checkers: [], digest: { every: "24h" }, notifiers: [{ type: "webhook", url: "https://example.com/h", digest: true }] }, "c", NOTIFIERS_ONLY);
  assert.equal(config.digestEvery, 86_400e9);
});

test("notify: policy fields are checked with their path", async () => {
  await assert.rejects(parseCheckupConfig({ checkers: [], notifiers: [{ type: "slack", webhook: "https://hooks.slack.com/x", failure_threshold: 0, renotify: "often" }] }, "c", NOTIFIERS_ONLY),
    (e: ConfigError) => {
      assert.deepEqual(e.problems.map((p) => p.path), ["notifiers[0].failure_threshold", "notifiers[0].renotify"]);
      return true;
    });
});
