/** `-c https://…` and `-c s3://bucket/key`: one config for a fleet, re-read by `every` when its ETag changes. */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { parseResults } from "../../lib/result.js";
import { runCli, startCli } from "../helpers/cli.js";
import { startHttpServer } from "../helpers/http-server.js";
import { S3_KEY, S3_SECRET, startS3 } from "../helpers/s3.js";
import { tmpDir } from "../helpers/tmp.js";

const checks = (url: string, n: number) => Array.from({ length: n }, (_, i) => ({ type: "http", endpoint_name: `c${i}`, endpoint_url: `${url}/${i}` }));

/** A config server that answers by ETag, as S3 and most web servers do: 304 while `served.etag` is unchanged. */
const etagServer = (served: { etag: string; body: string }) => startHttpServer((req, res) => {
  if (req.headers["if-none-match"] === served.etag) {
    res.statusCode = 304;
    return res.end();
  }
  res.setHeader("etag", served.etag);
  res.end(served.body);
});

test("every re-reads an http config by ETag: a change applies next round; invalid or unreachable keeps the last good one", async () => {
  const target = await startHttpServer((_req, res) => res.end("ok"));
  const dir = path.join(await tmpDir(), "checks");
  const served = { etag: `"v1"`, body: JSON.stringify({ checkers: checks(target.url, 1), storage: { type: "fs", dir } }) };
  const configServer = await etagServer(served);
  const run = startCli(["-c", `${configServer.url}/checkup.json`, "every", "1s", "--log-format", "json"], { killAfterMs: 60_000 });
  const healthy = (line: number) => (JSON.parse(run.lines[line]!) as { healthy: number }).healthy;

  await run.waitForLines(2, 20_000);
  assert.deepEqual([healthy(0), healthy(1)], [1, 1]);
  assert.equal(configServer.requests[1]!.headers["if-none-match"], `"v1"`, "the second round asks whether it changed");

  served.etag = `"v2"`;
  served.body = JSON.stringify({ checkers: checks(target.url, 2), storage: { type: "fs", dir } });
  await run.waitForLines(3, 20_000);
  assert.equal(healthy(2), 2, "the new check runs in the round after the change");
  assert.match(run.stderr(), /checkup\.json changed: 2 checks from the next round\n/);

  served.etag = `"v3"`;
  served.body = `{"checkers": [`;
  await run.waitForLines(4, 20_000);
  assert.equal(healthy(3), 2, "an invalid config leaves the last good one running");
  assert.match(run.stderr(), /keeping the last good config: http:\/\/127\.0\.0\.1:\d+\/checkup\.json: invalid JSON at line 1, column 15/);

  await configServer.close();
  const before = run.stderr().length;
  await run.waitForLines(5, 20_000);
  assert.equal(healthy(4), 2, "an unreachable config server leaves the last good one running");
  assert.match(run.stderr().slice(before), /keeping the last good config: .*cannot read config: cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/);

  run.child.kill("SIGTERM");
  assert.equal((await run.exited).code, 0, run.stderr());
});

test("an https-or-loopback rule, ${ENV} expanded after download, userinfo sent but never shown, no redirects", async () => {
  const target = await startHttpServer((_req, res) => res.end("ok"));
  const configServer = await startHttpServer((req, res) => {
    if (req.url === "/moved") {
      res.writeHead(302, { location: "/c.json" });
      return res.end();
    }
    if (req.headers.authorization !== `Basic ${Buffer.from("fleet:s3cret").toString("base64")}`) {
      res.statusCode = 401;
      return res.end();
    }
    res.end(JSON.stringify({ checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: "${TARGET_URL}" }] }));
  });
  const ok = await runCli(["-c", `http://fleet:s3cret@127.0.0.1:${configServer.port}/c.json?sig=abc`, "--json"], { env: { TARGET_URL: target.url } });
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(parseResults(ok.stdout).map((r) => r.endpoint), [target.url]);

  const denied = await runCli(["-c", `http://fleet:wrong@127.0.0.1:${configServer.port}/c.json?sig=abc`]);
  assert.equal(denied.code, 2);
  assert.equal(denied.stderr, `http://127.0.0.1:${configServer.port}/c.json: cannot read config: HTTP 401 Unauthorized\n`);

  const moved = await runCli(["-c", `${configServer.url}/moved`]);
  assert.equal(moved.code, 2);
  assert.equal(moved.stderr, `${configServer.url}/moved: cannot read config: HTTP 302 Found (redirects are not followed: give the final URL)\n`);

  const plain = await runCli(["-c", "http://user:pw@config.example/checkup.json"]);
  assert.equal(plain.code, 2);
  assert.equal(plain.stderr, "http://[scrubbed]@config.example/checkup.json: plain http:// is allowed only on loopback (127.0.0.1, ::1, localhost): " +
    "use https:// so the config cannot be changed on its way\n");
});

test("s3://bucket/key with AWS_* credentials and an endpoint from CHECKUP_S3_ENDPOINT or AWS_ENDPOINT_URL_S3", async () => {
  const target = await startHttpServer((_req, res) => res.end("ok"));
  const s3 = await startS3(["fleet"]);
  await s3.client.send(new PutObjectCommand({ Bucket: "fleet", Key: "conf/checkup.json", Body: JSON.stringify({ checkers: [{ type: "http", endpoint_name: "Web", endpoint_url: target.url }] }) }));
  const credentials = { AWS_ACCESS_KEY_ID: S3_KEY, AWS_SECRET_ACCESS_KEY: S3_SECRET, AWS_REGION: "us-east-1" };
  for (const endpoint of [{ CHECKUP_S3_ENDPOINT: s3.endpoint }, { AWS_ENDPOINT_URL_S3: s3.endpoint }]) {
    const run = await runCli(["-c", "s3://fleet/conf/checkup.json", "--json"], { env: { ...credentials, ...endpoint } });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(parseResults(run.stdout).map((r) => r.title), ["Web"]);
  }
  const missing = await runCli(["-c", "s3://fleet/nope.json"], { env: { ...credentials, CHECKUP_S3_ENDPOINT: s3.endpoint } });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^s3:\/\/fleet\/nope\.json: cannot read config: NoSuchKey: /);
  assert.equal(target.requests.length, 2);
});

test("every holds a changed remote config to its interval: a quorum window shorter than it keeps the last good config", async () => {
  const target = await startHttpServer((_req, res) => res.end("ok"));
  const dir = path.join(await tmpDir(), "checks");
  const config = (window: string) => JSON.stringify({ quorum: { down: 1, of: 1, window }, checkers: checks(target.url, 1), storage: { type: "fs", dir } });
  const served = { etag: `"v1"`, body: config("6s") };
  const configServer = await etagServer(served);
  const run = startCli(["-c", `${configServer.url}/checkup.json`, "every", "2s", "--log-format", "json"], { killAfterMs: 60_000, env: { XDG_STATE_HOME: await tmpDir() } });
  await run.waitForLines(1, 20_000);
  served.etag = `"v2"`;
  served.body = config("1s");
  await run.waitForLines(2, 20_000);
  assert.match(run.stderr(), /keeping the last good config: .*quorum\.window: 1s is shorter than the interval of checkup every \(2s\)/);
  assert.doesNotMatch(run.stderr(), /changed: 1 checks/, "the short window never ran");
  run.child.kill("SIGTERM");
  assert.equal((await run.exited).code, 0, run.stderr());
});
