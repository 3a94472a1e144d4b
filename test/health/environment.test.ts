import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, describe, test } from "node:test";
import { environmentHandler, scrub, SCRUBBED } from "../../lib/health/index.js";
import { scrubArgv } from "../../lib/health/environment.js";
import { tmpDir } from "../helpers/tmp.js";

type Dump = Record<string, Record<string, unknown>>;

async function serveOnce(handler: http.RequestListener): Promise<{ status: number; type: string | null; body: Dump; text: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/environment`);
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type"), body: JSON.parse(text) as Dump, text };
}

describe("environmentHandler", () => {
  test("os, node, process and package sections over node:http, with secrets scrubbed", async () => {
    process.env.CHECKUP_TEST_API_TOKEN = "tok-123456";
    process.env.CHECKUP_TEST_DB_PASSWORD = "hunter2";
    process.env.CHECKUP_TEST_DATABASE_URL = "postgres://app:pa55word@db.internal:5432/app";
    process.env.CHECKUP_TEST_REGION = "eu-west-1";
    const dir = await tmpDir();
    const packageFile = path.join(dir, "package.json");
    await writeFile(packageFile, JSON.stringify({ name: "my-app", version: "1.2.3", scripts: { deploy: "secret stuff" }, config: { apiKey: "k" } }));
    const { status, type, body, text } = await serveOnce(environmentHandler({ packageFile }));
    assert.equal(status, 200);
    assert.equal(type, "application/json; charset=utf-8");
    assert.deepEqual(Object.keys(body), ["os", "node", "process", "package"]);
    assert.equal(body.os!.platform, process.platform);
    assert.equal(body.node!.version, process.version);
    assert.equal(body.process!.pid, process.pid);
    assert.deepEqual(body.package, { name: "my-app", version: "1.2.3" }, "only the descriptive fields of package.json");
    const env = body.process!.env as Record<string, string>;
    assert.equal(env.CHECKUP_TEST_API_TOKEN, SCRUBBED);
    assert.equal(env.CHECKUP_TEST_DB_PASSWORD, SCRUBBED);
    assert.equal(env.CHECKUP_TEST_DATABASE_URL, `postgres://${SCRUBBED}@db.internal:5432/app`);
    assert.equal(env.CHECKUP_TEST_REGION, "eu-west-1");
    for (const secret of ["tok-123456", "hunter2", "pa55word"]) assert.ok(!text.includes(secret), `${secret} leaked`);
  });

  test("sections can be disabled; the app's own sections are added and scrubbed too", async () => {
    const handler = environmentHandler({
      include: { os: false, process: false, package: false },
      sections: {
        application: () => ({ maintainer: "Ops", git_repo: "https://example.org/app.git", stripe_secret: "sk_live_x", nested: { sessionKey: "abc" } }),
        broken: () => { throw new Error("config service down"); },
        later: async () => ["a", { Token: "t" }],
      },
    });
    const { body, text } = await serveOnce(handler);
    assert.deepEqual(Object.keys(body), ["node", "application", "broken", "later"]);
    assert.deepEqual(body.application, { maintainer: "Ops", git_repo: "https://example.org/app.git", stripe_secret: SCRUBBED, nested: { sessionKey: SCRUBBED } });
    assert.deepEqual(body.broken, { error: "config service down" });
    assert.deepEqual(body.later, ["a", { Token: SCRUBBED }]);
    assert.ok(!text.includes("sk_live_x"));
  });
});

describe("scrubbing", () => {
  test("names containing key, token, pass or secret, in any case and at any depth", () => {
    assert.deepEqual(scrub({ KEY: 1, monkey: 2, passphrase: 3, Secret_Thing: 4, tokens: [5], ok: { password: 6, fine: 7 } }),
      { KEY: SCRUBBED, monkey: SCRUBBED, passphrase: SCRUBBED, Secret_Thing: SCRUBBED, tokens: SCRUBBED, ok: { password: SCRUBBED, fine: 7 } });
  });

  test("every form a credential takes in a variable: DSNs, libpq strings, raw / and @ in URL passwords, secret names", async () => {
    const leaking: Record<string, string> = {
      CHECKUP_TEST_MYSQL: "app:my-Pw-1@tcp(db.internal:3306)/checkup?parseTime=true",
      CHECKUP_TEST_MYSQL_NO_HOST: "app:my-Pw-2@/checkup",
      CHECKUP_TEST_PG: "host=db.internal user=app password=pg-Pw-3 dbname=checkup",
      CHECKUP_TEST_PG_QUOTED: "host=db user=app password='pg Pw-4' dbname=checkup",
      CHECKUP_TEST_URL_SLASH: "postgres://app:url/Pw-5@db.internal:5432/app",
      CHECKUP_TEST_URL_AT: "redis://app:url@Pw-6@cache.internal:6379/0",
      CHECKUP_TEST_QUERY: "https://api.example.com/v1?api_key=query-Pw-7&page=2",
      SLACK_WEBHOOK: "https://hooks.slack.com/services/T0/B0/webhook-Pw-8",
      AUTHORIZATION: "Bearer auth-Pw-9",
      GOOGLE_APPLICATION_CREDENTIALS_JSON: "{\"client\": \"cred-Pw-10\"}",
      CHECKUP_TEST_DSN: "file:cred-Pw-11.db",
      SSH_PRIVATE_PEM: "-----BEGIN cred-Pw-12-----",
    };
    Object.assign(process.env, leaking);
    try {
      const text = JSON.stringify(await environmentHandler({ include: { os: false, node: false, package: false } }).run());
      for (const [name, value] of Object.entries(leaking)) {
        const secret = /Pw-\d+\b/.exec(value)![0];
        assert.ok(!text.includes(secret), `${name}: ${secret} leaked`);
      }
      const env = (JSON.parse(text) as Dump).process!.env as Record<string, string>;
      assert.equal(env.CHECKUP_TEST_MYSQL, `${SCRUBBED}@tcp(db.internal:3306)/checkup?parseTime=true`, "the rest stays readable");
      assert.equal(env.CHECKUP_TEST_PG, `host=db.internal user=app password=${SCRUBBED} dbname=checkup`);
      assert.equal(env.CHECKUP_TEST_URL_AT, `redis://${SCRUBBED}@cache.internal:6379/0`);
    } finally {
      for (const name of Object.keys(leaking)) delete process.env[name];
    }
  });

  test("command-line arguments: --name=value and --name value", () => {
    assert.deepEqual(scrubArgv(["node", "app.js", "--api-key=abc", "--password", "hunter2", "--port", "8080", "--token", "--verbose", "https://u:p@h/"]),
      ["node", "app.js", `--api-key=${SCRUBBED}`, "--password", SCRUBBED, "--port", "8080", "--token", "--verbose", `https://${SCRUBBED}@h/`]);
  });
});
