import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileConverter } from '../../src/types/convert.js';
import type { LogicalType } from '../../src/types/logical.js';
import { markInvalidText } from '../../src/types/values/invalid-text.js';
import { MYSQL_VALUE_LIMITS, POSTGRES_VALUE_LIMITS, SQLITE_VALUE_LIMITS } from '../../src/types/value-limits.js';

const text = (length?: number): LogicalType => ({ kind: 'text', length, fixed: false });
const ts = (precision: number): LogicalType => ({ kind: 'timestamp', precision });
const rejected = (reason: string) => ({ rejected: true, reason: expect.stringContaining(reason) });

describe('compileConverter', () => {
  it('range-checks integers', () => {
    const c = compileConverter({ kind: 'int', bits: 64, unsigned: true }, { kind: 'int', bits: 64, unsigned: false }, 'none', undefined);
    expect(c('9223372036854775807')).toBe('9223372036854775807');
    expect(c('9223372036854775808')).toEqual(rejected('out of range for int64'));
  });

  it('keeps decimal digits exactly and rounds surplus scale', () => {
    const c = compileConverter({ kind: 'decimal', precision: 10, scale: 4 }, { kind: 'decimal', precision: 10, scale: 2 }, 'none', undefined);
    expect(c('123.4567')).toBe('123.46');
    expect(c('123.4549')).toBe('123.45');
    expect(c('-0.0099')).toBe('-0.01');
    expect(c('-0.0049')).toBe('0.00');
    const wide = compileConverter({ kind: 'decimal', precision: 65, scale: 0 }, { kind: 'decimal', precision: 20, scale: 0 }, 'none', undefined);
    expect(wide('1'.repeat(21))).toEqual(rejected('has 21 integer digits'));
  });

  it('keeps NaN in a bounded PostgreSQL numeric, which holds it; rejects infinities there and specials in MySQL', () => {
    const bounded = { kind: 'decimal', precision: 20, scale: 5 } as const;
    const toPg = compileConverter(bounded, bounded, 'none', POSTGRES_VALUE_LIMITS);
    expect(toPg('NaN')).toBe('NaN');
    expect(toPg('Infinity')).toEqual(rejected('cannot be stored'));
    const free = { kind: 'decimal', precision: undefined, scale: undefined } as const;
    expect(compileConverter(free, free, 'none', POSTGRES_VALUE_LIMITS)('-Infinity')).toBe('-Infinity');
    expect(compileConverter(bounded, bounded, 'none', MYSQL_VALUE_LIMITS)('NaN')).toEqual(rejected('cannot be stored'));
  });

  it('truncates fractional seconds to the target precision', () => {
    expect(compileConverter(ts(6), ts(3), 'none', undefined)('2024-02-29 23:59:59.999999')).toBe('2024-02-29 23:59:59.999');
    expect(compileConverter(ts(6), ts(0), 'none', undefined)('2024-02-29 23:59:59.5')).toBe('2024-02-29 23:59:59');
  });

  it('turns zero dates into NULL and reads naive timestamps as UTC under zero_dates_to_null', () => {
    const c = compileConverter(ts(0), { kind: 'timestamptz', precision: 0 }, 'zero_dates_to_null', POSTGRES_VALUE_LIMITS);
    expect(c('0000-00-00 00:00:00')).toBeNull();
    expect(c('2020-05-00 10:00:00')).toBeNull();
    expect(c('2020-05-01 10:00:00')).toBe('2020-05-01 10:00:00+00:00');
    expect(compileConverter(ts(0), ts(0), 'none', POSTGRES_VALUE_LIMITS)('0000-00-00 00:00:00')).toEqual(rejected('zero date'));
    // A number in a SQLite DATETIME column (a Unix time, say) is not a timestamp, and no zero date either.
    expect(compileConverter(ts(0), ts(0), 'none', POSTGRES_VALUE_LIMITS)('1700000000')).toEqual({ rejected: true, reason: "'1700000000' is not a timestamp" });
    expect(compileConverter({ kind: 'date' }, { kind: 'date' }, 'zero_dates_to_null', POSTGRES_VALUE_LIMITS)('1700000000')).toEqual({ rejected: true, reason: "'1700000000' is not a date" });
  });

  it('counts text length in characters, and rejects NUL for PostgreSQL', () => {
    const c = compileConverter(text(), text(2), 'none', POSTGRES_VALUE_LIMITS);
    expect(c('😀😀')).toBe('😀😀');
    expect(c('😀😀x')).toEqual(rejected('longer than 2 characters'));
    expect(c('a\u0000')).toEqual(rejected('U+0000'));
    expect(compileConverter(text(), text(), 'none', MYSQL_VALUE_LIMITS)('a\u0000')).toBe('a\u0000');
    // Bytes where text belongs (a SQLite TEXT value that is not UTF-8, a BLOB in a TEXT column).
    expect(compileConverter(text(), text(), 'none', POSTGRES_VALUE_LIMITS)(Buffer.from('61ff62', 'hex'))).toEqual(rejected('is not valid UTF-8 text'));
    expect(compileConverter(text(), text(), 'none', POSTGRES_VALUE_LIMITS)(Buffer.from('abc'))).toEqual(rejected('is not text'));
  });

  it('checks MySQL ranges: dates, TIME', () => {
    // MariaDB and MySQL store dates before 1000 exactly (a MySQL source holds them too).
    expect(compileConverter({ kind: 'date' }, { kind: 'date' }, 'none', MYSQL_VALUE_LIMITS)('0999-12-31')).toBe('0999-12-31');
    expect(compileConverter({ kind: 'timestamp', precision: 6 }, { kind: 'timestamp', precision: 6 }, 'none', MYSQL_VALUE_LIMITS)('0001-01-01 00:00:00.000001')).toBe('0001-01-01 00:00:00.000001');
    const toTimestamp = compileConverter({ kind: 'timestamptz', precision: 6 }, { kind: 'timestamptz', precision: 6 }, 'none', MYSQL_VALUE_LIMITS);
    expect(toTimestamp('1969-12-31 23:59:59+00:00')).toEqual(rejected('range'));
    const toTime = compileConverter({ kind: 'interval', precision: 6 }, { kind: 'interval', precision: 6 }, 'interval_to_time', MYSQL_VALUE_LIMITS);
    expect(toTime('1 day 02:00:00')).toBe('26:00:00');
    expect(toTime('-838:59:59.999999')).toBe('-838:59:59.999999');
    expect(toTime('839:00:00')).toEqual(rejected('838'));
    expect(toTime('1 mon')).toEqual(rejected('years or months'));
  });

  it('checks enum labels and JSON validity', () => {
    const e = compileConverter(text(), { kind: 'enum', values: ['a', 'b'], name: 'e' }, 'none', undefined);
    expect(e('a')).toBe('a');
    expect(e('c')).toEqual(rejected('not one of the labels'));
    const j = compileConverter(text(), { kind: 'json', binary: true }, 'cast', undefined);
    expect(j('{"a":1}')).toBe('{"a":1}');
    expect(j('{a:1}')).toEqual(rejected('not valid JSON'));
  });

  it('refuses the escape \\u0000 only where PostgreSQL parses the document (jsonb), not in json, which keeps its text', () => {
    const json = { kind: 'json', binary: false } as const;
    const jsonb = { kind: 'json', binary: true } as const;
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, after) => {
        const doc = JSON.stringify(`${before}\u0000${after}`); // a JSON string holding the escape
        expect(compileConverter(json, json, 'none', POSTGRES_VALUE_LIMITS)(doc)).toBe(doc);
        expect(compileConverter(json, jsonb, 'none', POSTGRES_VALUE_LIMITS)(doc)).toEqual(rejected('\\u0000'));
        expect(compileConverter(jsonb, jsonb, 'none', POSTGRES_VALUE_LIMITS)(doc)).toEqual(rejected('\\u0000'));
      }),
    );
  });

  it('converts sets and arrays', () => {
    expect(compileConverter({ kind: 'set', values: ['x', 'y'] }, { kind: 'array', element: text() }, 'set_to_array', undefined)(['x', 'y'])).toEqual(['x', 'y']);
    const toJson = compileConverter({ kind: 'array', element: { kind: 'decimal', precision: undefined, scale: undefined } }, { kind: 'json', binary: false }, 'array_to_json', undefined);
    expect(toJson(['12345678901234567890.5', null])).toBe('[12345678901234567890.5,null]');
  });

  it("keeps PostgreSQL's infinity, BC and five-digit-year dates for PostgreSQL and SQLite targets, rejects them for MySQL", () => {
    const date = { kind: 'date' } as const;
    const ts = { kind: 'timestamp', precision: 6 } as const;
    const tstz = { kind: 'timestamptz', precision: 6 } as const;
    for (const limits of [POSTGRES_VALUE_LIMITS, SQLITE_VALUE_LIMITS]) {
      const d = compileConverter(date, date, 'none', limits);
      for (const v of ['infinity', '-infinity', '0044-03-15 BC', '10000-01-01']) expect(d(v)).toBe(v);
      expect(compileConverter(ts, ts, 'none', limits)('0044-03-15 10:00:00.5 BC')).toBe('0044-03-15 10:00:00.5 BC');
      expect(compileConverter(tstz, tstz, 'none', limits)('-infinity')).toBe('-infinity');
      expect(compileConverter(tstz, tstz, 'none', limits)('0044-03-15 10:00:00+00 BC')).toBe('0044-03-15 10:00:00+00 BC');
      expect(d('2020-13-01 BC')).toEqual(rejected('not a date'));
    }
    expect(compileConverter(date, date, 'none', MYSQL_VALUE_LIMITS)('infinity')).toEqual(rejected('not a date'));
    expect(compileConverter(ts, ts, 'none', MYSQL_VALUE_LIMITS)('0044-03-15 10:00:00 BC')).toEqual(rejected('not a timestamp'));
  });

  it('rejects, rather than rounds, a decimal with more digits than its own declared type (SQLite does not enforce DECIMAL(p,s))', () => {
    const d = { kind: 'decimal', precision: 12, scale: 2 } as const;
    const same = compileConverter(d, d, 'none', POSTGRES_VALUE_LIMITS);
    expect(same('0.125')).toEqual(rejected('3 digits after the point'));
    expect(same('1.50000')).toBe('1.50');
    expect(same('-7.1')).toBe('-7.1');
    // A narrowing rule (lossy by the checker) rounds as SQL casts do.
    expect(compileConverter({ kind: 'decimal', precision: 12, scale: 3 }, d, 'none', POSTGRES_VALUE_LIMITS)('0.125')).toBe('0.13');
  });

  it('takes multi-dimensional arrays of any declared element type, checking every element', () => {
    const ints = { kind: 'array', element: { kind: 'int', bits: 32, unsigned: false } } as const;
    const same = compileConverter(ints, ints, 'none', POSTGRES_VALUE_LIMITS);
    expect(same([['1', '2'], ['3', null]])).toEqual([['1', '2'], ['3', null]]);
    expect(same([['1'], ['2147483648']])).toEqual(rejected('element 2: element 1'));
    const toJson = compileConverter(ints, { kind: 'json', binary: false }, 'array_to_json', MYSQL_VALUE_LIMITS);
    expect(toJson([['1', '2'], ['3', null]])).toBe('[[1,2],[3,null]]');
  });

  it('maps booleans and bits', () => {
    const b = compileConverter({ kind: 'int', bits: 8, unsigned: false }, { kind: 'bool' }, 'int_to_boolean', undefined);
    expect([b('0'), b('1')]).toEqual([false, true]);
    expect(b('-5')).toEqual(rejected('neither 0 nor 1'));
    expect(b('2')).toEqual(rejected('neither 0 nor 1'));
    expect(compileConverter({ kind: 'bit', length: 1, varying: false }, { kind: 'bool' }, 'bit_to_boolean', undefined)('1')).toBe(true);
    expect(compileConverter({ kind: 'bool' }, { kind: 'int', bits: 8, unsigned: false }, 'cast', undefined)(true)).toBe('1');
  });

  it('writes a year into a number as the integer it is: the zero year 0000 is 0, not the text 0000', () => {
    const targets: readonly LogicalType[] = [{ kind: 'int', bits: 16, unsigned: false }, { kind: 'decimal', precision: 4, scale: 0 }];
    fc.assert(
      fc.property(fc.oneof(fc.constant(0), fc.integer({ min: 1901, max: 2155 })), fc.constantFrom(...targets), fc.constantFrom('none' as const, 'cast' as const), (year, target, conversion) => {
        const c = compileConverter({ kind: 'year' }, target, conversion, undefined);
        // What the target reads back: the integer's canonical text.
        expect(c(String(year).padStart(4, '0'))).toBe(String(year));
      }),
    );
  });

  it("keeps a BLOB of a SQLite column with no declared type ('other' into 'other'), which SQLite stores among its text", () => {
    const untyped = { kind: 'other', native: '' } as const;
    const conv = compileConverter(untyped, untyped, 'none', SQLITE_VALUE_LIMITS);
    expect(conv(Buffer.from([0xde, 0xad]))).toEqual(Buffer.from([0xde, 0xad]));
    expect(conv('text')).toBe('text');
  });

  it('rejects text that is not UTF-8 (marked by the reader) under every conversion, where the same bytes as a BLOB pass', () => {
    const untyped = { kind: 'other', native: '' } as const;
    const bytes = () => Buffer.from('c328', 'hex');
    for (const [target, conversion] of [[untyped, 'none'], [text(), 'to_text'], [text(), 'cast']] as const) {
      const conv = compileConverter(untyped, target, conversion, SQLITE_VALUE_LIMITS);
      expect(conv(markInvalidText(bytes()))).toEqual(rejected('\\xc328 is not valid UTF-8 text'));
      expect(conv(bytes())).not.toHaveProperty('rejected');
    }
  });

  it('never throws: a conversion that does not apply rejects every value', () => {
    const c = compileConverter(text(), { kind: 'bool' }, 'int_to_boolean', undefined);
    expect(c('x')).toEqual(rejected('does not convert'));
    expect(c(null)).toBeNull();
  });

  it('casts exponent floats to exact decimals and offsets to UTC', () => {
    expect(compileConverter({ kind: 'float', bits: 64 }, { kind: 'decimal', precision: undefined, scale: undefined }, 'cast', undefined)('1.5e-7')).toBe('0.00000015');
    expect(compileConverter(text(), { kind: 'timestamptz', precision: 6 }, 'cast', undefined)('2024-01-01 01:30:00+02:00')).toBe('2023-12-31 23:30:00+00:00');
  });
});

