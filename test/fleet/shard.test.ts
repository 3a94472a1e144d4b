/** Static shards: the parser's bounds, and a hash that splits a fleet's checks without overlap. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { inShard, parseShard, shardOf } from "../../lib/fleet/shard.js";
import { userAgent, validNodeName } from "../../lib/fleet/node.js";
import { PACKAGE } from "../../lib/package-info.js";

test("i/N is read with i counted from 1; out-of-range and malformed values say what is wrong", () => {
  assert.deepEqual(parseShard("2/3"), { index: 2, count: 3 });
  assert.deepEqual(parseShard(" 1 / 1 "), { index: 1, count: 1 });
  assert.equal(parseShard("4/3"), `i must be from 1 to 3 (shards are counted from 1), got "4/3"`);
  assert.equal(parseShard("0/3"), `i must be from 1 to 3 (shards are counted from 1), got "0/3"`);
  assert.equal(parseShard("1/0"), `N must be from 1 to 1000, got "1/0"`);
  assert.match(parseShard("2") as string, /^expected i\/N like "1\/3"/);
  assert.match(parseShard("-1/3") as string, /^expected i\/N/);
});

test("every check falls in exactly one shard, and the same one on every call", () => {
  const checks = Array.from({ length: 300 }, (_, i) => ({ title: `check ${i}` }));
  const shards = [1, 2, 3].map((index) => inShard(checks, { index, count: 3 }));
  assert.equal(shards.flat().length, checks.length);
  assert.equal(new Set(shards.flat()).size, checks.length);
  for (const shard of shards) assert.ok(shard.length > 60, `a shard holds ${shard.length} of 300: the hash spreads them`);
  assert.deepEqual(inShard(checks, undefined), checks);
  // A fixed vector (sha256sum of the title, first 4 bytes mod N, plus 1): the hash must never change
  // between versions, or checks would move between nodes on upgrade.
  assert.deepEqual(["API", "Web", "Database", "check 0"].map((title) => shardOf({ title }, 7)), [7, 5, 5, 2]);
});

test("node names: letters, digits, dot, dash, underscore; the User-Agent names the node", () => {
  for (const ok of ["eu-1", "host.example.com", "node_2", "A"]) assert.equal(validNodeName(ok), ok);
  for (const bad of ["", "eu 1", "-eu", "(eu)", "eu/1", "é", "x".repeat(254)]) assert.equal(validNodeName(bad), undefined, bad);
  assert.equal(userAgent("eu-1"), `checkup/${PACKAGE.version} (node eu-1)`);
  assert.equal(userAgent(undefined), `checkup/${PACKAGE.version}`);
});
