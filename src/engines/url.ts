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
 * A URL cut around its user info (`user:password`), the way the drivers' WHATWG URL parser cuts
 * it: the authority runs from `//` to the first `/`, `?` or `#`, and the user info ends at its
 * *last* `@` — a password may hold a raw `@` (`mysql://app:p@ss@db/shop` connects as `app` with
 * password `p@ss`), so stopping at the first `@` would show the rest of the password.
 */
function splitUserInfo(url: string): { readonly scheme: string; readonly userInfo: string; readonly rest: string } | undefined {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
  if (!m) return undefined;
  const authority = m[2]!;
  const at = authority.lastIndexOf('@');
  if (at < 0) return undefined;
  return { scheme: m[1]!, userInfo: authority.slice(0, at), rest: authority.slice(at) + m[3]! };
}

/** `postgres://app:s3cret@db:5432/shop?sslmode=require` → `postgres://app:***@db:5432/shop`. */
export function redactUrl(url: string): string {
  // Query strings may carry passwords (password=…); drop them from anything shown.
  const noQuery = url.trim().replace(/\?.*$/s, '');
  const parts = splitUserInfo(noQuery);
  if (!parts) return noQuery;
  const colon = parts.userInfo.indexOf(':');
  if (colon < 0) return noQuery;
  return `${parts.scheme}${parts.userInfo.slice(0, colon)}:***${parts.rest}`;
}

/** The secret parts of a URL (password, and password-like query parameters), for scrubbing messages. */
export function secretsOfUrl(url: string): readonly string[] {
  const secrets: string[] = [];
  const parts = splitUserInfo(url.trim());
  if (parts) {
    const colon = parts.userInfo.indexOf(':');
    if (colon >= 0) {
      const raw = parts.userInfo.slice(colon + 1);
      if (raw) secrets.push(raw, safeDecode(raw));
    }
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

/** Replaces every secret of `urls` found in `text` by `***`. Used on every error message shown. */
export function scrubSecrets(text: string, urls: readonly string[]): string {
  let out = text;
  for (const url of urls) {
    for (const secret of secretsOfUrl(url)) out = out.split(secret).join('***');
  }
  return out;
}

/** `sqlite:relative/x.sqlite`, `sqlite:/abs/x.sqlite`, `sqlite:///abs/x.sqlite`, `sqlite::memory:` → path. */
export function filePathOfUrl(url: string): string {
  const rest = url.trim().replace(/^[a-z]+:/i, '');
  if (rest.startsWith('//')) return rest.replace(/^\/\/(localhost)?/, '');
  return rest;
}
