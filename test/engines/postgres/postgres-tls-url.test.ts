import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionOf } from '../../../src/engines/postgres/postgres-driver.js';

describe('a PostgreSQL URL\'s sslmode, with libpq\'s meaning', () => {
  it('takes sslmode and the certificate files out of the URL into the TLS settings, and keeps the rest', () => {
    expect(connectionOf({ url: 'postgres://u@h:5432/db', tls: undefined })).toEqual({ connectionString: 'postgres://u@h:5432/db', ssl: undefined });
    expect(connectionOf({ url: 'postgres://u@h/db?sslmode=require&application_name=x', tls: undefined })).toEqual({ connectionString: 'postgres://u@h/db?application_name=x', ssl: { rejectUnauthorized: false } });
    expect(connectionOf({ url: 'postgres://u@h/db?sslmode=disable', tls: undefined }).ssl).toBe(false);
    expect(connectionOf({ url: 'postgres://u@h/db?sslmode=prefer', tls: undefined }).ssl).toBeUndefined();
    const dir = mkdtempSync(path.join(tmpdir(), 'dms-tls-'));
    writeFileSync(path.join(dir, 'ca.pem'), 'CA PEM');
    const verified = connectionOf({ url: `postgres://u@h/db?sslmode=verify-full&sslrootcert=${encodeURIComponent(path.join(dir, 'ca.pem'))}`, tls: undefined });
    expect(verified).toEqual({ connectionString: 'postgres://u@h/db', ssl: { rejectUnauthorized: true, ca: 'CA PEM', cert: undefined, key: undefined } });
    expect(connectionOf({ url: 'postgres://u@h/db?sslmode=verify-ca', tls: undefined }).ssl).toMatchObject({ rejectUnauthorized: true, checkServerIdentity: expect.any(Function) });
  });

  it('refuses an sslmode libpq does not know rather than connect without TLS', () => {
    for (const mode of ['verify_full', 'REQUIRE', 'bogus', '', 'toString', 'constructor']) {
      expect(() => connectionOf({ url: `postgres://u:secret@h/db?sslmode=${mode}`, tls: undefined }), mode).toThrow(/is not a TLS mode: use one of disable, allow, prefer, require, verify-ca, verify-full/);
    }
  });

  it('lets a plan\'s tls block win over the URL', () => {
    expect(connectionOf({ url: 'postgres://u@h/db?sslmode=require', tls: { mode: 'disable' } })).toEqual({ connectionString: 'postgres://u@h/db', ssl: false });
  });
});
