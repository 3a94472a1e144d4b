/**
 * A port that accepts TCP and never starts the TLS handshake: a tls check without a timeout
 * (checkup's default, 0) still ends, at the type's default of 10 s, and `every` stores the round.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { checkerTypes } from "../../lib/check/index.js";
import { startCli } from "../helpers/cli.js";
import { startSilentServer, within } from "../helpers/hostile.js";
import { tmpDir, writeConfig } from "../helpers/tmp.js";

test("every checker type has a per-attempt bound when the config sets none", async () => {
  for (const [name, load] of Object.entries(checkerTypes)) {
    const type = (await load()).default;
    assert.ok(type.defaultTimeout > 0, `${name}: default timeout ${type.defaultTimeout}`);
  }
});

test("every: a tls check that never handshakes (no timeout, or timeout 0) is down after 10 s and stored", async () => {
  const server = await startSilentServer();
  const dir = path.join(await tmpDir(), "checks");
  const config = await writeConfig({
    checkers: [
      { type: "tls", endpoint_name: "Unset", endpoint_url: server.address },
      { type: "tls", endpoint_name: "Zero", endpoint_url: server.address, timeout: 0 },
    ],
    storage: { type: "fs", dir },
  });
  const run = startCli(["-c", config, "every", "1h", "--log-format", "json"], { killAfterMs: 30_000 });
  await within(run.waitForLines(1), 20_000, "the first round's log line");
  const round = JSON.parse(run.lines[0]!) as { down: number; stored: string | null };
  assert.equal(round.down, 2);
  assert.match(String(round.stored), /^\d{19}-check\.json$/);
  const stored = JSON.parse(await readFile(path.join(dir, round.stored!), "utf8")) as
    { title: string; times: { error?: string }[] }[];
  for (const r of stored) assert.equal(r.times[0]!.error, `dial tcp ${server.address}: i/o timeout`, r.title);
  await within(server.drained(), 2_000, "server sees both sockets closed");
  run.child.kill("SIGTERM");
  assert.equal((await within(run.exited, 5_000, "exit after SIGTERM")).code, 0, run.stderr());
  assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith("-check.json")), [round.stored]);
});
