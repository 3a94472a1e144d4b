/**
 * The one place that decides what a secret looks like, by name and by value. Everything checkup
 * prints, stores or serves that may hold one (error messages, endpoints, config problems, the
 * environment dump) goes through here.
 */

export const SCRUBBED = "[scrubbed]";

/** Names whose values are secret: API_KEY, DB_PASSWORD, SLACK_WEBHOOK, AUTHORIZATION, MYSQL_DSN, … */
const SECRET_WORDS = "key|token|pass|secret|webhook|auth|credential|dsn|private";
const SECRET_NAME = new RegExp(SECRET_WORDS, "i");

/**
 * What may follow the `@` that ends a password: a host, then the end of the authority. A password
 * may hold a raw `@` or `/` (`u:p@ss/w@host`), so the last such `@` in the word wins: when in
 * doubt, more is scrubbed.
 */
const AFTER_USERINFO = String.raw`(?=[^\s@/?#"'<>]*(?:[/?#\s"'<>),;]|$))`;

const VALUE_RULES: readonly [RegExp, string][] = [
  // scheme://user:password@host (DATABASE_URL, amqp://, redis://, http://): the whole userinfo.
  [new RegExp(String.raw`(\b[a-z][\w+.-]*:\/\/)[^\s/:@"'<>]*:[^\s"'<>]*@${AFTER_USERINFO}`, "gi"), `$1${SCRUBBED}@`],
  // Go's MySQL DSN: user:password@tcp(host:3306)/db, user:password@/db.
  [/(^|[\s"'=,;(])[^\s:@/"'=,;(]+:[^\s"']*?@(?=[a-z]*\(|\/)/gi, `$1${SCRUBBED}@`],
  // key=value settings: libpq's `password=…`, `api_key=…` in a query string, `--token=…`.
  [new RegExp(String.raw`(\b[\w.-]*(?:${SECRET_WORDS})[\w.-]*\s*=\s*)(?:'(?:[^'\\]|\\.)*'|[^\s'&;,]+)`, "gi"), `$1${SCRUBBED}`],
];

/** Whether a key, variable or flag name marks its value secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** `text` with every credential it visibly holds replaced (URL and DSN passwords, `password=…`). */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of VALUE_RULES) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A URL as it may be shown: `http://admin:pw@host/` → `http://[scrubbed]@host/`. Only the
 * userinfo changes (the rest stays as written). Text that is not a URL goes through redactText,
 * as if it had a scheme when it has none (`admin:pw@host/`, a URL missing its `https://`).
 */
export function redactUrl(text: string): string {
  if (!text.includes("://")) return redactText(`x://${text}`).slice("x://".length);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return redactText(text);
  }
  if (!parsed.username && !parsed.password) return text;
  const start = text.indexOf("//") + 2;
  // WHATWG: the authority ends at the first / ? # or \, and its userinfo at the last @ in it.
  const authorityEnd = text.slice(start).search(/[/?#\\]/);
  const authority = authorityEnd < 0 ? text.slice(start) : text.slice(start, start + authorityEnd);
  return `${text.slice(0, start)}${SCRUBBED}@${text.slice(start + authority.lastIndexOf("@") + 1)}`;
}

/**
 * A copy of `value` with secret-named keys' values replaced and every string redacted, at any
 * depth (cut off below 20 levels).
 */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (depth > 20 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretName(k) ? SCRUBBED : scrub(v, depth + 1);
  return out;
}
