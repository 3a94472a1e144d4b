/*
 * checkup's `s3` layout: check files at the bucket root, no index.json. Objects are read
 * anonymously (checkup provisions a public-read bucket policy); the file list comes from the
 * bucket listing, which must then be public too. With summaries (written by this checkup) the
 * page needs no listing at all, only GETs.
 */
import { checkFileMs, folderUrl, getText, LoadError } from "./data.js";
import { SUMMARIES_ENTRY } from "./rules.js";

/** checkup's object URL: the path-style endpoint, or the legacy regional one (s3-<region>). */
export function bucketUrl(storage) {
  if (storage.url && storage.url !== "/") return folderUrl(storage.url);
  const bucket = encodeURIComponent(storage.BucketName || "");
  const region = storage.Region || "us-east-1";
  const host = region === "us-east-1" ? "s3.amazonaws.com" : `s3-${region}.amazonaws.com`;
  return `https://${host}/${bucket}/`;
}

export function s3Source(storage) {
  const base = bucketUrl(storage);
  return {
    label: base,
    base,
    getText: (path, opts) => getText(base + path, opts),
    /**
     * A listing of just the summaries index: true or false; undefined when the bucket cannot be
     * listed (then only trying the summaries can tell).
     */
    async keepsSummaries() {
      const text = await getText(`${base}?prefix=${encodeURIComponent(SUMMARIES_ENTRY)}&max-keys=1`, { fresh: true }).catch(() => undefined);
      const xml = text && new DOMParser().parseFromString(text, "application/xml");
      if (!xml || xml.getElementsByTagName("ListBucketResult").length === 0) return undefined;
      return [...xml.getElementsByTagName("Key")].some((k) => k.textContent === SUMMARIES_ENTRY);
    },
    async listChecks(afterMs) {
      const files = [];
      // Keys sort as ns digit strings; starting after afterMs' ns skips everything older.
      let marker = `${Math.max(0, Math.floor(afterMs))}000000`;
      for (;;) {
        const url = `${base}?marker=${encodeURIComponent(marker)}`;
        const text = await getText(url, { fresh: true });
        if (text === undefined) throw new LoadError(url, "HTTP 404 (is BucketName in config.js right?)");
        const xml = new DOMParser().parseFromString(text, "application/xml");
        const keys = [...xml.getElementsByTagName("Key")].map((k) => k.textContent || "");
        for (const name of keys) {
          const at = checkFileMs(name);
          if (at !== undefined && at > afterMs) files.push({ name, at });
        }
        const truncated = xml.getElementsByTagName("IsTruncated")[0]?.textContent === "true";
        if (!truncated || keys.length === 0) break;
        marker = keys[keys.length - 1];
      }
      return files.sort((a, b) => a.at - b.at);
    },
  };
}
