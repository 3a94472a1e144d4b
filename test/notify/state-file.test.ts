import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { defaultStateFile, parseState, stateJson, StateStore } from "../../lib/notify/state-file.js";
import { emptyState, type AlertState } from "../../lib/notify/state.js";
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
  const seen = await store.with(async (state, save) => {
    await save(emptyState());
    return state;
  });
  assert.equal(seen, undefined);
  assert.match(warnings[0]!, /is damaged .*moved to .*alerts\.json\.corrupt/);
  assert.deepEqual((await readdir(dir)).sort(), ["alerts.json", "alerts.json.corrupt"]);
  assert.deepEqual(parseState(await readFile(file, "utf8")), emptyState());
});
