import { describe, expect, it } from 'vitest';
import { engineOfUrl, filePathOfUrl, redactUrl, scrubSecrets } from '../../src/engines/url.js';

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

  it('reads file paths of file engines', () => {
    expect(filePathOfUrl('sqlite:/abs/x.sqlite')).toBe('/abs/x.sqlite');
    expect(filePathOfUrl('sqlite:rel/x.sqlite')).toBe('rel/x.sqlite');
    expect(filePathOfUrl('sqlite:///abs/x.sqlite')).toBe('/abs/x.sqlite');
  });
});
