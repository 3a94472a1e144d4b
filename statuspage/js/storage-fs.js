/*
 * Reading a store over HTTP: a folder of checkup files served by `checkup serve`, GitHub Pages,
 * S3 website hosting or any web server. Every source offers the same two things:
 *   getText(path, {fresh})  → the file's text, or undefined when it does not exist (404)
 *   listChecks(afterMs)     → [{name, at}] check files stored after afterMs, at = ms epoch
 */

/** A load failure the page shows to the reader instead of spinning forever (checkup#68). */
export class LoadError extends Error {
  constructor(url, detail) {
    super(`Could not load ${url}: ${detail}`);
    this.url = url;
  }
}

/** "/" → "/", "https://x/y" → "https://x/y/": joining never doubles or drops a slash. */
export function folderUrl(url) {
  const u = (url || "/").trim();
  return u.endsWith("/") ? u : `${u}/`;
}

/** The ms in a `<ns>-check.json` name, or undefined for other names. */
export function checkFileMs(name) {
  const m = /^(\d{7,})-check\.json$/.exec(name);
  return m ? Number(m[1].slice(0, -6)) : undefined;
}

export async function getText(url, { fresh = false } = {}) {
  const target = fresh ? `${url}${url.includes("?") ? "&" : "?"}t=${Date.now()}` : url;
  let res;
  try {
    res = await fetch(target, { cache: fresh ? "no-store" : "default" });
  } catch (e) {
    throw new LoadError(url, `${e.message || e} (is the folder served by a web server, and is storage.url in config.js right?)`);
  }
  if (res.status === 404) return undefined;
  if (!res.ok) throw new LoadError(url, `HTTP ${res.status} ${res.statusText}`);
  return res.text();
}

export function parseJson(text, url) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LoadError(url, `not JSON (${e.message})`);
  }
}

/** checkup's `fs` layout: index.json maps each check file to the ns it was stored at. */
export function fsSource(storage) {
  const base = folderUrl(storage.url);
  return {
    label: base,
    base,
    getText: (path, opts) => getText(base + path, opts),
    async listChecks(afterMs) {
      const url = `${base}index.json`;
      const text = await getText(url, { fresh: true });
      if (text === undefined) throw new LoadError(url, "HTTP 404 (no index.json: has `checkup --store` run, and is storage.url in config.js the folder it writes?)");
      const index = parseJson(text, url);
      return Object.keys(index)
        .map((name) => ({ name, at: checkFileMs(name) }))
        .filter((f) => f.at !== undefined && f.at > afterMs)
        .sort((a, b) => a.at - b.at);
    },
  };
}
