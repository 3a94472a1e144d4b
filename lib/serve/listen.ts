/** `--listen` addresses, written as Go's net.Listen takes them: ":3000", "127.0.0.1:3000", "[::1]:3000". */
import type { AddressInfo } from "node:net";
import { UsageError } from "../errors.js";

export const DEFAULT_LISTEN = ":3000";

export interface ListenAddress {
  /** Undefined = every interface (IPv4 and IPv6), as ":3000" means to Go. */
  host: string | undefined;
  port: number;
}

export function parseListen(text: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim()) ?? /^()()(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new UsageError(`invalid --listen address ${JSON.stringify(text)}: use :3000, 127.0.0.1:3000 or [::1]:3000`);
  }
  const host = m[1] || m[2] || undefined;
  return { host, port };
}

/** The URL to print: a wildcard address is reachable on this machine as localhost. */
export function listenUrl(host: string | undefined, port: number): string {
  if (!host || host === "0.0.0.0" || host === "::") return `http://localhost:${port}/`;
  return host.includes(":") ? `http://[${host}]:${port}/` : `http://${host}:${port}/`;
}

/** What the socket really listens on: `[::]:3000, every interface` for a wildcard, else `127.0.0.1:3000`. */
export function boundAddress(info: AddressInfo): string {
  const text = info.family === "IPv6" ? `[${info.address}]:${info.port}` : `${info.address}:${info.port}`;
  if (info.address === "::") return `${text}, every interface`;
  if (info.address === "0.0.0.0") return `${text}, every IPv4 interface`;
  return text;
}
