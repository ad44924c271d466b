import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engineOfUrl, filePathOfUrl, hasUrlPassword, redactUrl, scrubSecrets, secretsOfUrl } from '../../src/engines/url.js';

describe('connection URLs', () => {
  it('names the engine of each scheme', () => {
    expect(engineOfUrl('postgresql://a@b/c')).toBe('postgres');
    expect(engineOfUrl('mariadb://root@127.0.0.1/x')).toBe('mysql');
    expect(engineOfUrl('sqlite:data/x.sqlite')).toBe('sqlite');
    expect(engineOfUrl('pglite:./dir')).toBe('pglite');
    expect(engineOfUrl('http://x')).toBeUndefined();
  });

  it('redacts the password and drops the query string', () => {
    expect(redactUrl('postgres://app:s3cr%40t@db:5432/shop?password=x')).toBe('postgres://app:***@db:5432/shop');
    expect(redactUrl('mysql://root@127.0.0.1:3306/x')).toBe('mysql://root@127.0.0.1:3306/x');
  });

  it('scrubs raw and decoded passwords from messages', () => {
    const url = 'postgres://app:s3cr%40t@db/shop';
    expect(scrubSecrets('failed for s3cr@t and s3cr%40t', [url])).toBe('failed for *** and ***');
  });

  it('hides every character of a password that holds @, /, ? or # unencoded', () => {
    // Each of these printed part of the password: the user information was taken to end at the
    // first '@' or '/', or cut at the first '?'.
    expect(redactUrl('mysql://root:p@ssW0rd@127.0.0.1:3306/shop')).toBe('mysql://root:***@127.0.0.1:3306/shop');
    expect(redactUrl('mysql://root:secr/et@127.0.0.1:3306/shop')).toBe('mysql://root:***@127.0.0.1:3306/shop');
    expect(redactUrl('mysql://root:sec?ret@127.0.0.1:3306/shop')).toBe('mysql://root:***@127.0.0.1:3306/shop');
    expect(redactUrl('mysql://root:sec#ret@127.0.0.1:3306/shop')).toBe('mysql://root:***@127.0.0.1:3306/shop');
    expect(redactUrl('mysql://root:123/x@db/shop')).toBe('mysql://root:***@db/shop');
    expect(scrubSecrets('cannot use p@ssW0rd or ssW0rd', ['mysql://root:p@ssW0rd@db/shop'])).toBe('cannot use *** or ssW0rd');
  });

  it('keeps what is not a password: ports, IPv6 hosts, user names with @, queries', () => {
    expect(redactUrl('postgres://app@[::1]:5432/db?sslmode=require')).toBe('postgres://app@[::1]:5432/db');
    expect(redactUrl('postgres://[::1]:5432/db')).toBe('postgres://[::1]:5432/db');
    expect(redactUrl('mysql://admin@server:pw@db.example.com/shop')).toBe('mysql://admin@server:***@db.example.com/shop');
    expect(redactUrl('postgres://app@db/shop?password=x@y')).toBe('postgres://app@db/shop');
    expect(hasUrlPassword('mysql://root@127.0.0.1:3306/x')).toBe(false);
    expect(hasUrlPassword('postgres://app@db/shop?sslrootcert=/a@b.pem')).toBe(false);
    expect(hasUrlPassword('mysql://root:secr/et@db/shop')).toBe(true);
  });

  it('never shows a password, whatever characters it holds', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
    fc.assert(
      fc.property(word, fc.string({ minLength: 1, maxLength: 20 }), word, fc.option(word, { nil: undefined }), word, (user, password, host, port, db) => {
        const hostPort = port === undefined ? host : `${host}:${port.length}`;
        const url = `mysql://${user}:${password}@${hostPort}/${db}?sslmode=require`;
        expect(redactUrl(url)).toBe(`mysql://${user}:***@${hostPort}/${db}`);
        expect(hasUrlPassword(url)).toBe(true);
        expect(secretsOfUrl(url)).toContain(password);
      }),
    );
  });

  it('redacts all of a password that holds a raw @, as the drivers read it (the last @ ends the user info)', () => {
    // new URL('mysql://app:Sec@ret9@db/shop') connects as app with password Sec@ret9.
    expect(redactUrl('mysql://app:Sec@ret9@db:3306/shop')).toBe('mysql://app:***@db:3306/shop');
    expect(scrubSecrets('cannot connect to mysql://app:Sec@ret9@db/shop', ['mysql://app:Sec@ret9@db/shop'])).toBe('cannot connect to mysql://app:***@db/shop');
    expect(redactUrl('postgres://db:5432/shop')).toBe('postgres://db:5432/shop');
    expect(redactUrl('postgres://db/shop@2024')).toBe('postgres://db/shop@2024');
  });

  it('scrubs the whole value of a password query parameter, = signs included', () => {
    expect(scrubSecrets('password=c2VjcmV0== refused', ['postgres://app@db/shop?sslmode=require&password=c2VjcmV0=='])).toBe('password=*** refused');
  });

  it('never shows any part of a password the drivers accept', () => {
    // Characters that cannot end the authority: everything printable but / ? # (and *, the mask).
    const password = fc.stringMatching(/^[A-Za-z0-9@:%!$&'()+,;=._~-]{1,24}$/);
    fc.assert(
      fc.property(password, (pw) => {
        const url = `postgres://app:${pw}@db.internal:5432/shop`;
        expect(redactUrl(url)).toBe('postgres://app:***@db.internal:5432/shop');
        const scrubbed = scrubSecrets(`failed: ${pw} (${url})`, [url]);
        if (pw.length >= 4) expect(scrubbed).not.toContain(pw);
        expect(scrubbed).toBe('failed: *** (postgres://app:***@db.internal:5432/shop)');
      }),
    );
  });

  it('masks a short password where it stands alone, and leaves the words around it whole', () => {
    const url = 'postgres://app:a@db/shop';
    expect(scrubSecrets('password authentication failed for user "app" (a)', [url])).toBe('password authentication failed for user "app" (***)');
    expect(scrubSecrets("cannot connect to postgres://app:a@db/shop: database 'shop' is gone", [url])).toBe("cannot connect to postgres://app:***@db/shop: database 'shop' is gone");
    expect(scrubSecrets('password=a; user=app', [url])).toBe('password=***; user=app');
    expect(scrubSecrets('key $a. and $a.b', ['mysql://u:$a.@h/d'])).toBe('key *** and $a.b');
    // Every character a password may hold, alone, next to letters and digits: only the lone one goes.
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9@:%!$&'()+,;=._~-]{1,3}$/), fc.stringMatching(/^[a-z0-9]{1,8}$/), (pw, word) => {
        const u = `postgres://app:${pw}@db/shop`;
        const text = `${word}${pw}${word} [${pw}]`;
        const scrubbed = scrubSecrets(text, [u]);
        expect(scrubbed.endsWith(' [***]')).toBe(true);
        expect(scrubbed.startsWith(word)).toBe(true);
      }),
    );
  });

  it('reads file paths of file engines', () => {
    expect(filePathOfUrl('sqlite:/abs/x.sqlite')).toBe('/abs/x.sqlite');
    expect(filePathOfUrl('sqlite:rel/x.sqlite')).toBe('rel/x.sqlite');
    expect(filePathOfUrl('sqlite:///abs/x.sqlite')).toBe('/abs/x.sqlite');
  });
});
