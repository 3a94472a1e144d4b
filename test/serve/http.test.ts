import assert from "node:assert/strict";
import { test } from "node:test";
import { etagOf, jsonText, matches, RawJson } from "../../lib/serve/http.js";

test("jsonText writes bigint ns exactly and splices raw JSON verbatim", () => {
  const text = jsonText({ at: 1_718_000_000_123_456_789n, result: new RawJson(`{"a":"<b>"}`), list: [1n], s: "1n" });
  assert.equal(text, `{"at":1718000000123456789,"result":{"a":"<b>"},"list":[1],"s":"1n"}`);
});

test("jsonText cannot be fooled by stored text that looks like a stand-in", () => {
  const text = jsonText({ message: "\u0000bigint:1", other: "abc:n:5" });
  assert.deepEqual(JSON.parse(text), { message: "\u0000bigint:1", other: "abc:n:5" });
});

test("If-None-Match matching: lists, weak tags, *", () => {
  const tag = etagOf("body");
  assert.ok(matches(tag, tag));
  assert.ok(matches(`"other", W/${tag}`, tag));
  assert.ok(matches("*", tag));
  assert.ok(!matches(`"other"`, tag));
  assert.ok(!matches(undefined, tag));
  assert.notEqual(etagOf("body"), etagOf("body2"));
});