describe('builtinTypeRules', () => {
  it('loads and caches per pair; pglite shares the postgres rules', async () => {
    const { builtinTypeRules } = await import('../../src/types/prelude.js');
    const a = builtinTypeRules('mysql', 'postgres');
    expect(builtinTypeRules('mysql', 'postgres')).toBe(a);
    const pglite = builtinTypeRules('mysql', 'pglite');
    expect(pglite[0]!.targetEngine).toBe('pglite');
    expect(pglite[0]!.rules.length).toBe(a[0]!.rules.length);
    // A pair without a prelude file has no built-in rules (oracle -> postgres has one now).
    expect(builtinTypeRules('sqlserver', 'oracle')).toEqual([]);
  });
});

describe('decimal narrowing under a lossy rule', () => {
  const to = (precision: number, scale: number) => compileConverter({ kind: 'decimal', precision: 12, scale: 4 }, { kind: 'decimal', precision, scale }, 'cast', undefined);
  it('rounds half away from zero, as SQL casts do', () => {
    expect(to(14, 2)('13.5795')).toBe('13.58');
    expect(to(14, 2)('13.5749')).toBe('13.57');
    expect(to(14, 2)('-13.575')).toBe('-13.58');
    expect(to(14, 2)('-0.004')).toBe('0.00');
    expect(to(14, 0)('2.5')).toBe('3');
    expect(to(4, 2)('99.999')).toEqual(expect.objectContaining({ rejected: true }));
    expect(to(6, 2)('99.999')).toBe('100.00');
  });
  it('round to the nearest value at the target scale', () => {
    fc.assert(
      fc.property(fc.integer({ min: -99999999, max: 99999999 }), fc.integer({ min: 0, max: 9999 }), (whole, frac) => {
        const text = `${whole < 0 ? '-' : ''}${Math.abs(whole)}.${String(frac).padStart(4, '0')}`;
        const out = to(14, 2)(text);
        expect(typeof out).toBe('string');
        // Exact: |out·10⁴ − text·10⁴| ≤ 50 (half a unit of the target scale), in integers.
        const units = (t: string, digits: number) => BigInt(t.replace('.', '')) * 10n ** BigInt(4 - digits);
        const diff = units(out as string, 2) - units(text, 4);
        expect(diff <= 50n && diff >= -50n).toBe(true);
      }),
    );
  });
});

