/**
 * checkup.schema.json: generated from the loader's own readers, shipped as generated, and checked
 * with a standard validator (ajv) against every real config the loader accepts, every good fixture
 * and every bad fixture whose rule a schema can state.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { Ajv, type ValidateFunction } from "ajv";
import { starterConfig } from "../../cmd/commands/init.js";
import { parseCheckupConfig, SCHEMA_REFERENCE } from "../../lib/config/checkup-json.js";
import { parseConfigText } from "../../lib/config/load.js";
import { checkupSchema, checkupSchemaText } from "../../lib/config/schema.js";
import { parseDuration } from "../../lib/duration.js";
import { COMPAT, REPO } from "../helpers/paths.js";

const BAD = path.join(REPO, "testdata", "config", "bad");

/** Bad fixtures a schema cannot refuse, and why: the loader alone refuses them. */
const BEYOND_A_SCHEMA: Record<string, string> = {
  "trailing-comma.json": "not JSON: a schema sees only parsed JSON",
  "empty-file.json": "not JSON",
  "byte-order-mark.json": "not JSON",
  "allowed-failures-all.json": "the bound depends on another field (fewer than attempts)",
  "duplicate-titles.json": "titles must be unique across checkers",
  "folder-is-a-file.json": "what stands on the disk at that path",
  "folder-under-a-file.json": "what stands on the disk at that path",
  "missing-env.json": "which environment variables are set",
  "relative-url.json": "URL forms: notifier placeholders and ${NAME} references are valid values of a URL field",
  "endpoint-userinfo-no-scheme.json": "URL forms",
  "slack-webhook-no-scheme.json": "URL forms",
  "matrix-room-alias.json": "a notifier's placeholder value (\"REDACTED\", \"<…>\") turns it off instead, so any string is valid",
  "ntfy-bad-topic.json": "a notifier's placeholder value turns it off instead",
  "sns-bad-arn.json": "a notifier's placeholder value turns it off instead",
  "bad-up-status.json": "which texts are status patterns (a regular expression must compile)",
  "no-checkers.json": "serve, provision and summarize take a config that only names storage",
  "sql-two-backends.json": "a rule across fields (sqlite_db_file or postgresql, not both)",
  "heartbeat-storage.json": "a rule across fields (a heartbeat needs a storage that keeps pings)",
  "heartbeat-without-storage.json": "a rule across fields (a heartbeat needs a storage that keeps pings)",
  "quorum-down-over-of.json": "a rule across fields (down at most of)",
  "quorum-storage.json": "a rule across fields (quorum needs a storage that shares state)",
  "quorum-without-storage.json": "a rule across fields (a checker's quorum takes what it lacks from the top level's)",
  "shards-storage.json": "a rule across fields (auto shards need a storage the nodes register in)",
};

async function compiled(closed = false): Promise<ValidateFunction> {
  return new Ajv({ allErrors: true }).compile(await checkupSchema({ closed }));
}

async function jsonFiles(dir: string): Promise<{ name: string; text: string }[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".json")).sort();
  return Promise.all(names.map(async (name) => ({ name, text: await readFile(path.join(dir, name), "utf8") })));
}

/** The compat configs the loader accepts, with whether it warned about unknown keys. */
async function acceptedCompatConfigs(): Promise<{ name: string; raw: unknown; unknownKeys: boolean }[]> {
  const out = [];
  for (const { name, text } of await jsonFiles(path.join(COMPAT, "configs"))) {
    const raw = parseConfigText(text, name);
    const parsed = await parseCheckupConfig(raw, name, { env: {} }).catch(() => undefined);
    if (parsed) out.push({ name, raw, unknownKeys: parsed.warnings.some((w) => w.message.startsWith("unknown key")) });
  }
  return out;
}

function explain(validate: ValidateFunction): string {
  return JSON.stringify(validate.errors?.slice(0, 5).map((e) => `${e.instancePath} ${e.message}`));
}

test("checkup.schema.json is what the readers describe now (run `npm run schema` after changing a field)", async () => {
  assert.equal(await readFile(path.join(REPO, "checkup.schema.json"), "utf8"), await checkupSchemaText());
  const pkg = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8")) as { files: string[] };
  assert.ok(pkg.files.includes("checkup.schema.json"), "the package ships it");
});

