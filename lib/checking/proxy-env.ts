/**
 * Which proxy a request goes through, by Go's rules (net/http.ProxyFromEnvironment), which the
 * Go checkup's client followed: HTTPS_PROXY for https URLs, HTTP_PROXY for http ones (either in
 * lower case too), NO_PROXY exempting hosts, and localhost and loopback addresses never proxied.
 */
import net from "node:net";

/** The proxy for a URL, or undefined for a direct connection. */
export type ProxyChooser = (target: URL) => URL | undefined;

type Env = Readonly<Record<string, string | undefined>>;

/** Go reads the upper-case name first, then the lower-case one; an empty value counts as unset. */
function envAny(env: Env, name: string): string {
  return env[name] || env[name.toLowerCase()] || "";
}

/** Go's parseProxy: a value without a scheme (`proxy:3128`) means http://. Undefined when unusable, which Go ignores. */
export function parseProxyUrl(text: string): URL | undefined {
  if (!text) return undefined;
  for (const candidate of [text, `http://${text}`]) {
    try {
      const parsed = new URL(candidate);
      if (parsed.host) return parsed;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

/** Reads the environment once (as Go does) and answers per URL. */
export function proxyFromEnv(env: Env = process.env): ProxyChooser {
  const httpProxy = parseProxyUrl(envAny(env, "HTTP_PROXY"));
  const httpsProxy = parseProxyUrl(envAny(env, "HTTPS_PROXY"));
  // Go refuses HTTP_PROXY under CGI (a request header could set it: golang.org/s/cgihttpproxy).
  const cgi = Boolean(env.REQUEST_METHOD);
  const exempt = noProxyMatcher(envAny(env, "NO_PROXY"));
  return (target) => {
    const proxy = target.protocol === "https:" ? httpsProxy : target.protocol === "http:" && !cgi ? httpProxy : undefined;
    if (!proxy) return undefined;
    const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const port = target.port || (target.protocol === "https:" ? "443" : "80");
    return isLocal(host) || exempt(host, port) ? undefined : proxy;
  };
}

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

function isLocal(host: string): boolean {
  const family = net.isIP(host);
  return host === "localhost" || (family !== 0 && LOOPBACK.check(host, family === 4 ? "ipv4" : "ipv6"));
}

type Exemption = (host: string, port: string) => boolean;

/**
 * NO_PROXY as Go reads it: comma-separated; `*` exempts all; an IP or CIDR matches addresses;
 * `example.com` matches it and its subdomains, `.example.com` and `*.example.com` only the
 * subdomains; any entry may end in `:port`.
 */
export function noProxyMatcher(text: string): Exemption {
  const rules: Exemption[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === "*") return () => true;
    const rule = cidrRule(entry) ?? hostRule(entry);
    if (rule) rules.push(rule);
  }
  return (host, port) => rules.some((rule) => rule(host, port));
}

function cidrRule(entry: string): Exemption | undefined {
  const m = /^(.+)\/(\d{1,3})$/.exec(entry);
  const family = m ? net.isIP(m[1]!) : 0;
  if (!m || family === 0) return undefined;
  const type = family === 4 ? "ipv4" : "ipv6";
  const prefix = Number(m[2]);
  if (prefix > (family === 4 ? 32 : 128)) return undefined;
  const list = new net.BlockList();
  list.addSubnet(m[1]!, prefix, type);
  return (host) => net.isIP(host) === family && list.check(host, type);
}

function hostRule(entry: string): Exemption | undefined {
  const [name, port] = splitPort(entry);
  if (!name) return undefined;
  const portMatches = (p: string) => port === "" || port === p;
  if (net.isIP(name)) return (host, p) => host === name && portMatches(p);
  const suffix = name.startsWith("*.") ? name.slice(1) : name;
  const alsoItself = !suffix.startsWith(".");
  const dotted = alsoItself ? `.${suffix}` : suffix;
  return (host, p) => (host.endsWith(dotted) || (alsoItself && host === suffix)) && portMatches(p);
}

/** `host:80` and `[::1]:80` carry a port; a bare IPv6 address has colons but none. */
function splitPort(entry: string): [string, string] {
  if (net.isIP(entry)) return [entry, ""];
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return [bracketed[1]!, bracketed[2] ?? ""];
  const withPort = /^([^:]*):(\d+)$/.exec(entry);
  return withPort ? [withPort[1]!, withPort[2]!] : [entry, ""];
}
