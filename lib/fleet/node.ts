/**
 * A node: the machine (or container) that ran a check, so one store fed by many locations keeps
 * apart who saw what. Named by `--node`, CHECKUP_NODE or checkup.json's `node`; default the host
 * name. The name travels in every stored result (`node`), in HTTP checks' User-Agent, in
 * `serve`'s answers and in the `node` metric label.
 */
import os from "node:os";
import { PACKAGE } from "../package-info.js";

/** Letters, digits, `.`, `_`, `-`: safe in a User-Agent comment, a metric label and a file name; up to a DNS name's 253. */
export const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

export const NODE_RULE = "a name of letters, digits, \".\", \"_\" or \"-\" (starting with a letter or digit, at most 253), like \"eu-1\"";

/** The name itself, or undefined when it breaks NODE_RULE. */
export function validNodeName(name: string): string | undefined {
  return NODE_NAME.test(name) ? name : undefined;
}

/** This machine's host name, the node name when none is given. */
export function hostNode(): string {
  return os.hostname();
}

/** `checkup/<version> (node NAME)`: a target's access log shows which node probed it. */
export function userAgent(node: string | undefined): string {
  return node ? `checkup/${PACKAGE.version} (node ${node})` : `checkup/${PACKAGE.version}`;
}
