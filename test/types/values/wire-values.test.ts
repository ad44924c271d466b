/** Reading binary-protocol fields: integers of every width and sign, and the text of dates and times. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fractionUnit, isWireDate, isWireDatetime, wireInt, wireText } from '../../../src/types/values/wire-values.js';
import { wireDatetime } from '../../support/wire-fields.js';

describe('wireInt', () => {
  it('reads every width and sign as Buffer does, as a number wherever a double holds it exactly', () => {
    fc.assert(
      fc.property(fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const), fc.boolean(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (bytes, unsigned, raw) => {
        const b = Buffer.alloc(9);
        b.writeBigUInt64LE(raw, 1);
        const expected = unsigned ? BigInt.asUintN(bytes * 8, raw) : BigInt.asIntN(bytes * 8, raw);
        const v = wireInt(b, 1, bytes, unsigned);
        expect(BigInt(v)).toBe(expected);
        expect(typeof v).toBe(expected >= -(2n ** 53n) && expected < 2n ** 53n ? 'number' : 'bigint');
      }),
      { numRuns: 500 },
    );
  });
});

describe('wireText', () => {
  const datetime = wireDatetime;
  const text = (b: Buffer, precision: number) => wireText({ kind: 'datetime' }, b, 0, b.length, precision);

  it('spells dates and datetimes as the server does, zero dates and the declared fraction digits included', () => {
    expect(wireText({ kind: 'date' }, Buffer.alloc(0), 0, 0, 0)).toBe('0000-00-00');
    expect(wireText({ kind: 'date' }, datetime(4, 2024, 2, 9), 0, 4, 0)).toBe('2024-02-09');
    expect(text(datetime(0), 3)).toBe('0000-00-00 00:00:00.000');
    expect(text(datetime(4, 999, 12, 31), 0)).toBe('0999-12-31 00:00:00');
    expect(text(datetime(7, 2024, 1, 2, 3, 4, 5), 6)).toBe('2024-01-02 03:04:05.000000');
    expect(text(datetime(11, 2024, 1, 2, 3, 4, 5, 120_000), 3)).toBe('2024-01-02 03:04:05.120');
    expect(text(datetime(11, 2024, 1, 2, 3, 4, 5, 7), 6)).toBe('2024-01-02 03:04:05.000007');
  });

  it('spells a double as JavaScript does, and negative zero as -0', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        const b = Buffer.alloc(8);
        b.writeDoubleLE(x);
        const t = wireText({ kind: 'float64' }, b, 0, 8, 0);
        expect(Object.is(Number(t), x)).toBe(true);
      }),
    );
  });

  it('checks dates and times as real ones, with no more fraction than kept', () => {
    expect(isWireDate(datetime(4, 2024, 2, 29), 0, 4)).toBe(true);
    expect(isWireDate(datetime(4, 2023, 2, 29), 0, 4)).toBe(false);
    expect(isWireDate(datetime(0), 0, 0)).toBe(false);
    expect(isWireDate(datetime(4, 2024, 0, 1), 0, 4)).toBe(false);
    expect(isWireDatetime(datetime(11, 2024, 1, 1, 23, 59, 59, 123_000), 0, 11, fractionUnit(3))).toBe(true);
    expect(isWireDatetime(datetime(11, 2024, 1, 1, 23, 59, 59, 123_400), 0, 11, fractionUnit(3))).toBe(false);
    expect(isWireDatetime(datetime(7, 2024, 1, 1, 24, 0, 0), 0, 7, fractionUnit(0))).toBe(false);
    expect(isWireDatetime(datetime(4, 2024, 1, 1), 0, 4, fractionUnit(0))).toBe(true);
  });
});
