import assert from "node:assert/strict";
import { test } from "node:test";
import { isSecretName, redactText, redactUrl, SCRUBBED } from "../lib/redact.js";

test("names: the usual words for secrets, in any case, and nothing else", () => {
  for (const name of ["API_KEY", "github_token", "DB_PASSWORD", "client_secret", "SLACK_WEBHOOK", "AUTHORIZATION", "CREDENTIALS", "MYSQL_DSN", "private_pem"]) {
    assert.ok(isSecretName(name), name);
  }
  for (const name of ["HOME", "PATH", "REGION", "endpoint_url", "title"]) assert.ok(!isSecretName(name), name);
});

test("values: every credential form is replaced, the rest is kept as written", () => {
  const cases: [string, string][] = [
    ["postgres://app:pw@db:5432/app", `postgres://${SCRUBBED}@db:5432/app`],
    ["redis://app:p@ss/w@cache:6379/0", `redis://${SCRUBBED}@cache:6379/0`],
    [`Get "http://admin:S3CRET@127.0.0.1:80/": EOF`, `Get "http://${SCRUBBED}@127.0.0.1:80/": EOF`],
    ["app:pw@tcp(db:3306)/checkup", `${SCRUBBED}@tcp(db:3306)/checkup`],
    ["dsn app:pw@/checkup", `dsn ${SCRUBBED}@/checkup`],
    ["host=db user=app password=pw dbname=x", `host=db user=app password=${SCRUBBED} dbname=x`],
    ["host=db password='a b' dbname=x", `host=db password=${SCRUBBED} dbname=x`],
    ["https://api.example.com/?api_key=k&page=2", `https://api.example.com/?api_key=${SCRUBBED}&page=2`],
  ];
  for (const [text, want] of cases) assert.equal(redactText(text), want, text);
  for (const kept of ["https://unpkg.com/@scope/pkg", "git@github.com:org/repo.git", "mail ops@example.com at 12:30", "dial tcp 127.0.0.1:1: connect: connection refused"]) {
    assert.equal(redactText(kept), kept);
  }
});

test("URLs: the whole userinfo goes, the rest stays exactly as written", () => {
  assert.equal(redactUrl("http://admin:S3CRET@127.0.0.1:8080/health?x=1"), `http://${SCRUBBED}@127.0.0.1:8080/health?x=1`);
  assert.equal(redactUrl("https://ghp_token@github.com/org"), `https://${SCRUBBED}@github.com/org`, "a token as user name");
  assert.equal(redactUrl("http://a:b@c@host/p@q"), `http://${SCRUBBED}@host/p@q`, "the last @ of the authority");
  assert.equal(redactUrl("https://example.com"), "https://example.com", "no normalising");
  assert.equal(redactUrl("admin:S3CRET@example.com/health"), `${SCRUBBED}@example.com/health`, "a URL missing its scheme");
});
