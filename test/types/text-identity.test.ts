/**
 * The promise of identityGuard: a value whose bytes pass the guard is one the converter returns
 * unchanged. Checked against compileConverter itself, on generated values of each source type —
 * ordinary ones and the awkward ones (zero dates, NUL, newlines, labels that are not labels).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConversionName } from '../../src/types/conversion-names.js';
import { compileConverter } from '../../src/types/convert.js';
import type { LogicalType } from '../../src/types/logical.js';
import { identityGuard, isDateBytes, isTimestampBytes } from '../../src/types/text-identity.js';
import { MYSQL_VALUE_LIMITS, POSTGRES_VALUE_LIMITS, type TargetValueLimits } from '../../src/types/value-limits.js';

const EXACT = { spelling: 'exact', suffix: '' } as const;
const pad = (n: number, w: number) => String(n).padStart(w, '0');

const day = fc.record({ y: fc.integer({ min: 0, max: 9999 }), m: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }) }).map(({ y, m, d }) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
const clock = (digits: number) =>
  fc
    .record({ h: fc.integer({ min: 0, max: 24 }), mi: fc.integer({ min: 0, max: 60 }), s: fc.integer({ min: 0, max: 60 }), f: fc.stringMatching(new RegExp(`^[0-9]{0,${digits}}$`)) })
    .map(({ h, mi, s, f }) => `${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${f ? `.${f}` : ''}`);
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 14 }), fc.constantFrom('', 'a\tb\nc\\d\r', 'nul\u0000here', 'Ünïcödé ✓', '東京', '😀😀😀😀😀😀😀😀😀😀x'));
const digits = (n: number) => fc.stringMatching(new RegExp(`^[1-9][0-9]{0,${n - 1}}$`));

interface Case {
  readonly name: string;
  readonly source: LogicalType;
  readonly target: LogicalType;
  readonly conversion: ConversionName;
  readonly limits: TargetValueLimits;
  readonly values: fc.Arbitrary<string>;
  readonly suffix?: string;
}

/** Integers near each of `edges` (a type's bounds), and any between the first and the last. */
const around = (edges: readonly bigint[]): fc.Arbitrary<string> =>
  fc.oneof(fc.bigInt({ min: edges[0]!, max: edges[edges.length - 1]! }), fc.constantFrom(...edges).chain((e) => fc.integer({ min: -3, max: 3 }).map((d) => e + BigInt(d)))).map(String);
const int = (bits: 8 | 16 | 32 | 64, unsigned = false): LogicalType => ({ kind: 'int', bits, unsigned });
const dec = (precision: number | undefined, scale: number | undefined): LogicalType => ({ kind: 'decimal', precision, scale });
const txt = (length: number | undefined): LogicalType => ({ kind: 'text', length, fixed: false });

