/**
 * Connection URLs: which engine a URL names, and its redacted form. The password never leaves this
 * module except inside the URL handed to a driver.
 */
import type { EngineName } from '../ir/ir.js';

const SCHEMES: Readonly<Record<string, EngineName>> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
  pglite: 'pglite',
  sqlserver: 'sqlserver',
  mssql: 'sqlserver',
  oracle: 'oracle',
};

export function engineOfUrl(url: string): EngineName | undefined {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim());
  return m ? SCHEMES[m[1]!.toLowerCase()] : undefined;
}

/**
 * Where a server URL's password lies. The user information runs from `scheme://` to the URL's
 * *last* '@', and the password from the first ':' in it: a password may hold '@', '/', '?' or '#'
 * unencoded (`mysql://root:p@ss/w?rd@db/shop`), which makes the URL invalid or splits it elsewhere
 * than the author meant — the part that is shown must still hide every character of it. A ':'
 * after a '/', '?' or '#' is a port, a path or a query, never a password. When the query itself
 * holds an '@' this hides more than the password (`…:***@` followed by what comes after that
 * '@'): showing too little is the safe mistake.
 */
interface Credentials {
  /** `scheme://user` */
  readonly beforePassword: string;
  /** Exactly as written, not decoded. */
  readonly password: string;
  /** What follows the '@': host, port, path, query. */
  readonly afterAt: string;
}

function credentialsOf(url: string): Credentials | undefined {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/is.exec(url.trim());
  if (!m) return undefined;
  const scheme = m[1]!;
  const rest = m[2]!;
  const at = rest.lastIndexOf('@');
  const colon = rest.indexOf(':');
  if (at < 0 || colon < 0 || colon > at || /[/?#]/.test(rest.slice(0, colon))) return undefined;
  return { beforePassword: scheme + rest.slice(0, colon), password: rest.slice(colon + 1, at), afterAt: rest.slice(at + 1) };
}

/** Query strings may carry passwords (password=…); they are dropped from anything shown. */
function withoutQuery(text: string): string {
  return text.replace(/\?.*$/s, '');
}

/** `postgres://app:s3cret@db:5432/shop?sslmode=require` → `postgres://app:***@db:5432/shop`. */
export function redactUrl(url: string): string {
  const credentials = credentialsOf(url);
  if (credentials === undefined) return withoutQuery(url.trim());
  return `${credentials.beforePassword}:***@${withoutQuery(credentials.afterAt)}`;
}

/** Whether the URL holds a password before its host (`scheme://user:secret@host`), even an empty one. */
export function hasUrlPassword(url: string): boolean {
  const credentials = credentialsOf(url);
  return credentials !== undefined && credentials.password.length > 0;
}

/** The secret parts of a URL (password, and password-like query parameters), for scrubbing messages. */
export function secretsOfUrl(url: string): readonly string[] {
  const secrets: string[] = [];
  const password = credentialsOf(url)?.password;
  if (password) secrets.push(password, safeDecode(password));
  // The password a driver sends is the one a URL parser finds, which differs from the above when
  // the query holds an '@'.
  try {
    const parsed = new URL(url.trim()).password;
    if (parsed) secrets.push(parsed, safeDecode(parsed));
  } catch {
    // not a URL a parser reads: no driver got a password out of it
  }
  const query = /\?([^#]*)/s.exec(url.trim());
  if (query) {
    for (const part of query[1]!.split('&')) {
      // The value runs to the end of the parameter: base64 secrets end in `=`.
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      const [k, v] = [part.slice(0, eq), part.slice(eq + 1)];
      if (v && /pass|pwd|secret|token|key/i.test(k)) secrets.push(v, safeDecode(v));
    }
  }
  // Longest first, so that scrubbing a secret never leaves the tail of a longer one.
  return [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Secrets shorter than this are masked only where they stand alone. A password of one or two
 * characters masked everywhere turned every message into `***`-riddled noise (a password `a`
 * garbled "failed" and "database"); standing alone is how a message shows a password (`user:a@host`,
 * `'a'`, `password=a`).
 */
const SHORT_SECRET = 4;

/** Replaces every secret of `urls` found in `text` by `***`. Used on every error message shown. */
export function scrubSecrets(text: string, urls: readonly string[]): string {
  let out = text;
  for (const url of urls) {
    // A whole URL in a message is shown as `redactUrl` shows it, whatever its password.
    if (url.trim()) out = out.split(url.trim()).join(redactUrl(url));
    for (const secret of secretsOfUrl(url)) {
      out = secret.length >= SHORT_SECRET ? out.split(secret).join('***') : out.replace(standingAlone(secret), '***');
    }
  }
  return out;
}

/** `secret` where neither side touches a letter or digit. */
function standingAlone(secret: string): RegExp {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'gu');
}

/** `sqlite:relative/x.sqlite`, `sqlite:/abs/x.sqlite`, `sqlite:///abs/x.sqlite`, `sqlite::memory:` → path. */
export function filePathOfUrl(url: string): string {
  const rest = url.trim().replace(/^[a-z]+:/i, '');
  if (rest.startsWith('//')) return rest.replace(/^\/\/(localhost)?/, '');
  return rest;
}
