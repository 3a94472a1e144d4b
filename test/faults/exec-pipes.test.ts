/**
 * A command that exits at once but leaves a process (in a session of its own, beyond the group
 * kill) holding its output pipe: the attempt still ends at its timeout, as Go's WaitDelay does.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createChecker } from "../../lib/checking/create.js";
import { within } from "../helpers/hostile.js";

test("exec: a command that exits but leaves its output pipe held ends at the timeout", async () => {
  const script = "setsid sh -c 'echo $$; exec sleep 600' &";
  const checker = await createChecker({ type: "exec", command: "sh", arguments: ["-c", script], timeout: "300ms" });
  const r = await within(checker.check(), 5_000, "check");
  const escaped = Number(/Output: (\d+)/.exec(r.times[0]!.error ?? "")?.[1]);
  if (escaped > 0) process.kill(escaped, "SIGKILL");
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, `Error: exec: WaitDelay expired before I/O complete\nOutput: ${escaped}\n\n`);
});
