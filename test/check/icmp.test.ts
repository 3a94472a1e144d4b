import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { createChecker } from "../../lib/checking/create.js";
import { resultJson } from "../../lib/result.js";
import type { Result } from "../../lib/types.js";
import { configProblems } from "../helpers/config-problems.js";
import { HALF_LOSS_TARGET, pingNamespaces, SILENT_TARGET } from "../helpers/netns.js";
import { tmpDir } from "../helpers/tmp.js";

const CREATE = pathToFileURL(new URL("../../lib/checking/create.js", import.meta.url).pathname).href;

async function check(extra: Record<string, unknown>): Promise<Result> {
  return (await createChecker({ type: "icmp", endpoint_name: "gateway", ...extra })).check();
}

test("icmp: 127.0.0.1 answers every ping: healthy, RTT the median reply time", async () => {
  const r = await check({ endpoint_url: "127.0.0.1", count: 3, attempts: 2 });
  assert.equal(r.healthy, true, resultJson(r));
  assert.equal(r.endpoint, "127.0.0.1");
  assert.equal(r.times.length, 2);
  assert.ok(r.times.every((t) => t.rtt > 0 && t.error === undefined));
});

test("icmp: median above threshold_rtt is degraded", async () => {
  const r = await check({ endpoint_url: "127.0.0.1", count: 1, threshold_rtt: 1 });
  assert.equal(r.degraded, true);
  assert.equal(r.notice, "median round trip time exceeded threshold (1ns)");
});

test("icmp: the timeout bounds the whole run and kills ping", async () => {
  const r = await check({ endpoint_url: "127.0.0.1", count: 57, timeout: "300ms" });
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, "timed out after 300ms");
  const left = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).split("\n").filter((l) => l.startsWith("ping -n -c 57 "));
  assert.deepEqual(left, [], "no ping process outlives its attempt");
});

test("icmp: without a ping program the error says what to install", async () => {
  const saved = process.env.PATH;
  process.env.PATH = await tmpDir();
  try {
    const r = await check({ endpoint_url: "127.0.0.1" });
    assert.equal(r.down, true);
    assert.equal(r.times[0]!.error, "icmp needs the ping program (Debian: apt-get install iputils-ping); none is in $PATH");
  } finally {
    process.env.PATH = saved;
  }
});

test("icmp: an unknown host is down with ping's own words", async () => {
  const r = await check({ endpoint_url: "no-such-host.invalid" });
  assert.equal(r.down, true);
  assert.match(r.times[0]!.error ?? "", /^ping: .*no-such-host\.invalid.*(Name or service not known|Temporary failure)/);
});

const namespaces = pingNamespaces();
const skip = "skip" in namespaces ? namespaces.skip : false;

/** One check run by a node process inside the pinger's namespace. */
async function checkInNamespace(checker: Record<string, unknown>): Promise<Result> {
  if ("skip" in namespaces) throw new Error(namespaces.skip);
  const script = `const { createChecker } = await import(${JSON.stringify(CREATE)});
const r = await (await createChecker(JSON.parse(process.argv[1]))).check();
console.log(JSON.stringify(r, (k, v) => (typeof v === "bigint" ? String(v) : v)));`;
  const out = await namespaces.node(["--input-type=module", "-e", script, JSON.stringify({ type: "icmp", ...checker })]);
  return JSON.parse(out) as Result;
}

test("icmp: half the echo requests dropped (in a test namespace) is degraded, above max_loss", { skip }, async () => {
  const r = await checkInNamespace({ endpoint_url: HALF_LOSS_TARGET, count: 4 });
  assert.equal(r.degraded, true, JSON.stringify(r));
  assert.equal(r.notice, "packet loss 50% exceeded max_loss (0%)");
  assert.equal(r.times[0]!.error, undefined);
  const tolerated = await checkInNamespace({ endpoint_url: HALF_LOSS_TARGET, count: 4, max_loss: 50 });
  assert.equal(tolerated.healthy, true, JSON.stringify(tolerated));
});

test("icmp: an address nobody answers (in a test namespace) is down: every packet lost", { skip }, async () => {
  const r = await checkInNamespace({ endpoint_url: SILENT_TARGET, count: 2 });
  assert.equal(r.down, true, JSON.stringify(r));
  assert.equal(r.times[0]!.error, "100% packet loss (2 sent, none answered)");
});

test("icmp: bad fields are config errors at their path", async () => {
  assert.deepEqual(await configProblems({ type: "icmp", endpoint_url: "-f", count: 0, max_loss: 101 }), [
    { path: "checkers[0].endpoint_url", message: `expected a host name or IP address like "example.com" (no scheme, port or path), got "-f"` },
    { path: "checkers[0].count", message: "expected a whole number from 1 to 100, got 0" },
    { path: "checkers[0].max_loss", message: "expected a whole number from 0 to 100, got 101" },
  ]);
  assert.deepEqual(await configProblems({ type: "icmp", endpoint_url: "https://example.com/" }), [{
    path: "checkers[0].endpoint_url",
    message: `expected a host name or IP address like "example.com" (no scheme, port or path), got "https://example.com/"`,
  }]);
});
