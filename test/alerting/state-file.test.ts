import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { defaultStateFile, parseState, sharedStateJson, stateJson, StateStore } from "../../lib/alerting/state-file.js";
import { emptyState, type AlertState } from "../../lib/alerting/state.js";
import { downEvent } from "../helpers/notify.js";
import { tmpDir } from "../helpers/tmp.js";

const sample = (): AlertState => ({
  checks: { k: { title: "API", endpoint: "e", status: "down", streak: 3, since: 1718020800123456789n, reason: "boom" } },
  notifiers: { "slack:abc": { open: { k: { since: 1718020800123456789n, sentAt: 1718020900000000001n, status: "down" } }, pending: [downEvent] } },
  incidents: [{ title: "API", endpoint: "e", status: "down", previous: "healthy", at: 1718020800123456789n }],
  digestAt: 1718000000000000007n,
});

test("state file: nanosecond times survive the round trip digit for digit", () => {
  const text = stateJson(sample());
  assert.match(text, /"since": "1718020800123456789"/);
  assert.deepEqual(parseState(text), sample());
});

test("shared document: the same state as the file, compact (every node rewrites it whole each round); either form reads back", () => {
  const text = sharedStateJson(sample());
  assert.equal(text, JSON.stringify(JSON.parse(stateJson(sample()))), "the file's content without its indentation");
  assert.deepEqual(parseState(text), sample());
});

test("state file: lives under XDG_STATE_HOME, one per config", () => {
  const a = defaultStateFile("/etc/checkup.json", { XDG_STATE_HOME: "/var/state" });
  assert.match(a, /^\/var\/state\/checkup\/alerts\/[0-9a-f]{16}\.json$/);
  assert.notEqual(a, defaultStateFile("/etc/other.json", { XDG_STATE_HOME: "/var/state" }));
});

test("state file: a damaged file is set aside with a warning, not trusted and not fatal", async () => {
  const dir = await tmpDir();
  const file = path.join(dir, "alerts.json");
  await writeFile(file, "{not json");
  const warnings: string[] = [];
  const store = new StateStore(file, (m) => warnings.push(m));
  const seen = await store.update(async (state) => ({ state: emptyState(), value: state }));
  assert.equal(seen, undefined);
  assert.match(warnings[0]!, /is damaged .*moved to .*alerts\.json\.corrupt/);
  assert.deepEqual((await readdir(dir)).sort(), ["alerts.json", "alerts.json.corrupt"]);
  assert.deepEqual(parseState(await readFile(file, "utf8")), emptyState());
});

test("state file: version 1 (keyed by title and endpoint) is read under title keys, its open alerts kept", () => {
  const v1 = JSON.stringify({
    version: 1,
    checks: { "API\nhttps://api/health": { title: "API", endpoint: "https://api/health", status: "down", streak: 2, since: "1718020800123456789" },
      "\ndb:5432": { title: "", endpoint: "db:5432", status: "healthy", streak: 9, since: "1718020800000000000" } },
    notifiers: { "slack:abc": { open: { "API\nhttps://api/health": { since: "1718020800123456789", sentAt: "1718020800123456789", status: "down" } }, pending: [] } },
    incidents: [],
  });
  const state = parseState(v1);
  assert.deepEqual(Object.keys(state.checks), ["API", "db:5432"]);
  assert.deepEqual(state.notifiers["slack:abc"]!.open, {
    API: { since: 1718020800123456789n, sentAt: 1718020800123456789n, status: "down", key: "API\nhttps://api/health" },
  });
  assert.match(stateJson(state), /"version": 2/);
  assert.deepEqual(parseState(stateJson(state)), state, "version 2 reads back as written");
});
