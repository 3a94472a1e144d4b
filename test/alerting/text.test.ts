import assert from "node:assert/strict";
import { test } from "node:test";
import { headline, htmlText, plainText, subjectOf, summaryOf, truncate } from "../../lib/alerting/text.js";
import { degradedEvent, digestNotice, downEvent, events, recoveredEvent } from "../helpers/notify.js";

test("text: headlines say what happened, with the reason or the outage length", () => {
  assert.equal(headline(downEvent), "API is down: response status 502 Bad Gateway");
  assert.equal(headline(degradedEvent), "DB is degraded: median round trip time exceeded threshold (200ms)");
  assert.equal(headline({ ...downEvent, kind: "reminder", duration: 3_600e9 }), "API is still down (for 1h): response status 502 Bad Gateway");
  assert.equal(headline(recoveredEvent), "API is back up (was down for 12m 30s)");
  assert.equal(headline({ ...downEvent, title: "", reason: undefined }), "https://api.example.org/health is down");
});

test("text: subjects summarise a run; a configured subject prefixes them", () => {
  assert.equal(subjectOf(events(downEvent)), "Checkup: API is down");
  assert.equal(subjectOf(events(downEvent, degradedEvent, recoveredEvent), "Status Alert"), "Status Alert: 2 failing, 1 recovered");
  assert.equal(summaryOf(digestNotice), "digest: 1 degraded, 1 healthy");
});

test("text: the plain body names check, endpoint, status, notice and time", () => {
  assert.equal(plainText(events(degradedEvent)), "DB is degraded: median round trip time exceeded threshold (200ms)\nCheck: DB\n" +
    "Endpoint: db.example.org:5432\nStatus: degraded\nNotice: median round trip time exceeded threshold (200ms)\nTime: 2024-06-10 12:00:00 UTC");
  assert.equal(plainText(digestNotice), [
    "Status at 2024-06-10 13:00:00 UTC: 1 degraded, 1 healthy",
    "- DB (db.example.org:5432): degraded since 2024-06-10 12:00:00 UTC: median round trip time exceeded threshold (200ms)",
    "Incidents since 2024-06-10 11:00:00 UTC: 2",
    "- 2024-06-10 12:00:00 UTC API: healthy → down",
    "- 2024-06-10 12:13:00 UTC API: down → healthy",
  ].join("\n"));
});

test("text: HTML escapes stored text (check names may hold markup)", () => {
  const html = htmlText(events({ ...downEvent, title: "<script>x</script>" }));
  assert.match(html, /&#60;script&#62;x&#60;\/script&#62; is down/);
  assert.doesNotMatch(html, /<script>/);
});

test("text: truncate keeps short text, marks a cut with …, and never splits a surrogate pair", () => {
  assert.equal(truncate("abc", 3), "abc");
  assert.equal(truncate("abcdef", 4), "abc…");
  assert.equal(truncate("ab😀cd", 4), "ab…", "the emoji's two halves stay together or go together");
  assert.equal(truncate("abc😀d", 5), "abc…");
});
