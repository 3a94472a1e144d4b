/** Reading a bare host name (or IP address) from a checker's `endpoint_url`, for icmp and domain. */
import net from "node:net";
import { shown, str, type Raw, type Scope } from "../config/fields.js";

/** Dot-separated LDH labels (RFC 1123), an optional trailing dot; never starts with "-". */
const HOST_NAME = /^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/i;

/** `endpoint_url` as a host name, or with `ip: true` also an IPv4/IPv6 address; "" when bad. */
export function parseHostName(raw: Raw, at: Scope, opts: { ip: boolean; example: string }): string {
  const text = str(raw, "endpoint_url", at, { required: `a host name like "${opts.example}"` });
  if (!text) return "";
  if ((opts.ip && net.isIP(text)) || (HOST_NAME.test(text) && !net.isIP(text))) return text;
  const what = opts.ip ? "a host name or IP address" : "a domain name";
  at.problem("endpoint_url", `expected ${what} like "${opts.example}" (no scheme, port or path), got ${shown(text)}`);
  return "";
}
