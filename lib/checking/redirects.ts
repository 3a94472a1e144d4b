/**
 * Following a redirect (`follow_redirects`) by the Go client's rules: at most 10 hops; 301, 302
 * and 303 turn any method but HEAD into a body-less GET, 307 and 308 repeat the request as it was;
 * credentials and cookies are not carried to another site, nor a Host header to an absolute URL.
 */

/** Go's client gives up after this many redirects. */
export const MAX_REDIRECTS = 10;

export interface Hop {
  url: URL;
  method: string;
  body: string;
  headers: Record<string, string>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const SENSITIVE = new Set(["authorization", "www-authenticate", "cookie", "cookie2"]);

/**
 * The request `res` redirects to, or undefined when it is the answer itself (not a redirect, or
 * no Location, as Go leaves those). `{ error }` when the Location cannot be followed.
 */
export function nextHop(from: Hop, status: number, location: string | undefined): Hop | { error: string } | undefined {
  if (!REDIRECTS.has(status) || !location) return undefined;
  let url: URL;
  try {
    url = new URL(location, from.url);
  } catch (e) {
    return { error: `failed to parse Location header ${JSON.stringify(location)}: ${(e as Error).message}` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { error: `unsupported protocol scheme ${JSON.stringify(url.protocol.slice(0, -1))}` };
  const keepsBody = status === 307 || status === 308;
  const method = keepsBody || from.method === "HEAD" ? from.method : "GET";
  const relative = !/^[a-z][a-z0-9+.-]*:/i.test(location) && !location.startsWith("//");
  const sameSite = isSameOrSubdomain(url.hostname, from.url.hostname);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(from.headers)) {
    const lower = name.toLowerCase();
    if (lower === "host" && !relative) continue;
    if (SENSITIVE.has(lower) && !sameSite) continue;
    if (!keepsBody && (lower === "content-type" || lower === "content-length")) continue;
    headers[name] = value;
  }
  return { url, method, body: keepsBody ? from.body : "", headers };
}

/** Go's shouldCopyHeaderOnRedirect: the same host, or a subdomain of it. */
function isSameOrSubdomain(to: string, from: string): boolean {
  return to === from || to.endsWith(`.${from}`);
}