describe('PostgreSQL arrays with lower bounds other than 1', () => {
  const intArray: LogicalType = { kind: 'array', element: { kind: 'int', bits: 32, unsigned: false } };
  const json: LogicalType = { kind: 'json', binary: false };
  const boundedLiteral = fc
    .tuple(fc.integer({ min: -9, max: 9 }).filter((n) => n !== 1), fc.array(fc.integer().map(String), { minLength: 1, maxLength: 4 }))
    .map(([lower, items]) => `[${lower}:${lower + items.length - 1}]={${items.join(',')}}`);

  it('are kept as their literal by a PostgreSQL target and rejected, saying why, by every other way of writing them', () => {
    fc.assert(
      fc.property(boundedLiteral, (literal) => {
        expect(compileConverter(intArray, intArray, 'none', POSTGRES_VALUE_LIMITS)(literal)).toBe(literal);
        for (const limits of [MYSQL_VALUE_LIMITS, SQLITE_VALUE_LIMITS]) {
          expect(compileConverter(intArray, intArray, 'none', limits)(literal)).toEqual(rejected('lower bounds other than 1'));
        }
        expect(compileConverter(intArray, json, 'array_to_json', MYSQL_VALUE_LIMITS)(literal)).toEqual(rejected('lower bounds other than 1'));
        expect(compileConverter(intArray, text(), 'to_text', POSTGRES_VALUE_LIMITS)(literal)).toEqual(rejected('lower bounds other than 1'));
        const bigints: LogicalType = { kind: 'array', element: { kind: 'int', bits: 64, unsigned: false } };
        // Same representation (int → int): PostgreSQL reads the literal into the wider type.
        expect(compileConverter(intArray, bigints, 'cast', POSTGRES_VALUE_LIMITS)(literal)).toBe(literal);
        expect(compileConverter(intArray, bigints, 'cast', MYSQL_VALUE_LIMITS)(literal)).toEqual(rejected('lower bounds other than 1'));
        const texts: LogicalType = { kind: 'array', element: text() };
        expect(compileConverter(intArray, texts, 'cast', POSTGRES_VALUE_LIMITS)(literal)).toEqual(rejected('lower bounds other than 1'));
        expect(compileConverter(intArray, text(), 'cast', POSTGRES_VALUE_LIMITS)(literal)).toEqual(rejected('lower bounds other than 1'));
      }),
    );
  });

  it('do not change how arrays numbered from 1 convert', () => {
    expect(compileConverter(intArray, json, 'array_to_json', MYSQL_VALUE_LIMITS)(['1', null, '-2'])).toBe('[1,null,-2]');
    expect(compileConverter(intArray, intArray, 'none', MYSQL_VALUE_LIMITS)([['1'], ['2']])).toEqual([['1'], ['2']]);
  });
});

describe('time with time zone offsets to the second', () => {
  it('casts text with a +HH:MM:SS offset to timetz, and the widest value fits the built-in MySQL column', () => {
    const timetz: LogicalType = { kind: 'time', precision: 6, withTimeZone: true };
    expect(compileConverter(text(), timetz, 'cast', POSTGRES_VALUE_LIMITS)('23:59:59.999999-15:59:59')).toBe('23:59:59.999999-15:59:59');
    expect(compileConverter(text(), timetz, 'cast', POSTGRES_VALUE_LIMITS)('00:00:00+05:30')).toBe('00:00:00+05:30');
    expect(compileConverter(timetz, text(24), 'to_text', MYSQL_VALUE_LIMITS)('23:59:59.999999-15:59:59')).toBe('23:59:59.999999-15:59:59');
  });
});
