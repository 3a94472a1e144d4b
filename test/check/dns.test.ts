import assert from "node:assert/strict";
import dgram from "node:dgram";
import { after, test } from "node:test";
import { createChecker } from "../../lib/checking/create.js";
import type { Result } from "../../lib/types.js";
import { startDnsmasq, type DnsServer } from "../helpers/dnsmasq.js";
import { closedPort } from "../helpers/http-server.js";

const server: DnsServer = await startDnsmasq();

async function check(fields: Record<string, unknown>): Promise<Result> {
  const checker = await createChecker({ type: "dns", endpoint_url: server.address, ...fields });
  return checker.check();
}

test("dns: an A query the server answers, then a TCP connect, is healthy", async () => {
  const r = await check({ endpoint_name: "ns", hostname_fqdn: "www.checkup.test." });
  assert.equal(r.healthy, true, r.times[0]?.error);
  assert.equal(r.title, "ns");
  assert.equal(r.endpoint, server.address);
  assert.equal(r.times.length, 1);
  assert.ok(r.times[0]!.rtt > 0);
});

test("dns: hostname_fqdn works with or without its trailing dot (checkup#126)", async () => {
  for (const name of ["www.checkup.test.", "www.checkup.test"]) {
    const r = await check({ hostname_fqdn: name, expected: "10.0.0.1" });
    assert.equal(r.healthy, true, `${name}: ${r.times[0]?.error}`);
  }
});

test("dns: expected answers of each query type that match are healthy", async () => {
  const cases = [
    { query_type: "AAAA", hostname_fqdn: "www.checkup.test.", expected: ["fd00::1"] },
    { query_type: "cname", hostname_fqdn: "alias.checkup.test.", expected: ["www.checkup.test."] },
    { query_type: "MX", hostname_fqdn: "checkup.test.", expected: ["10 mail.checkup.test"] },
    { query_type: "TXT", hostname_fqdn: "txt.checkup.test.", expected: ["v=spf1 -all"] },
  ];
  for (const c of cases) {
    const r = await check(c);
    assert.equal(r.healthy, true, `${c.query_type}: ${r.times[0]?.error}`);
  }
});

test("dns: expected answers that are missing make it down, listing what came back", async () => {
  const a = server.address;
  const cases = [
    {
      fields: { hostname_fqdn: "www.checkup.test.", expected: ["10.0.0.1", "10.9.9.9"] },
      error: `lookup www.checkup.test. (A) on ${a}: missing "10.9.9.9"; got "10.0.0.1"`,
    },
    {
      fields: { query_type: "MX", hostname_fqdn: "checkup.test.", expected: "20 mx2.checkup.test" },
      error: `lookup checkup.test. (MX) on ${a}: missing "20 mx2.checkup.test"; got "10 mail.checkup.test"`,
    },
    {
      fields: { query_type: "TXT", hostname_fqdn: "txt.checkup.test.", expected: "V=SPF1 -all" },
      error: `lookup txt.checkup.test. (TXT) on ${a}: missing "V=SPF1 -all"; got "v=spf1 -all"`,
    },
    {
      fields: { query_type: "AAAA", hostname_fqdn: "v4only.checkup.test.", expected: "fd00::2" },
      error: `lookup v4only.checkup.test. (AAAA) on ${a}: missing "fd00::2"; got no records of that type (NODATA)`,
    },
  ];
  for (const c of cases) {
    const r = await check(c.fields);
    assert.equal(r.down, true);
    assert.equal(r.times[0]!.error, c.error);
    assert.ok(r.times[0]!.rtt > 0, "the query was answered, so it was timed");
  }
});

test("dns: NXDOMAIN counts as success without expected (checkup's rule), and as down with it", async () => {
  const plain = await check({ hostname_fqdn: "nosuch.checkup.test." });
  assert.equal(plain.healthy, true, plain.times[0]?.error);
  const strict = await check({ hostname_fqdn: "nosuch.checkup.test.", expected: "10.0.0.1" });
  assert.equal(strict.down, true);
  assert.equal(strict.times[0]!.error,
    `lookup nosuch.checkup.test. (A) on ${server.address}: missing "10.0.0.1"; got no such host (NXDOMAIN)`);
});

test("dns: a server port with nothing listening is down, with RTT 0 and no TCP step", async () => {
  const port = await closedPort();
  const r = await (await createChecker({
    type: "dns", endpoint_url: `127.0.0.1:${port}`, hostname_fqdn: "www.checkup.test.", timeout: "300ms",
  })).check();
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.rtt, 0);
  assert.match(r.times[0]!.error!,
    new RegExp(`^lookup www\\.checkup\\.test\\. on 127\\.0\\.0\\.1:${port}: (read: connection refused|i/o timeout)$`));
});

test("dns: a server that never replies times out after `timeout`, with RTT 0", async () => {
  const silent = dgram.createSocket("udp4"); // reads queries and answers none
  await new Promise<void>((resolve) => silent.bind(0, "127.0.0.1", resolve));
  after(() => silent.close());
  const address = `127.0.0.1:${silent.address().port}`;
  const r = await (await createChecker({ type: "dns", endpoint_url: address, hostname_fqdn: "www.checkup.test", timeout: "200ms" })).check();
  assert.equal(r.down, true);
  assert.deepEqual(r.times, [{ rtt: 0, error: `lookup www.checkup.test. on ${address}: i/o timeout` }]);
});

test("dns: without hostname_fqdn only the TCP connect is made", async () => {
  assert.equal((await check({})).healthy, true);
  const port = await closedPort();
  const r = await (await createChecker({ type: "dns", endpoint_url: `127.0.0.1:${port}` })).check();
  assert.equal(r.down, true);
  assert.equal(r.times[0]!.error, `dial tcp 127.0.0.1:${port}: connect: connection refused`);
});

test("dns: a median above threshold_rtt is degraded with checkup's notice", async () => {
  const r = await check({ hostname_fqdn: "www.checkup.test.", threshold_rtt: 1 });
  assert.equal(r.degraded, true);
  assert.equal(r.threshold, 1);
  assert.equal(r.notice, "median round trip time exceeded threshold (1ns)");
});

test("dns: one query and connect per attempt", async () => {
  const r = await check({ hostname_fqdn: "www.checkup.test.", attempts: 3 });
  assert.equal(r.healthy, true);
  assert.equal(r.times.length, 3);
  assert.ok(r.times.every((t) => t.rtt > 0 && t.error === undefined));
});

test("dns: config problems name the field and the fix", async () => {
  await assert.rejects(
    createChecker({ type: "dns", endpoint_url: "127.0.0.1:53", query_type: "AXFR", expected: "x" }),
    (e: Error) => {
      assert.match(e.message, /query_type: expected one of A, AAAA, CNAME, MX, TXT, NS, SRV, PTR, SOA, CAA, got "AXFR"/);
      assert.match(e.message, /expected: needs hostname_fqdn/);
      return true;
    });
  await assert.rejects(createChecker({ type: "dns", endpoint_url: "127.0.0.1" }), /endpoint_url: expected host:port like "127.0.0.1:53"/);
});
