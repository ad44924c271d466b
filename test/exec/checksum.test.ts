import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { combineDigests, normaliserFor, RowChecksum } from '../../src/exec/checksum.js';

const text = normaliserFor({ kind: 'text', length: undefined, fixed: false });
const dec = normaliserFor({ kind: 'decimal', precision: 10, scale: 2 });

describe('row checksums', () => {
  it('do not depend on row order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.option(fc.string(), { nil: null }))), (rows) => {
        const a = new RowChecksum([text, text]);
        const b = new RowChecksum([text, text]);
        rows.forEach((r) => a.add(r));
        [...rows].reverse().forEach((r) => b.add(r));
        expect(a.digest()).toBe(b.digest());
      }),
    );
  });

  it('tell column boundaries, NULL and empty string apart', () => {
    const d = (rows: (string | null)[][]) => {
      const c = new RowChecksum([text, text]);
      rows.forEach((r) => c.add(r));
      return c.digest();
    };
    expect(d([['ab', 'c']])).not.toBe(d([['a', 'bc']]));
    expect(d([['', null]])).not.toBe(d([[null, '']]));
  });

  it('hash binary values as their hex digits without making them a string (digests of earlier runs stay valid)', () => {
    const binary = normaliserFor({ kind: 'binary', length: undefined, fixed: false });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string(), (bytes, other) => {
        const value = Buffer.from(bytes);
        expect(Buffer.isBuffer(binary(value))).toBe(true);
        const a = new RowChecksum([binary, text]);
        const b = new RowChecksum([text, text]);
        a.add([value, other]);
        b.add([value.toString('hex'), other]);
        expect(a.digest()).toBe(b.digest());
      }),
    );
  });

  it('treat equal decimals written differently as equal', () => {
    const a = new RowChecksum([dec]);
    const b = new RowChecksum([dec]);
    a.add(['1.50']);
    b.add(['1.5']);
    expect(a.digest()).toBe(b.digest());
    expect(dec('-0.00')).toBe('0');
    expect(dec('007.10')).toBe('7.1');
  });

  it('combine chunk digests like one pass over all rows', () => {
    const all = new RowChecksum([text]);
    const c1 = new RowChecksum([text]);
    const c2 = new RowChecksum([text]);
    for (const [i, v] of ['a', 'b', 'c', 'd'].entries()) {
      all.add([v]);
      (i < 2 ? c1 : c2).add([v]);
    }
    expect(combineDigests([c1.digest(), c2.digest()])).toBe(all.digest());
  });
  it('ignore the spellings of one value that MySQL and PostgreSQL print differently', () => {
    const interval = normaliserFor({ kind: 'interval', precision: 6 });
    expect(interval('00:00:00.500000')).toBe(interval('00:00:00.5'));
    expect(interval('-838:59:59.000000')).toBe(interval('-838:59:59'));
    expect(interval('1 day 00:00:01.5')).not.toBe(interval('1 day 00:00:15'));
    const char = normaliserFor({ kind: 'text', length: 10, fixed: true });
    expect(char('abc       ')).toBe(char('abc'));
    expect(char('abc\t')).not.toBe(char('abc'));
    expect(text('abc ')).not.toBe(text('abc'));
  });
});

describe('JSON in checksums', () => {
  const json = normaliserFor({ kind: 'json', binary: true });
  const digest = (doc: string): string => {
    const c = new RowChecksum([json]);
    c.add([doc]);
    return c.digest();
  };

  it('compares numbers as exact decimals, not as doubles', () => {
    expect(digest('{"n": 12345678901234567890}')).not.toBe(digest('{"n": 12345678901234567891}'));
    expect(digest('[12345678901234567890123]')).not.toBe(digest('[1.2345678901234568e22]'));
    // jsonb prints 1e400 in full and keeps 1.50's scale; MariaDB keeps the text as written.
    expect(digest('[1e400]')).toBe(digest(`[1${'0'.repeat(400)}]`));
    expect(digest('[1.50, -0, 0.00012]')).toBe(digest('[1.5,0,1.2E-4]'));
  });

  it('keeps duplicate keys: a document that lost one has changed', () => {
    // MariaDB reads the first "a", jsonb keeps the last: both lose meaning when a copy drops one.
    expect(digest('{"a": 1, "a": 2}')).not.toBe(digest('{"a": 2}'));
    expect(digest('{"a": 1, "a": 2}')).not.toBe(digest('{"a": 1}'));
    expect(digest('{"a": 1, "a": 2}')).not.toBe(digest('{"a": 2, "a": 1}'));
    expect(digest('{"b": {"y": 1, "x": [true, null]}, "a": "\\u00e9"}')).toBe(digest('{"a":"é","b":{"x":[true,null],"y":1}}'));
  });

  it('equal documents have equal digests whatever their spacing and key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const sorted = JSON.stringify(value, (_k, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? 1 : -1))) : v,
        );
        expect(digest(JSON.stringify(value, null, 2))).toBe(digest(sorted));
      }),
    );
  });
});
