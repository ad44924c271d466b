/**
 * The promise of wireIdentity: a field whose bytes pass the check is one whose canonical value
 * (wireText, what the text protocol would have sent) the converter returns unchanged. Checked
 * against compileConverter itself, on generated fields of each form — ordinary ones and the awkward
 * ones (zero dates, values past the target's bounds, fractions the target does not keep).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConversionName } from '../../src/types/conversion-names.js';
import { compileConverter } from '../../src/types/convert.js';
import type { LogicalType } from '../../src/types/logical.js';
import { MYSQL_VALUE_LIMITS, POSTGRES_VALUE_LIMITS, type TargetValueLimits } from '../../src/types/value-limits.js';
import { wireText, type WireForm } from '../../src/types/values/wire-values.js';
import { wireIdentity } from '../../src/types/wire-identity.js';
import { wireDates, wireDatetimes } from '../support/wire-fields.js';

interface Case {
  readonly name: string;
  readonly source: LogicalType;
  readonly target: LogicalType;
  readonly conversion: ConversionName;
  readonly limits: TargetValueLimits;
  readonly form: WireForm;
  readonly fields: fc.Arbitrary<Buffer>;
  readonly suffix?: string;
}

const int = (bits: 8 | 16 | 32 | 64, unsigned = false): LogicalType => ({ kind: 'int', bits, unsigned });
const le = (bytes: 1 | 2 | 4 | 8) => fc.bigInt({ min: 0n, max: 2n ** BigInt(bytes * 8) - 1n }).map((v) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return b.subarray(0, bytes);
});
const datetimeField = wireDatetimes;
const dateField = wireDates;
const double = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return b;
});

const CASES: readonly Case[] = [
  { name: 'int32 → int64', source: int(32), target: int(64), conversion: 'none', limits: POSTGRES_VALUE_LIMITS, form: { kind: 'int', bytes: 4, unsigned: false }, fields: le(4) },
  { name: 'uint64 → numeric(20,0)', source: int(64, true), target: { kind: 'decimal', precision: 20, scale: 0 }, conversion: 'none', limits: POSTGRES_VALUE_LIMITS, form: { kind: 'int', bytes: 8, unsigned: true }, fields: le(8) },
  { name: 'uint64 → int64, lossy', source: int(64, true), target: int(64), conversion: 'none', limits: POSTGRES_VALUE_LIMITS, form: { kind: 'int', bytes: 8, unsigned: true }, fields: le(8) },
  { name: 'int64 → int16, lossy', source: int(64), target: int(16), conversion: 'none', limits: POSTGRES_VALUE_LIMITS, form: { kind: 'int', bytes: 8, unsigned: false }, fields: fc.oneof(le(8), fc.integer({ min: -40_000, max: 40_000 }).map((v) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(v)); return b; })) },
  { name: 'int32 → numeric(6,2), lossy', source: int(32), target: { kind: 'decimal', precision: 6, scale: 2 }, conversion: 'none', limits: POSTGRES_VALUE_LIMITS, form: { kind: 'int', bytes: 4, unsigned: false }, fields: fc.integer({ min: -20_000, max: 20_000 }).map((v) => { const b = Buffer.alloc(4); b.writeInt32LE(v); return b; }) },
  { name: 'double → double', source: { kind: 'float', bits: 64 }, target: { kind: 'float', bits: 64 }, conversion: 'none', limits: POSTGRES_VALUE_LIMITS, form: { kind: 'float64' }, fields: double },
  { name: 'date → date', source: { kind: 'date' }, target: { kind: 'date' }, conversion: 'none', limits: POSTGRES_VALUE_LIMITS, form: { kind: 'date' }, fields: dateField },
  { name: 'date → date, zero dates to NULL', source: { kind: 'date' }, target: { kind: 'date' }, conversion: 'zero_dates_to_null', limits: POSTGRES_VALUE_LIMITS, form: { kind: 'date' }, fields: dateField },
  { name: 'datetime(3) → timestamp(3)', source: { kind: 'timestamp', precision: 3 }, target: { kind: 'timestamp', precision: 3 }, conversion: 'zero_dates_to_null', limits: POSTGRES_VALUE_LIMITS, form: { kind: 'datetime' }, fields: datetimeField },
  { name: 'datetime(0) → timestamp(6)', source: { kind: 'timestamp', precision: 0 }, target: { kind: 'timestamp', precision: 6 }, conversion: 'none', limits: POSTGRES_VALUE_LIMITS, form: { kind: 'datetime' }, fields: datetimeField },
  { name: 'TIMESTAMP(6) read in UTC → timestamptz(6)', source: { kind: 'timestamptz', precision: 6 }, target: { kind: 'timestamptz', precision: 6 }, conversion: 'none', limits: POSTGRES_VALUE_LIMITS, form: { kind: 'datetime' }, fields: datetimeField, suffix: '+00:00' },
];

const precisionOf = (t: LogicalType) => (t.kind === 'timestamp' || t.kind === 'timestamptz' ? t.precision : 0);

describe('wireIdentity', () => {
  for (const c of CASES) {
    it(`${c.name}: a field the check passes is one whose value the converter keeps`, () => {
      const identity = wireIdentity(c.source, c.target, c.conversion, c.limits, c.form);
      expect(identity, 'a check for this pair').toBeDefined();
      const convert = compileConverter(c.source, c.target, c.conversion, c.limits);
      let passed = 0;
      fc.assert(
        fc.property(c.fields, (field) => {
          const bytes = Buffer.concat([Buffer.from('##'), field, Buffer.from('##')]);
          if (identity!.shape && !identity!.shape(bytes, 2, bytes.length - 2)) return;
          passed++;
          const canonical = wireText(c.form, field, 0, field.length, precisionOf(c.source)) + (c.suffix ?? '');
          expect(convert(canonical)).toEqual(canonical);
        }),
        { numRuns: 400 },
      );
      expect(passed, 'the check lets ordinary values through').toBeGreaterThan(0);
    });
  }

  it('gives no check where the converter changes or checks more than the bytes can tell', () => {
    const none = (s: LogicalType, t: LogicalType, form: WireForm, conversion: ConversionName = 'none', limits: TargetValueLimits = POSTGRES_VALUE_LIMITS) => wireIdentity(s, t, conversion, limits, form);
    expect(none({ kind: 'timestamp', precision: 6 }, { kind: 'timestamp', precision: 0 }, { kind: 'datetime' })).toBeUndefined(); // rounds
    expect(none({ kind: 'date' }, { kind: 'date' }, { kind: 'date' }, 'none', MYSQL_VALUE_LIMITS)).toBeUndefined(); // date ranges
    expect(none({ kind: 'float', bits: 32 }, { kind: 'float', bits: 64 }, { kind: 'float64' })).toBeUndefined(); // a float's text is not the double's
    expect(none({ kind: 'bool' }, { kind: 'bool' }, { kind: 'int', bytes: 1, unsigned: false })).toBeUndefined();
    expect(none(int(32), { kind: 'text', length: undefined, fixed: false }, { kind: 'int', bytes: 4, unsigned: false }, 'to_text')).toBeUndefined();
  });
});