test("every real config the loader accepts validates against the schema", async () => {
  const validate = await compiled();
  const accepted = await acceptedCompatConfigs();
  assert.ok(accepted.length >= 10, `compat configs found: ${accepted.length}`);
  for (const { name, raw } of accepted) assert.ok(validate(raw), `${name}: ${explain(validate)}`);
});

test("every key a real config uses is described: without unknown keys, they validate against a closed schema", async () => {
  const closed = await compiled(true);
  const clean = (await acceptedCompatConfigs()).filter((c) => !c.unknownKeys);
  assert.ok(clean.length >= 8, `clean compat configs: ${clean.length}`);
  for (const { name, raw } of clean) assert.ok(closed(raw), `${name}: ${explain(closed)}`);
  // The same schema refuses what the loader warns about, so the test above can fail.
  assert.equal(closed({ checkers: [{ type: "tcp", endpoint_url: "db:5432", treshold_rtt: 1 }] }), false);
});

test("good fixtures, the example config and `checkup init`'s starter validate; init points $schema at the shipped file", async () => {
  const validate = await compiled(true);
  const good = await jsonFiles(path.join(REPO, "testdata", "config"));
  const samples = [
    ...good.filter((f) => f.name !== "unknown-key.json").map((f) => ({ name: f.name, raw: JSON.parse(f.text) as unknown })),
    { name: "checkup.json", raw: JSON.parse(await readFile(path.join(REPO, "checkup.json"), "utf8")) as unknown },
    { name: "init", raw: starterConfig(["https://example.com/", "https://example.org/health"]) },
  ];
  for (const { name, raw } of samples) {
    await parseCheckupConfig(raw, name, { env: {} });
    assert.ok(validate(raw), `${name}: ${explain(validate)}`);
  }
  assert.equal((starterConfig([]) as { $schema: string }).$schema, SCHEMA_REFERENCE);
  assert.equal(SCHEMA_REFERENCE, "./node_modules/checkup/checkup.schema.json");
});

test("bad fixtures are refused by the schema, except those whose rule only the loader can check", async () => {
  const validate = await compiled();
  for (const { name, text } of await jsonFiles(BAD)) {
    const why = BEYOND_A_SCHEMA[name];
    if (why?.startsWith("not JSON")) continue;
    const raw: unknown = JSON.parse(text.replace(/^\uFEFF/, ""));
    if (why === undefined) assert.equal(validate(raw), false, `${name} should be refused`);
    else assert.equal(validate(raw), true, `${name} is listed as beyond a schema (${why}) but is refused: take it off the list`);
  }
  const names = new Set((await readdir(BAD)));
  for (const listed of Object.keys(BEYOND_A_SCHEMA)) assert.ok(names.has(listed), `${listed} is no fixture`);
});

test("${NAME} references pass wherever a string may stand; numbers and booleans must be written as such", async () => {
  const validate = await compiled();
  const checker = { type: "tcp", endpoint_url: "${DB_ADDR}", timeout: "${TIMEOUT:-2s}" };
  const config = { checkers: [checker], notifiers: [{ type: "opsgenie", api_key: "${OPSGENIE_KEY}", region: "${REGION}" }], timestamp: "${AT}" };
  assert.ok(validate(config), explain(validate));
  // The loader reads "${PORT}" as a string, which is no whole number: the schema says so before a run does.
  assert.equal(validate({ checkers: [{ ...checker, attempts: "${ATTEMPTS}" }] }), false);
  await assert.rejects(parseCheckupConfig({ checkers: [{ ...checker, attempts: "${ATTEMPTS}" }] }, "c", { env: { DB_ADDR: "db:5432", ATTEMPTS: "3" } }));
});

test("the schema's duration pattern reads exactly the strings parseDuration reads", async () => {
  const validate = new Ajv().compile({ $ref: "#/definitions/durationText", definitions: (await checkupSchema()).definitions as object });
  const samples = ["1h30m", "200ms", "1.5s", ".5s", "250µs", "14d", "2w", "2 days", "10 Seconds", " 5m ", "1y",
    "fast", "100", "", "1h 30m", "5 parsecs", "ms", "1.2.3s", "s10"];
  for (const text of samples) assert.equal(validate(text), parseDuration(text) !== undefined, JSON.stringify(text));
});
