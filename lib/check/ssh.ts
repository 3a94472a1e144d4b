/**
 * `ssh`: connect and read the server's identification line (`SSH-2.0-OpenSSH_9.2p1 …`); no
 * credentials, no key exchange. RTT is connect + banner. `must_contain` applies to the banner.
 */
import { str, type Raw, type Scope } from "../config/fields.js";
import { SECOND } from "../duration.js";
import { elapsedSince } from "../checking/attempts.js";
import { dial, dialReason, parseDialTarget, type DialTarget } from "../checking/dial.js";
import { LineReader } from "../checking/lines.js";
import type { CheckerType, Outcome } from "../plugin-types.js";

/** RFC 4253 §4.2 lets a server send other lines first; more than this is not an SSH server. */
const MAX_LINES_BEFORE_BANNER = 32;

interface SshOptions extends DialTarget {
  title: string;
  endpoint: string;
  mustContain: string;
}

export default {
  defaultTimeout: 5 * SECOND,
  parse: (raw: Raw, at: Scope): SshOptions => ({
    ...parseDialTarget(raw, at, "example.com:22"),
    mustContain: str(raw, "must_contain", at),
  }),
  attempt: async (o, signal): Promise<Outcome> => {
    const started = performance.now();
    const d = await dial(o, signal);
    if (!d.ok) return { rtt: d.rtt, error: d.error };
    try {
      const banner = await readBanner(new LineReader(d.socket, signal));
      const rtt = elapsedSince(started);
      if (!banner.startsWith("SSH-")) return { rtt, answered: true, error: `not an SSH server: it sent ${JSON.stringify(banner)}` };
      if (o.mustContain && !banner.includes(o.mustContain)) {
        return { rtt, answered: true, error: `banner ${JSON.stringify(banner)} does not contain '${o.mustContain}'` };
      }
      return { rtt, answered: true };
    } finally {
      d.socket.destroy();
    }
  },
} satisfies CheckerType<SshOptions>;

/**
 * The `SSH-` line; else the last line read, when none came within MAX_LINES_BEFORE_BANNER or the
 * peer hung up after saying something else. Hanging up in silence is an error.
 */
async function readBanner(lines: LineReader): Promise<string> {
  let line = "";
  for (let i = 0; i < MAX_LINES_BEFORE_BANNER && !line.startsWith("SSH-"); i++) {
    try {
      line = await lines.next();
    } catch (e) {
      if (line) break;
      throw new Error(`reading the SSH banner: ${dialReason(e as Error)}`);
    }
  }
  return line;
}
