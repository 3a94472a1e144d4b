/** Reading, or dropping, an HTTP response body within the attempt's bounds. */
import type http from "node:http";

/** The most body read for content checks; a health page larger than this is cut there. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Drops a body nobody reads, as Go closes an unread body. One that came with the headers (the
 * usual small health page) ends the ordinary way, with no reset and no error object; any still
 * on its way once this packet is parsed is cut, so a long, stalled or trickling body never keeps
 * a socket (or the process) alive after the attempt.
 */
export function discard(res: http.IncomingMessage): void {
  res.on("error", () => undefined);
  res.resume();
  setImmediate(() => {
    if (!res.complete) res.destroy();
  });
}

/** The body as text, cut at MAX_BODY_BYTES; rejects when the connection breaks before the end. */
export function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let cut = false;
    const text = () => Buffer.concat(chunks).toString("utf8");
    res.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else {
        cut = true;
        res.destroy();
      }
    });
    res.once("end", () => resolve(text()));
    res.on("error", (e) => (cut ? resolve(text()) : reject(e)));
    res.once("close", () => (cut || res.complete ? resolve(text()) : reject(new Error("unexpected EOF"))));
  });
}
