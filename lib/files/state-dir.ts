/**
 * Where checkup keeps its own state between runs (the spool, alert state):
 * `$XDG_STATE_HOME/checkup/<kind>/` (default `~/.local/state/checkup/<kind>/`), one entry per
 * config or storage, named by a hash of its identity so two configs never share one.
 */
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";

export function statePath(kind: string, identity: string, env: NodeJS.ProcessEnv = process.env): string {
  const root = env.XDG_STATE_HOME || path.join(os.homedir(), ".local", "state");
  return path.join(root, "checkup", kind, createHash("sha256").update(identity).digest("hex").slice(0, 16));
}
