import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createChecker } from "../../lib/checking/create.js";
import { parseChecker } from "../../lib/check/index.js";
import { Report, Scope } from "../../lib/config/fields.js";
import type { Result } from "../../lib/types.js";
import { tmpDir } from "../helpers/tmp.js";

const NODE = process.execPath;

async function run(fields: Record<string, unknown>, signal?: AbortSignal): Promise<Result> {
  return (await createChecker({ type: "exec", ...fields })).check(signal);
}

/** `node -e <script>`: a real process whose behaviour the test spells out. */
function node(script: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { command: NODE, arguments: ["-e", script], ...extra };
}

test("exec: exit 0 is healthy; name is the title and command the endpoint", async () => {
  const r = await run(node("", { name: "backup" }));
  assert.equal(r.healthy, true, r.times[0]?.error);
  assert.equal(r.title, "backup");
  assert.equal(r.endpoint, NODE);
  assert.ok(r.times[0]!.rtt > 0);
});

test("exec: a non-zero exit is down with Go's error text and `empty` for no output", async () => {
  const r = await run(node("process.exit(1)"));
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, "Error: exit status 1\nOutput: empty\n");
});

test("exec: the output of a failed run is part of the error", async () => {
  const r = await run({ command: "sh", arguments: ["-c", "echo disk full; exit 3"] });
  assert.equal(r.times[0]!.error, "Error: exit status 3\nOutput: disk full\n\n");
  const blank = await run({ command: "sh", arguments: ["-c", "echo '  '; exit 2"] });
  assert.equal(blank.times[0]!.error, "Error: exit status 2\nOutput: empty\n");
});

test("exec: must_contain and must_not_contain read stdout and stderr together", async () => {
  const script = "process.stdout.write('status: ok\\n'); process.stderr.write('WARN low space\\n')";
  assert.equal((await run(node(script, { must_contain: "status: ok" }))).healthy, true);
  assert.equal((await run(node(script, { must_contain: "low space" }))).healthy, true);
  const missing = await run(node(script, { must_contain: "all good" }));
  assert.equal(missing.down, true);
  assert.equal(missing.times[0]!.error, "response does not contain 'all good'");
  const present = await run(node(script, { must_not_contain: "WARN" }));
  assert.equal(present.down, true);
  assert.equal(present.times[0]!.error, "response contains 'WARN'");
});

test("exec: raise warn makes failures degraded, with the first failing attempt's error as notice", async () => {
  for (const raise of ["warn", "warning"]) {
    const r = await run(node("process.exit(2)", { raise, attempts: 2 }));
    assert.equal(r.degraded, true, raise);
    assert.equal(r.down, undefined);
    assert.equal(r.notice, "Error: exit status 2\nOutput: empty\n");
  }
  const loud = await run(node("process.exit(2)", { raise: "error" }));
  assert.equal(loud.down, true);
});

test("exec: a command that cannot start is down with Go's text", async () => {
  const r = await run({ command: "checkup-no-such-command" });
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error,
    "Error: exec: \"checkup-no-such-command\": executable file not found in $PATH\nOutput: empty\n");
  const dir = await tmpDir();
  const byPath = await run({ command: path.join(dir, "nope") });
  assert.equal(byPath.times[0]!.error, `Error: fork/exec ${path.join(dir, "nope")}: no such file or directory\nOutput: empty\n`);
});

test("exec: on timeout the whole process group is killed, grandchildren included", async () => {
  const dir = await tmpDir();
  const marker = path.join(dir, "grandchild-survived");
  // The grandchild is detached from our pipes, so only a group kill can stop it.
  const script = `(sleep 1; touch '${marker}') >/dev/null 2>&1 & echo started; sleep 30`;
  const r = await run({ command: "sh", arguments: ["-c", script], timeout: "300ms" });
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, "Error: signal: killed\nOutput: started\n\n");
  await sleep(1500);
  assert.equal(existsSync(marker), false, "the grandchild outlived the timeout");
});

test("exec: on timeout a process that left the group and holds the pipes does not keep the check waiting", async () => {
  // setsid puts `sleep` in a new session, out of reach of the group kill; it still holds stdout.
  const script = "setsid sh -c 'echo $$; exec sleep 600' & sleep 30";
  const r = await run({ command: "sh", arguments: ["-c", script], timeout: "300ms" });
  const escaped = Number(/Output: (\d+)/.exec(r.times[0]!.error ?? "")?.[1]);
  if (escaped > 0) process.kill(escaped, "SIGKILL");
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, `Error: signal: killed\nOutput: ${escaped}\n\n`);
});

test("exec: arguments are passed verbatim, with no shell in between", async () => {
  const args = ["$HOME", "a; echo injected", "*", "two words", ""];
  const echo = "process.stdout.write(JSON.stringify(process.argv.slice(1))); process.exit(1)";
  const r = await run({ command: NODE, arguments: ["-e", echo, ...args] });
  assert.equal(r.times[0]!.error, `Error: exit status 1\nOutput: ${JSON.stringify(args)}\n`);
});

test("exec: one run per attempt; attempt_spacing follows successful runs only", async () => {
  const dir = await tmpDir();
  const log = path.join(dir, "runs");
  const record = (code: number) => ({ command: "sh", arguments: ["-c", `echo run >> '${log}'; exit ${code}`] });
  const three = await run({ ...record(0), attempts: 3 });
  assert.equal(three.times.length, 3);
  assert.equal((await readFile(log, "utf8")).split("\n").length - 1, 3);

  // Failed runs are not followed by the (hour-long) spacing: all attempts happen at once.
  const failing = await run({ ...record(1), attempts: 2, attempt_spacing: "1h" });
  assert.equal(failing.times.length, 2);
  assert.ok(failing.times.every((t) => t.error !== undefined));

  // A successful run is: the round is abandoned during the spacing, before a second run.
  const before = (await readFile(log, "utf8")).length;
  const stop = new AbortController();
  const pending = run({ ...record(0), attempts: 2, attempt_spacing: "1h" }, stop.signal);
  await sleep(500);
  stop.abort();
  await assert.rejects(pending, { name: "AbortError" });
  assert.equal((await readFile(log, "utf8")).slice(before), "run\n");
});

test("exec: config problems name the field and the fix", async () => {
  await assert.rejects(createChecker({ type: "exec", name: "x" }), /command: missing: set it to the program to run/);
  await assert.rejects(createChecker({ type: "exec", command: "true", arguments: [1] }), /arguments: expected a list of strings/);
  const report = new Report();
  await parseChecker({ type: "exec", command: "true", raise: "WARN" }, new Scope(report, "checkers[0]"));
  assert.deepEqual(report.warnings, [{
    path: "checkers[0].raise",
    message: "\"WARN\" is neither \"warn\" nor \"warning\", so failures make the result down",
  }]);
});
