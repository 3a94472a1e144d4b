/**
 * `feed.xml`: the feed entries as an Atom 1.0 document (RFC 4287), for feed readers and chat
 * integrations that subscribe to a status page. All stored text goes in as escaped plain text.
 */
import { escapeMarkup } from "../markup.js";
import { stableUuid, type FeedEntry } from "./status.js";

/** Characters XML 1.0 cannot hold at all, even escaped (C0 controls but tab, CR, LF; lone surrogates; U+FFFE/F). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const text = (value: string): string => escapeMarkup(value.replace(NOT_XML, "\uFFFD"));
const iso = (ms: number): string => new Date(ms).toISOString();

export interface FeedOptions {
  /** The checks the feed is about (their keys): they name it, so its id stays put as entries come and go. */
  checks: readonly string[];
  /** When nothing happened yet: the newest run (ms). */
  asOf: number;
  title?: string;
}

export function atomFeed(entries: readonly FeedEntry[], options: FeedOptions): string {
  const id = stableUuid(`checkup\nfeed\n${[...options.checks].sort().join("\n")}`);
  const updated = entries.reduce((max, e) => Math.max(max, e.at), entries.length ? -Infinity : options.asOf);
  const lines = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom">`,
    `  <id>${id}</id>`,
    `  <title>${text(options.title ?? "Status")}</title>`,
    `  <updated>${iso(updated)}</updated>`,
    `  <author><name>checkup</name></author>`,
    `  <generator>checkup</generator>`,
    `  <link rel="self" href="feed.xml"/>`,
    ...entries.map((e) => [
      `  <entry>`,
      `    <id>${e.id}</id>`,
      `    <title type="text">${text(e.title)}</title>`,
      `    <updated>${iso(e.at)}</updated>`,
      `    <content type="text">${text(e.text)}</content>`,
      `  </entry>`,
    ].join("\n")),
    `</feed>`,
  ];
  return `${lines.join("\n")}\n`;
}