const CASES: readonly Case[] = [
  { name: 'int32 → int64', source: int(32), target: int(64), conversion: 'none', limits: POSTGRES_VALUE_LIMITS, values: fc.integer().map(String) },
  { name: 'uint64 → numeric(20,0)', source: int(64, true), target: dec(20, 0), conversion: 'none', limits: POSTGRES_VALUE_LIMITS, values: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String) },
  { name: 'uint64 → int64, lossy: values above int64 take the decoded path', source: int(64, true), target: int(64), conversion: 'none', limits: POSTGRES_VALUE_LIMITS, values: around([0n, 2n ** 63n - 1n, 2n ** 64n - 1n]) },
  { name: 'int64 → int32, lossy', source: int(64), target: int(32), conversion: 'none', limits: POSTGRES_VALUE_LIMITS, values: around([-(2n ** 63n), -(2n ** 31n), 0n, 2n ** 31n - 1n, 2n ** 63n - 1n]) },
  { name: 'int32 → uint16, lossy', source: int(32), target: int(16, true), conversion: 'none', limits: MYSQL_VALUE_LIMITS, values: around([-(2n ** 31n), 0n, 2n ** 16n - 1n, 2n ** 31n - 1n]) },
  { name: 'int64 → numeric(5,2), lossy', source: int(64), target: dec(5, 2), conversion: 'none', limits: POSTGRES_VALUE_LIMITS, values: around([-(2n ** 63n), -999n, 0n, 999n, 2n ** 63n - 1n]) },
  { name: 'int64 → numeric', source: int(64), target: dec(undefined, undefined), conversion: 'cast', limits: POSTGRES_VALUE_LIMITS, values: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String) },
  {
    name: 'decimal(12,2) → decimal(14,4)',
    source: dec(12, 2),
    target: dec(14, 4),
    conversion: 'none',
    limits: POSTGRES_VALUE_LIMITS,
    values: fc.tuple(fc.boolean(), digits(10), fc.stringMatching(/^[0-9]{2}$/)).map(([neg, i, f]) => `${neg ? '-' : ''}${i}.${f}`),
  },
  { name: 'double → double', source: { kind: 'float', bits: 64 }, target: { kind: 'float', bits: 64 }, conversion: 'none', limits: POSTGRES_VALUE_LIMITS, values: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String) },
  { name: 'varchar(10) → varchar(10)', source: txt(10), target: txt(10), conversion: 'none', limits: POSTGRES_VALUE_LIMITS, values: text },
  { name: 'varchar(20) → varchar(10): longer values take the decoded path', source: txt(20), target: txt(10), conversion: 'none', limits: POSTGRES_VALUE_LIMITS, values: text },
  { name: 'varchar(10) → text', source: txt(10), target: txt(undefined), conversion: 'none', limits: POSTGRES_VALUE_LIMITS, values: text },
  { name: 'text → text on MySQL', source: txt(undefined), target: txt(undefined), conversion: 'none', limits: MYSQL_VALUE_LIMITS, values: text },
  {
    name: 'enum → enum with more labels',
    source: { kind: 'enum', values: ['paid', 'pending', 'é✓'], name: undefined },
    target: { kind: 'enum', values: ['paid', 'pending', 'é✓', 'void'], name: 't' },
    conversion: 'none',
    limits: POSTGRES_VALUE_LIMITS,
    values: fc.constantFrom('paid', 'pending', 'é✓', '', 'PAID', 'void'),
  },
  { name: 'text → enum', source: txt(20), target: { kind: 'enum', values: ['a', 'b'], name: 't' }, conversion: 'cast', limits: POSTGRES_VALUE_LIMITS, values: fc.constantFrom('a', 'b', 'c', '', 'A') },
  {
    name: 'json → jsonb',
    source: { kind: 'json', binary: false },
    target: { kind: 'json', binary: true },
    conversion: 'none',
    limits: POSTGRES_VALUE_LIMITS,
    values: fc.oneof(fc.json(), fc.constantFrom('{"a":"\\u0000"}', '["x\\u0000y"]', '{"é":"✓"}')),
  },
  {
    name: 'json → json (text kept as written: the escape \\u0000 included)',
    source: { kind: 'json', binary: false },
    target: { kind: 'json', binary: false },
    conversion: 'none',
    limits: POSTGRES_VALUE_LIMITS,
    values: fc.oneof(fc.json(), fc.constantFrom('{"a":"\\u0000"}', '["x\\u0000y"]', '{"é":"✓"}')),
  },
  { name: 'date → date', source: { kind: 'date' }, target: { kind: 'date' }, conversion: 'none', limits: POSTGRES_VALUE_LIMITS, values: day },
  { name: 'date → date, zero dates to NULL', source: { kind: 'date' }, target: { kind: 'date' }, conversion: 'zero_dates_to_null', limits: POSTGRES_VALUE_LIMITS, values: day },
  {
    name: 'datetime(3) → timestamp(3)',
    source: { kind: 'timestamp', precision: 3 },
    target: { kind: 'timestamp', precision: 3 },
    conversion: 'none',
    limits: POSTGRES_VALUE_LIMITS,
    values: fc.tuple(day, clock(4)).map(([d, t]) => `${d} ${t}`),
  },
  {
    name: 'datetime(6) → timestamp(0)',
    source: { kind: 'timestamp', precision: 6 },
    target: { kind: 'timestamp', precision: 0 },
    conversion: 'none',
    limits: POSTGRES_VALUE_LIMITS,
    values: fc.tuple(day, clock(6)).map(([d, t]) => `${d} ${t}`),
  },
  {
    name: 'TIMESTAMP read in UTC → timestamptz',
    source: { kind: 'timestamptz', precision: 6 },
    target: { kind: 'timestamptz', precision: 6 },
    conversion: 'none',
    limits: POSTGRES_VALUE_LIMITS,
    values: fc.tuple(day, clock(6)).map(([d, t]) => `${d} ${t}`),
    suffix: '+00:00',
  },
];

