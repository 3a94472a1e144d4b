/**
 * Writes `summaries/status.json` and `summaries/feed.xml` beside the other summaries, from the
 * last 90 days' week files (or hours days, for weeks written before week files), so a status page
 * on static hosting offers them without a server. `checkup serve` builds the same two from its
 * history (statusOfHistory).
 */
import { atomFeed } from "./feed.js";
import {
  dayStart, daysOfWeek, hoursFile, parseHoursDay, parseWeek, SUMMARY_DIR, weekFile, weekOf,
  type HoursDay, type SummaryIndex, type WeekRollup,
} from "./format.js";
import { asOfTimelines, feedEntries, FEED_FILE, statusDocument, STATUS_FILE, STATUS_WINDOW_MS, type StatusDocument } from "./status.js";
import { timelinesOf, type Timeline } from "./timeline.js";
import type { SummaryBlobs } from "../types.js";

const HOUR_MS = 3_600_000;

export interface Published {
  status: StatusDocument;
  /** status.json's text. */
  statusJson: string;
  feedXml: string;
}

/** Both documents from timelines that cover at least the 90 days before their newest run; `emptyAsOf` dates a feed of nothing. */
export function publishedOf(timelines: readonly Timeline[], emptyAsOf: number): Published {
  const status = statusDocument(timelines);
  return {
    status,
    statusJson: `${JSON.stringify(status)}\n`,
    feedXml: atomFeed(feedEntries(timelines), { checks: timelines.map((t) => t.key), asOf: asOfTimelines(timelines) ?? emptyAsOf }),
  };
}

/** The newest store time the index knows, ms. */
function newestMs(index: SummaryIndex): number | undefined {
  const last = Object.values(index.days).reduce((max, d) => (BigInt(d.last) > max ? BigInt(d.last) : max), 0n);
  return last === 0n ? undefined : Number(last / 1_000_000n);
}

/** The weeks (or, where a week has no file, the hours days) covering 90 days before the newest round. */
export async function recentSpans(blobs: SummaryBlobs, index: SummaryIndex): Promise<(HoursDay | WeekRollup)[]> {
  const newest = newestMs(index);
  if (newest === undefined) return [];
  // An hour of slack: a result's own time may be a little before its round's store time.
  const from = new Date(newest - STATUS_WINDOW_MS - HOUR_MS).toISOString().slice(0, 10);
  const mondays = [...new Set(Object.keys(index.days).filter((d) => d >= weekOf(from)).map(weekOf))];
  const spans = await Promise.all(mondays.map(async (monday): Promise<(HoursDay | WeekRollup)[]> => {
    if (index.weeks?.[monday]) return [parseWeek((await blobs.get(weekFile(monday))) ?? "", `${SUMMARY_DIR}/${weekFile(monday)}`)];
    const days = daysOfWeek(monday).filter((d) => index.days[d]);
    return Promise.all(days.map(async (d) => parseHoursDay((await blobs.get(hoursFile(d))) ?? "", `${SUMMARY_DIR}/${hoursFile(d)}`)));
  }));
  return spans.flat();
}

/** Rewrites status.json and feed.xml from the summaries `index` lists (called by the writer, under its lock). */
export async function publishStatus(blobs: SummaryBlobs, index: SummaryIndex): Promise<void> {
  const timelines = timelinesOf(await recentSpans(blobs, index));
  if (timelines.length === 0) {
    await blobs.remove(STATUS_FILE);
    await blobs.remove(FEED_FILE);
    return;
  }
  const published = publishedOf(timelines, 0);
  await putChanged(blobs, STATUS_FILE, published.statusJson);
  await putChanged(blobs, FEED_FILE, published.feedXml);
}

/** The feed changes only with news: unchanged text costs no write (on GitHub, no commit). */
async function putChanged(blobs: SummaryBlobs, name: string, text: string): Promise<void> {
  if ((await blobs.get(name)) !== text) await blobs.put(name, text);
}

/** The first day whose whole history a server reads for status.json and the feed at `nowMs`. */
export const statusWindowStart = (nowMs: number): bigint =>
  dayStart(new Date(nowMs - STATUS_WINDOW_MS - HOUR_MS).toISOString().slice(0, 10));
