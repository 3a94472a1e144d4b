import assert from "node:assert/strict";
import { test } from "node:test";
import { ownedChecks, owns, weight } from "../../lib/fleet/rendezvous.js";

const CHECKS = Array.from({ length: 300 }, (_, i) => ({ title: `check-${i}` }));
const NODES = ["eu-1", "eu-2", "us-1", "us-2", "ap-1"];

/** Who owns each check, by asking every node on its own, as each node does. */
function ownersOf(nodes: string[], replicas: number): Map<string, string[]> {
  const owners = new Map<string, string[]>(CHECKS.map((c) => [c.title, []]));
  for (const node of nodes) for (const c of ownedChecks(CHECKS, node, nodes, replicas)) owners.get(c.title)!.push(node);
  return owners;
}

test("every check is owned by exactly min(replicas, live) nodes", () => {
  for (const live of [1, 2, 3, 5]) {
    const nodes = NODES.slice(0, live);
    for (const replicas of [1, 2, 3, 7]) {
      for (const [title, owners] of ownersOf(nodes, replicas)) {
        assert.equal(owners.length, Math.min(replicas, live), `${title} over ${live} nodes, replicas ${replicas}`);
      }
    }
  }
});

test("the owners are the heaviest nodes for the check, whatever order the nodes are listed in", () => {
  for (const { title } of CHECKS.slice(0, 50)) {
    const heaviest = [...NODES].sort((a, b) => (weight(title, b) > weight(title, a) ? 1 : -1)).slice(0, 2);
    const shuffled = [...NODES].reverse();
    assert.deepEqual(NODES.filter((n) => owns(title, n, shuffled, 2)).sort(), heaviest.sort(), title);
  }
});

test("removing a node moves only its checks; adding it back moves only those back", () => {
  for (const replicas of [1, 2]) {
    const before = ownersOf(NODES, replicas);
    const after = ownersOf(NODES.filter((n) => n !== "us-1"), replicas);
    let moved = 0;
    for (const [title, owners] of before) {
      const kept = owners.filter((n) => n !== "us-1");
      const now = after.get(title)!;
      assert.ok(kept.every((n) => now.includes(n)), `${title}: a surviving owner keeps it`);
      if (owners.includes("us-1")) {
        moved++;
        assert.equal(now.filter((n) => !kept.includes(n)).length, 1, `${title}: exactly one node takes over us-1's copy`);
      } else {
        assert.deepEqual(now, owners, `${title}: not us-1's, so it stays where it was`);
      }
    }
    assert.ok(moved > 0, "us-1 owned some checks");
    assert.deepEqual(ownersOf(NODES, replicas), before, "back as before");
  }
});

test("the checks spread over the nodes (300 checks, 3 nodes: each gets between a fifth and a half)", () => {
  const nodes = NODES.slice(0, 3);
  for (const node of nodes) {
    const share = ownedChecks(CHECKS, node, nodes, 1).length;
    assert.ok(share > 60 && share < 150, `${node}: ${share}`);
  }
});

test("the weight is SHA-256 of the check key and node: stable across processes and versions", () => {
  // First 8 bytes of sha256("web\0eu-1"), computed once with `printf 'web\0eu-1' | sha256sum`.
  assert.equal(weight("web", "eu-1").toString(16).padStart(16, "0"), "03d675196183163e");
});