describe('identityGuard', () => {
  for (const c of CASES) {
    it(`${c.name}: a value the guard passes is one the converter keeps`, () => {
      const form = { spelling: 'exact' as const, suffix: c.suffix ?? '' };
      const guard = identityGuard(c.source, c.target, c.conversion, c.limits, form);
      expect(guard, 'a guard for this pair').toBeDefined();
      const convert = compileConverter(c.source, c.target, c.conversion, c.limits);
      let passed = 0;
      fc.assert(
        fc.property(c.values, (raw) => {
          const bytes = Buffer.from(`##${raw}##`, 'utf8');
          if (!guard!(bytes, 2, bytes.length - 2)) return;
          passed++;
          const canonical = raw + form.suffix;
          expect(convert(canonical)).toEqual(canonical);
        }),
        { numRuns: 300 },
      );
      expect(passed, 'the guard lets ordinary values through').toBeGreaterThan(0);
    });
  }

  it('lets the JSON escape \\u0000 through into json, not into jsonb', () => {
    const json = { kind: 'json', binary: false } as const;
    const passes = (target: LogicalType, s: string) => {
      const b = Buffer.from(s, 'utf8');
      return identityGuard(json, target, 'none', POSTGRES_VALUE_LIMITS, EXACT)!(b, 0, b.length);
    };
    expect(passes(json, '["x\\u0000y"]')).toBe(true);
    expect(passes({ kind: 'json', binary: true }, '["x\\u0000y"]')).toBe(false);
  });

  it('lets a server-spelt double through as the same value', () => {
    const guard = identityGuard({ kind: 'float', bits: 64 }, { kind: 'float', bits: 64 }, 'none', POSTGRES_VALUE_LIMITS, { spelling: 'same_value', suffix: '' });
    expect(guard).toBeDefined();
    expect(identityGuard({ kind: 'float', bits: 64 }, { kind: 'float', bits: 64 }, 'none', MYSQL_VALUE_LIMITS, { spelling: 'same_value', suffix: '' })).toBeUndefined();
  });

  it('lets every label of an enum through, and only those', () => {
    const labels = ['paid', 'void', 'pending', 'é✓', '', 'a\tb'];
    const guard = identityGuard({ kind: 'enum', values: labels, name: undefined }, { kind: 'enum', values: labels, name: 't' }, 'none', POSTGRES_VALUE_LIMITS, EXACT)!;
    const passes = (s: string) => {
      const b = Buffer.from(`#${s}#`, 'utf8');
      return guard(b, 1, b.length - 1);
    };
    for (const l of labels) expect(passes(l), l).toBe(true);
    for (const other of ['pai', 'paidx', 'vOid', 'e✓', 'a b', ' ']) expect(passes(other), other).toBe(false);
  });

  it('lets a narrower integer take every value within its bounds, and only those', () => {
    const guard = identityGuard(int(64, true), int(64), 'none', POSTGRES_VALUE_LIMITS, EXACT)!;
    const signed = identityGuard(int(64), int(32), 'none', POSTGRES_VALUE_LIMITS, EXACT)!;
    const passes = (g: typeof guard, s: string) => g(Buffer.from(s), 0, s.length);
    for (const ok of ['0', '7', '9223372036854775807', '1000000000000000000']) expect(passes(guard, ok), ok).toBe(true);
    for (const no of ['9223372036854775808', '18446744073709551615', '-9223372036854775809', '', '-', '01', '1.0', '1e3']) expect(passes(guard, no), no).toBe(false);
    for (const ok of ['-2147483648', '2147483647', '-1']) expect(passes(signed, ok), ok).toBe(true);
    for (const no of ['-2147483649', '2147483648', '-0', '-01']) expect(passes(signed, no), no).toBe(false);
  });

  it('gives no guard where the converter changes or checks more than bytes can tell', () => {
    const none = (s: LogicalType, t: LogicalType, conversion: ConversionName = 'none', limits: TargetValueLimits = POSTGRES_VALUE_LIMITS) => identityGuard(s, t, conversion, limits, EXACT);
    expect(none(dec(12, 2), dec(10, 2))).toBeUndefined();
    expect(none(dec(12, 4), dec(12, 2))).toBeUndefined(); // rounds
    expect(none({ kind: 'float', bits: 64 }, { kind: 'float', bits: 32 })).toBeUndefined();
    expect(none(int(8), { kind: 'bool' }, 'int_to_boolean')).toBeUndefined();
    expect(none({ kind: 'date' }, { kind: 'date' }, 'none', MYSQL_VALUE_LIMITS)).toBeUndefined(); // date ranges
    expect(none({ kind: 'timestamptz', precision: 6 }, { kind: 'timestamptz', precision: 6 })).toBeUndefined(); // no suffix: not this source's form
    expect(none(txt(10), txt(10), 'to_text')).toBeUndefined();
  });
});

describe('date and timestamp bytes', () => {
  it('accepts exactly the real calendar dates', () => {
    fc.assert(
      fc.property(day, (d) => {
        const real = !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d) && !d.startsWith('0000');
        expect(isDateBytes(Buffer.from(d), 0)).toBe(real);
      }),
      { numRuns: 500 },
    );
  });

  it('checks times and fraction digits', () => {
    const ok = (s: string, p: number) => isTimestampBytes(Buffer.from(s), 0, s.length, p);
    expect(ok('2024-02-29 23:59:59.123', 3)).toBe(true);
    expect(ok('2024-02-29 23:59:59.123', 2)).toBe(false);
    expect(ok('2023-02-29 10:00:00', 0)).toBe(false);
    expect(ok('2024-01-01 24:00:00', 0)).toBe(false);
    expect(ok('2024-01-01 10:00:00.', 6)).toBe(false);
    expect(ok('0000-00-00 00:00:00', 6)).toBe(false);
  });
});

