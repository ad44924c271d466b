import { describe, expect, it } from 'vitest';
import type { ConversionName } from '../../src/types/conversion-names.js';
import { analyseFit } from '../../src/types/lossiness.js';
import type { LogicalType } from '../../src/types/logical.js';

const int = (bits: 8 | 16 | 24 | 32 | 64, unsigned = false): LogicalType => ({ kind: 'int', bits, unsigned });
const dec = (precision: number | undefined, scale?: number): LogicalType => ({ kind: 'decimal', precision, scale });
const text = (length?: number, fixed = false): LogicalType => ({ kind: 'text', length, fixed });
const ts = (precision: number): LogicalType => ({ kind: 'timestamp', precision });
const tstz = (precision: number): LogicalType => ({ kind: 'timestamptz', precision });

const cases: readonly [string, LogicalType, LogicalType, ConversionName, boolean][] = [
  ['int8 → int16', int(8), int(16), 'none', true],
  ['int16 → int8', int(16), int(8), 'none', false],
  ['uint32 → int32', int(32, true), int(32), 'none', false],
  ['uint32 → int64', int(32, true), int(64), 'none', true],
  ['int8 → uint64', int(8), int(64, true), 'none', false],
  ['uint64 → decimal(20,0)', int(64, true), dec(20, 0), 'none', true],
  ['uint64 → decimal(19,0)', int(64, true), dec(19, 0), 'none', false],
  ['int64 → decimal(19,0)', int(64), dec(19, 0), 'none', true],
  ['int24 → decimal(7,0)', int(24), dec(7, 0), 'none', true],
  ['decimal(10,2) → decimal(12,4)', dec(10, 2), dec(12, 4), 'none', true],
  ['decimal(10,2) → decimal(10,3)', dec(10, 2), dec(10, 3), 'none', false],
  ['decimal(10,2) → decimal(10,1)', dec(10, 2), dec(10, 1), 'none', false],
  ['decimal(65,30) → unbounded', dec(65, 30), dec(undefined), 'none', true],
  ['unbounded → decimal(65,30)', dec(undefined), dec(65, 30), 'none', false],
  ['decimal(5,0) → int16', dec(5, 0), int(16), 'cast', false],
  ['decimal(4,0) → int16', dec(4, 0), int(16), 'cast', true],
  ['float32 → float64', { kind: 'float', bits: 32 }, { kind: 'float', bits: 64 }, 'none', true],
  ['float64 → float32', { kind: 'float', bits: 64 }, { kind: 'float', bits: 32 }, 'none', false],
  ['int32 → float64', int(32), { kind: 'float', bits: 64 }, 'cast', true],
  ['int64 → float64', int(64), { kind: 'float', bits: 64 }, 'cast', false],
  ['varchar(10) → varchar(20)', text(10), text(20), 'none', true],
  ['varchar(20) → varchar(10)', text(20), text(10), 'none', false],
  ['text → varchar(10)', text(), text(10), 'none', false],
  ['varchar(5) → char(5)', text(5), text(5, true), 'none', false],
  ['char(5) → varchar(5)', text(5, true), text(5), 'none', true],
  ['varbinary(4) → blob', { kind: 'binary', length: 4, fixed: false }, { kind: 'binary', length: undefined, fixed: false }, 'none', true],
  ['blob → varbinary(4)', { kind: 'binary', length: undefined, fixed: false }, { kind: 'binary', length: 4, fixed: false }, 'none', false],
  ['timestamp(6) → timestamp(3)', ts(6), ts(3), 'none', false],
  ['timestamp(3) → timestamp(6)', ts(3), ts(6), 'none', true],
  ['timestamptz → timestamp without zone rule', tstz(6), ts(6), 'cast', false],
  ['timestamptz → timestamp with timestamptz_to_utc', tstz(6), ts(6), 'timestamptz_to_utc', true],
  ['timestamp → timestamptz with zero_dates_to_null', ts(6), tstz(6), 'zero_dates_to_null', true],
  ['date → date with zero_dates_to_null', { kind: 'date' }, { kind: 'date' }, 'zero_dates_to_null', true],
  ['timestamp → date', ts(0), { kind: 'date' }, 'zero_dates_to_null', false],
  ['MySQL TIME → interval', { kind: 'interval', precision: 6 }, { kind: 'interval', precision: 6 }, 'time_to_interval', true],
  ['time(6) → interval(0)', { kind: 'time', precision: 6, withTimeZone: false }, { kind: 'interval', precision: 0 }, 'time_to_interval', false],
  ['interval → time', { kind: 'interval', precision: 6 }, { kind: 'time', precision: 6, withTimeZone: false }, 'interval_to_time', false],
  ['enum → text long enough', { kind: 'enum', values: ['small', 'large'], name: undefined }, text(5), 'none', true],
  ['enum → text too short', { kind: 'enum', values: ['small', 'medium'], name: undefined }, text(5), 'none', false],
  ['enum → enum missing label', { kind: 'enum', values: ['a', 'b'], name: undefined }, { kind: 'enum', values: ['a'], name: 'e' }, 'none', false],
  ['set → text[]', { kind: 'set', values: ['x', 'y'] }, { kind: 'array', element: text() }, 'set_to_array', true],
  ['set → json', { kind: 'set', values: ['x'] }, { kind: 'json', binary: true }, 'array_to_json', true],
  ['json → jsonb', { kind: 'json', binary: false }, { kind: 'json', binary: true }, 'none', true],
  ['json → text', { kind: 'json', binary: true }, text(), 'json_to_text', true],
  ['text → json', text(), { kind: 'json', binary: true }, 'cast', false],
  ['uuid → char(36)', { kind: 'uuid' }, text(36, true), 'uuid_to_text', true],
  ['uuid → varchar(35)', { kind: 'uuid' }, text(35), 'uuid_to_text', false],
  ['bool → int8', { kind: 'bool' }, int(8), 'cast', true],
  ['int8 → bool', int(8), { kind: 'bool' }, 'int_to_boolean', true],
  ['year → int16', { kind: 'year' }, int(16), 'none', true],
  ['year → int8', { kind: 'year' }, int(8), 'none', false],
  ['bit(1) → bool', { kind: 'bit', length: 1, varying: false }, { kind: 'bool' }, 'bit_to_boolean', true],
  ['bit(2) → bool', { kind: 'bit', length: 2, varying: false }, { kind: 'bool' }, 'bit_to_boolean', false],
  ['other → text', { kind: 'other', native: 'geometry' }, text(), 'cast', true],
  ['int64 → varchar(20)', int(64), text(20), 'to_text', true],
  ['int64 → varchar(19)', int(64), text(19), 'to_text', false],
  ['unbounded decimal → longtext', dec(undefined), text(4294967295), 'cast', true],
  ['int[] → bigint[]', { kind: 'array', element: int(32) }, { kind: 'array', element: int(64) }, 'none', true],
];

describe('analyseFit', () => {
  it.each(cases)('%s', (_name, source, target, conversion, lossless) => {
    const fit = analyseFit(source, target, conversion);
    expect(fit.lossless).toBe(lossless);
    if (!fit.lossless) expect(fit.reason.length).toBeGreaterThan(10);
  });

  it('says what is lost in words', () => {
    expect(analyseFit(ts(6), ts(3), 'none')).toEqual({ lossless: false, reason: 'the source keeps microseconds; the target keeps milliseconds' });
    expect(analyseFit(int(64, true), dec(19, 0), 'none')).toEqual({ lossless: false, reason: 'uint64 needs 20 integer digits; decimal(19,0) keeps 19' });
  });

  it('is lossy when the conversion does not apply', () => {
    expect(analyseFit(text(), { kind: 'bool' }, 'int_to_boolean').lossless).toBe(false);
  });
});
