import assert from "node:assert/strict";
import { test } from "node:test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
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
