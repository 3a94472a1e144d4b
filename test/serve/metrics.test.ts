import assert from "node:assert/strict";
import { test } from "node:test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { FsStorage } from "../../lib/storage/fs.js";
import type { QuorumRule, StorageReader } from "../../lib/types.js";
import { writeThreeNodeStore } from "../helpers/three-nodes.js";
import { tmpDir } from "../helpers/tmp.js";
import { fakeChecker, serve } from "./fixtures.js";

interface Family { name: string; type: string; metrics: { value: string; labels: Record<string, string> }[] }

const DAY_S = 86_400;

test("/metrics is Prometheus text a real parser reads, with one series per check", async () => {
  const web = fakeChecker("Web");
  const queue = fakeChecker("Queue \"eu\"", "degraded");
  const mail = fakeChecker("Mail", "down");
  const cert = fakeChecker("Cert", "healthy", "tls");
  cert.extra = { certExpiry: Math.floor(Date.now() / 1000) + 30 * DAY_S };
  const { base } = await serve({ checkers: [web, queue, mail, cert], node: "eu-1" });

  const res = await fetch(`${base}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusTextFormat(await res.text()) as Family[];
  const value = (name: string, check: string) => {
    const family = families.find((f) => f.name === name);
    assert.ok(family, `${name} is exported`);
    const series = family.metrics.find((m) => m.labels.check === check);
    return series === undefined ? undefined : Number(series.value);
  };

  assert.equal(value("checkup_check_up", "Web"), 1);
  assert.equal(value("checkup_check_up", "Queue \"eu\""), 1, "quotes in titles are escaped, and degraded counts as up");
  assert.equal(value("checkup_check_up", "Mail"), 0);
  assert.equal(value("checkup_check_degraded", "Queue \"eu\""), 1);
  assert.equal(value("checkup_check_degraded", "Web"), 0);
  assert.equal(value("checkup_check_rtt_seconds", "Web"), 0.002);
  assert.equal(value("checkup_check_attempts", "Mail"), 1);
  assert.equal(value("checkup_check_failed_attempts", "Mail"), 1);
  const expiry = value("checkup_check_cert_expiry_seconds", "Cert")!;
  assert.ok(expiry > 29 * 86_400 && expiry <= 30 * 86_400, `about 30 days left, got ${expiry}`);
  assert.equal(value("checkup_check_cert_expiry_seconds", "Web"), undefined, "only TLS checks have an expiry");

  const up = families.find((f) => f.name === "checkup_check_up")!;
  assert.equal(up.type, "GAUGE");
  assert.deepEqual(up.metrics.find((m) => m.labels.check === "Cert")!.labels, { check: "Cert", endpoint: "fake://cert", type: "tls", node: "eu-1" },
    "the node label keeps one Prometheus's scrapes of several nodes apart");
  const runs = families.find((f) => f.name === "checkup_check_runs_total")!;
  assert.equal(runs.type, "COUNTER");
  assert.deepEqual(runs.metrics.find((m) => m.labels.check === "Mail")!.labels.status, "down");
});

test("scrapes reuse cached results: ten scrapes run each check once", async () => {
  const web = fakeChecker("Web");
  const { base } = await serve({ checkers: [web] });
  const scrapes = await Promise.all(Array.from({ length: 10 }, () => fetch(`${base}/metrics`).then((r) => r.text())));
  assert.equal(web.runs, 1);
  const last = parsePrometheusTextFormat(scrapes[9]!) as Family[];
  const runs = last.find((f) => f.name === "checkup_check_runs_total")!;
  assert.equal(runs.metrics.length, 1);
  assert.equal(Number(runs.metrics[0]!.value), 1);
});

/** A store three nodes wrote, eu-1 seeing API down; `quorum` on every result, as a checker with one writes it. */
async function threeNodeServe(quorum?: QuorumRule) {
  const dir = await tmpDir();
  await writeThreeNodeStore(dir, BigInt(Date.now()) * 1_000_000n, { quorum });
  return serve({ checkers: [fakeChecker("Web")], reader: new FsStorage({ dir, url: "", checkExpiry: 0 }), node: "eu-2" });
}

const stored = (families: Family[], name: string) =>
  (families.find((f) => f.name === name)?.metrics ?? []).map((m) => [m.labels.check, m.labels.node, Number(m.value)]).sort();

test("/metrics: each node's newest stored result under its node label, and the combined status by the rule the results carry", async () => {
  for (const [quorum, combined] of [[undefined, 1], [{ down: 1, of: 3, window: 300_000_000_000 }, 0]] as const) {
    const label = quorum ? "down 1 of 3: eu-1 alone makes it down" : "no rule: a majority says up";
    const { base } = await threeNodeServe(quorum);
    const families = parsePrometheusTextFormat(await (await fetch(`${base}/metrics`)).text()) as Family[];
    assert.deepEqual(stored(families, "checkup_stored_check_up"),
      [["API", "eu-1", 0], ["API", "eu-2", 1], ["API", "us-1", 1], ["Search", "us-1", 1]], label);
    const at = stored(families, "checkup_stored_check_timestamp_seconds");
    assert.equal(at.length, 4, label);
    for (const [, , seconds] of at) assert.ok(Math.abs(Date.now() / 1000 - (seconds as number)) < 120, `${label}: within the newest rounds`);
    assert.deepEqual(stored(families, "checkup_stored_check_combined_up"), [["API", undefined, combined], ["Search", undefined, 1]], label);
    assert.equal(Number(families.find((f) => f.name === "checkup_stored_read_ok")!.metrics[0]!.value), 1);
    // /api/status says the same.
    const status = await (await fetch(`${base}/api/status`)).json() as { checks: { title: string; status: string }[] };
    assert.equal(status.checks.find((c) => c.title === "API")!.status, combined ? "healthy" : "down", label);
    // The live series stay this server's own.
    assert.equal(families.find((f) => f.name === "checkup_check_up")!.metrics[0]!.labels.node, "eu-2");
  }
});

test("/metrics: a storage that cannot be read drops the stored series, says so, and keeps the live ones", async () => {
  const broken: StorageReader = { index: () => Promise.reject(new Error("disk gone")), fetch: () => Promise.reject(new Error("disk gone")) };
  const { base } = await serve({ checkers: [fakeChecker("Web")], reader: broken });
  const res = await fetch(`${base}/metrics`);
  assert.equal(res.status, 200);
  const families = parsePrometheusTextFormat(await res.text()) as Family[];
  assert.equal(Number(families.find((f) => f.name === "checkup_stored_read_ok")!.metrics[0]!.value), 0);
  assert.deepEqual(stored(families, "checkup_stored_check_up"), []);
  assert.equal(Number(families.find((f) => f.name === "checkup_check_up")!.metrics[0]!.value), 1);
});
