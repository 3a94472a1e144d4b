/**
 * Heartbeat pings: the key a token's pings are kept under, the one JSON form a ping is stored in,
 * and taking a ping for the checker whose token it presents (`serve`'s /api/push, `checkup ping`).
 * A token is a secret: only its SHA-256 is kept, compared and stored.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { parseJsonExact, toUnixNanos } from "./nanos.js";
import { isPingReader, type Checker, type Ping, type PingReader, type PingStore } from "./types.js";

/** A POST body or `--message` is kept up to this many bytes (UTF-8); the rest is cut. */
export const MAX_PING_MESSAGE_BYTES = 10 * 1024;

/** The key a token's pings are kept under: its SHA-256 in hex, so no stored file holds the token. */
export function pingKey(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * The heartbeat checker `token` belongs to. Every checker's key is compared, each in constant
 * time, so the answer's timing tells nothing about which tokens exist.
 */
export function findPingReader(checkers: readonly Checker[], token: string): (Checker & PingReader) | undefined {
  const presented = Buffer.from(pingKey(token), "hex");
  let found: (Checker & PingReader) | undefined;
  for (const checker of checkers) {
    if (!isPingReader(checker)) continue;
    const key = Buffer.from(checker.pingKey, "hex");
    if (key.length === presented.length && timingSafeEqual(key, presented) && !found) found = checker;
  }
  return found;
}

/** Records a ping for the checker holding `token`; undefined (nothing written) when none does. */
export async function takePing(checkers: readonly Checker[], store: PingStore, token: string,
  ping: Ping): Promise<(Checker & PingReader) | undefined> {
  const checker = findPingReader(checkers, token);
  if (checker) await store.recordPing(checker.pingKey, { ...ping, message: ping.message && cutMessage(ping.message) });
  return checker;
}

/** At most MAX_PING_MESSAGE_BYTES of UTF-8, never cutting a character in two. */
export function cutMessage(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= MAX_PING_MESSAGE_BYTES) return text;
  let end = MAX_PING_MESSAGE_BYTES;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // back off to a character's first byte
  return bytes.subarray(0, end).toString("utf8");
}

/** A ping as stored: `{"at":<ns>,"status":0,"message":"…"}` (at in exact integer ns). */
export function pingJson(ping: Ping): string {
  const message = ping.message ? `,"message":${JSON.stringify(ping.message)}` : "";
  return `{"at":${ping.at.toString()},"status":${ping.status}${message}}`;
}

/** Reads what pingJson wrote; `where` names the file or row in the error. */
export function parsePing(text: string, where: string): Ping {
  const raw = parseJsonExact(text) as { at?: unknown; status?: unknown; message?: unknown } | null;
  const at = toUnixNanos(raw?.at);
  if (at === undefined || !Number.isSafeInteger(raw?.status)) throw new Error(`${where}: not a stored ping`);
  const ping: Ping = { at, status: raw!.status as number };
  if (typeof raw!.message === "string" && raw!.message) ping.message = raw!.message;
  return ping;
}
