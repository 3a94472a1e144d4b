/**
 * The status page's files, from the installed package's `statuspage/` folder (found from this
 * module's own location, so `checkup serve` works from any directory). Only files inside that
 * folder are ever read: no `..`, no encoded slashes, no symlinks out, no dotfiles.
 */
import { realpath, readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipTag, matches, negotiateGzip, send } from "./http.js";

/** `<package>/statuspage/`: dist/lib/serve/static.js is three levels below the package root. */
export const PACKAGE_PAGE_DIR = fileURLToPath(new URL("../../../statuspage/", import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".jpg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

export class StaticFiles {
  private root: string | undefined;

  constructor(readonly dir: string = PACKAGE_PAGE_DIR) {}

  /** Whether the folder exists (a source checkout without the page still serves the API). */
  async available(): Promise<boolean> {
    return (await this.realRoot()) !== undefined;
  }

  /**
   * Serves `urlPath` ("/" = index.html) if it names a file in the folder; returns false when it
   * does not, so the caller answers 404.
   */
  async serve(req: IncomingMessage, res: ServerResponse, urlPath: string): Promise<boolean> {
    const root = await this.realRoot();
    const relative = safeRelative(urlPath);
    if (!root || relative === undefined) return false;
    let file: string;
    try {
      file = await realpath(path.join(root, relative));
    } catch {
      return false;
    }
    if (!file.startsWith(root + path.sep)) return false; // a symlink pointing outside
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return false;
    const type = TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
    // Weak validator from size and mtime: no need to read a file the client already has. send()
    // gzips the same way negotiateGzip decides here, so the tag names the bytes that go out.
    const plainTag = `W/"${info.size.toString(36)}-${Math.trunc(info.mtimeMs).toString(36)}"`;
    const tag = negotiateGzip(req, res, type, info.size) ? gzipTag(plainTag) : plainTag;
    res.setHeader("ETag", tag);
    res.setHeader("Last-Modified", info.mtime.toUTCString());
    if (matches(req.headers["if-none-match"], tag)) {
      res.statusCode = 304;
      res.setHeader("Cache-Control", "no-cache");
      res.end();
      return true;
    }
    // The page has no build step, hence no fingerprinted names: always revalidate.
    send(req, res, await readFile(file), { contentType: type, cacheControl: "no-cache" });
    return true;
  }

  private async realRoot(): Promise<string | undefined> {
    if (this.root === undefined) {
      this.root = await realpath(this.dir).catch(() => undefined);
    }
    return this.root;
  }
}

/**
 * The path below the root that a URL path names, or undefined when it tries to leave the root or
 * reach a hidden file. `urlPath` is still percent-encoded.
 */
export function safeRelative(urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return undefined;
  const parts = decoded.split("/").filter((p) => p !== "");
  if (parts.some((p) => p === ".." || p.startsWith("."))) return undefined;
  if (decoded.endsWith("/") || parts.length === 0) parts.push("index.html");
  return parts.join(path.sep);
}
