import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { carryLiteralDefault } from '../../src/types/default-literal.js';
import type { LogicalType } from '../../src/types/logical.js';

const bool: LogicalType = { kind: 'bool' };
const int = (bits: 8 | 16 | 32 | 64, unsigned = false): LogicalType => ({ kind: 'int', bits, unsigned });
const text = (length?: number): LogicalType => ({ kind: 'text', length, fixed: false });

describe('a literal default carried to another type', () => {
  it('property: every spelling of a boolean becomes the canonical true or false', () => {
    const spell = (words: string[]) => fc.constantFrom(...words).chain((w) => fc.constantFrom(w, w.toUpperCase(), ` ${w} `));
    fc.assert(fc.property(spell(['t', 'true', 'y', 'yes', 'on', '1']), (w) => {
      expect(carryLiteralDefault(w, bool, bool, 'none', undefined)).toEqual({ text: 'true' });
    }));
    fc.assert(fc.property(spell(['f', 'false', 'n', 'no', 'off', '0']), (w) => {
      expect(carryLiteralDefault(w, bool, bool, 'none', undefined)).toEqual({ text: 'false' });
    }));
    expect(carryLiteralDefault('maybe', bool, bool, 'none', undefined)).toMatchObject({ dropped: expect.stringContaining('not a bool') });
  });

  it('a MySQL tinyint(1) default goes through int_to_boolean like its rows: 0 and 1 arrive, 2 is not carried', () => {
    expect(carryLiteralDefault('0', int(8), bool, 'int_to_boolean', undefined)).toEqual({ text: 'false' });
    expect(carryLiteralDefault('1', int(8), bool, 'int_to_boolean', undefined)).toEqual({ text: 'true' });
    expect(carryLiteralDefault('2', int(8), bool, 'int_to_boolean', undefined)).toMatchObject({ dropped: expect.stringContaining('neither 0 nor 1') });
  });

  it('property: an integer default that fits the target integer arrives as it is, one that does not is not carried', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }), (n) => {
        const carried = carryLiteralDefault(n.toString(), int(64), int(16), 'none', undefined);
        if (n >= -32768n && n <= 32767n) expect(carried).toEqual({ text: n.toString() });
        else expect(carried).toHaveProperty('dropped');
      }),
    );
  });

  it('a text default longer than the target allows, a zero date under zero_dates_to_null, and binary literals are not carried', () => {
    expect(carryLiteralDefault('abc', text(), text(3), 'none', undefined)).toEqual({ text: 'abc' });
    expect(carryLiteralDefault('abcd', text(), text(3), 'none', undefined)).toHaveProperty('dropped');
    expect(carryLiteralDefault('0000-00-00 00:00:00', { kind: 'timestamp', precision: 0 }, { kind: 'timestamp', precision: 0 }, 'zero_dates_to_null', undefined)).toEqual({ dropped: 'it becomes NULL under zero_dates_to_null' });
    expect(carryLiteralDefault('2024-02-29 10:00:00', { kind: 'timestamp', precision: 0 }, { kind: 'timestamp', precision: 0 }, 'zero_dates_to_null', undefined)).toEqual({ text: '2024-02-29 10:00:00' });
    expect(carryLiteralDefault('\\x00', { kind: 'binary', length: undefined, fixed: false }, { kind: 'binary', length: undefined, fixed: false }, 'none', undefined)).toHaveProperty('dropped');
  });
});
