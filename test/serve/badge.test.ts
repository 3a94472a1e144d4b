import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { BADGE_COLOURS, badgeSvg, textWidth, uptimeColour } from "../../lib/serve/badge.js";
import { fakeChecker, serve } from "./fixtures.js";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" });

/** The badge's parts as an image viewer sees them; fails on anything that is not well-formed SVG. */
function readBadge(svg: string): { width: number; title: string; fills: string[]; texts: string[] } {
  assert.equal(XMLValidator.validate(svg), true, svg);
  const doc = parser.parse(svg) as { svg: Record<string, unknown> & { g: Record<string, unknown>[] } };
  assert.equal(doc.svg.xmlns, "http://www.w3.org/2000/svg");
  const [shapes, labels] = doc.svg.g as [{ rect: { fill: string }[] }, { text: ({ "#text": string } | string)[] }];
  return {
    width: Number(doc.svg.width),
    title: String(doc.svg.title),
    fills: shapes.rect.map((r) => r.fill),
    texts: labels.text.map((t) => (typeof t === "string" ? t : String(t["#text"]))),
  };
}

describe("badge SVG", () => {
  test("well-formed, label left and message right, width grows with the text", () => {
    const short = readBadge(badgeSvg("API", "healthy", BADGE_COLOURS.healthy));
    const long = readBadge(badgeSvg("Payments API (eu-west)", "healthy", BADGE_COLOURS.healthy));
    assert.equal(short.title, "API: healthy");
    assert.deepEqual(short.fills.slice(0, 2), ["#555", "#4c1"]);
    assert.deepEqual(short.texts, ["API", "API", "healthy", "healthy"]);
    assert.ok(long.width > short.width);
    assert.ok(textWidth("WWW") > textWidth("iii"));
  });

  test("text from titles is escaped, never markup", () => {
    const svg = badgeSvg(`<script>alert("x")</script> & co`, "down", BADGE_COLOURS.down);
    assert.doesNotMatch(svg, /<script/);
    assert.equal(readBadge(svg).texts[0], `&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; co`);
  });

  test("uptime colour", () => {
    assert.equal(uptimeColour(99.95), "#4c1");
    assert.equal(uptimeColour(80), "#e05d44");
  });
});

describe("/badge/{title}.svg", () => {
  test("the live status in colour, as image/svg+xml any site may embed", async () => {
    const { base } = await serve({ checkers: [fakeChecker("Web"), fakeChecker("Queue", "degraded"), fakeChecker("Mail", "down")] });
    for (const [name, status] of [["Web", "healthy"], ["Queue", "degraded"], ["Mail", "down"]] as const) {
      const res = await fetch(`${base}/badge/${name}.svg`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "image/svg+xml; charset=utf-8");
      assert.equal(res.headers.get("cross-origin-resource-policy"), "cross-origin");
      assert.match(res.headers.get("cache-control") ?? "", /max-age=60/);
      const badge = readBadge(await res.text());
      assert.equal(badge.title, `${name}: ${status}`);
      assert.equal(badge.fills[1], BADGE_COLOURS[status]);
    }
  });

  test("?label= replaces the title; an unknown check is a grey 404 badge", async () => {
    const { base } = await serve({ checkers: [fakeChecker("Web Site")] });
    const labelled = readBadge(await (await fetch(`${base}/badge/Web%20Site.svg?label=status`)).text());
    assert.equal(labelled.title, "status: healthy");
    const missing = await fetch(`${base}/badge/Nope.svg`);
    assert.equal(missing.status, 404);
    const badge = readBadge(await missing.text());
    assert.equal(badge.title, "Nope: no such check");
    assert.equal(badge.fills[1], BADGE_COLOURS.unknown);
  });
});
