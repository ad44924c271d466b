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

/** `postgres://app:s3cret@db:5432/shop?sslmode=require` → `postgres://app:***@db:5432/shop`. */
export function redactUrl(url: string): string {
  const trimmed = url.trim();
  // Query strings may carry passwords (password=…); drop them from anything shown.
  const noQuery = trimmed.replace(/\?.*$/s, '');
  return noQuery.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/]*)@/i, (_all, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    if (colon < 0) return `${scheme}${auth}@`;
    return `${scheme}${auth.slice(0, colon)}:***@`;
  });
}

/** The secret parts of a URL (password, and password-like query parameters), for scrubbing messages. */
export function secretsOfUrl(url: string): readonly string[] {
  const secrets: string[] = [];
  const auth = /^[a-z][a-z0-9+.-]*:\/\/([^@/]*)@/i.exec(url.trim());
  if (auth) {
    const colon = auth[1]!.indexOf(':');
    if (colon >= 0) {
      const raw = auth[1]!.slice(colon + 1);
      if (raw) {
        secrets.push(raw);
        try {
          const decoded = decodeURIComponent(raw);
          if (decoded !== raw) secrets.push(decoded);
        } catch {
          // not percent-encoded: the raw form is the secret
        }
      }
    }
  }
  const query = /\?(.*)$/s.exec(url.trim());
  if (query) {
    for (const part of query[1]!.split('&')) {
      const [k, v] = part.split('=');
      if (k && v && /pass|pwd|secret|token|key/i.test(k)) secrets.push(v, safeDecode(v));
    }
  }
  return secrets.filter((s) => s.length > 0);
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
