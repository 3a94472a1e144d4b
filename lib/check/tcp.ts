/** `tcp`: connect (and with `tls: true` complete a handshake); RTT is the time that took. */
import { bool, type Raw, type Scope } from "../config/fields.js";
import { SECOND } from "../duration.js";
import { dial, attemptRoots, type DialTarget, parseDialTarget, parseTlsClient, type TlsClient } from "../checking/dial.js";
import type { CheckerType, Outcome } from "../plugin-types.js";

interface TcpOptions extends DialTarget, TlsClient {
  title: string;
  endpoint: string;
  tls: boolean;
}

export default {
  defaultTimeout: SECOND,
  parse: (raw: Raw, at: Scope): TcpOptions => {
    const target = parseDialTarget(raw, at);
    return {
      ...target,
      tls: bool(raw, "tls", at),
      ...parseTlsClient(raw, at),
    };
  },
  attempt: async (o, signal): Promise<Outcome> => {
    const roots = await attemptRoots(o.tlsCaFile, o.tls);
    if ("error" in roots) return { rtt: 0, error: roots.error };
    const tlsOptions = o.tls ? { rejectUnauthorized: !o.tlsSkipVerify, ca: roots.ca } : undefined;
    const d = await dial(o, signal, tlsOptions);
    if (!d.ok) return { rtt: d.rtt, error: d.error };
    d.socket.destroy();
    return { rtt: d.rtt, answered: true };
  },
} satisfies CheckerType<TcpOptions>;

