import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { denseIntegerSplits } from '../../src/engines/key-splits.js';

describe('denseIntegerSplits', () => {
  it('cuts a dense range into equal widths', () => {
    expect(denseIntegerSplits(1n, 100n, 100, 4)).toEqual(['25', '50', '75']);
    expect(denseIntegerSplits(1n, 1_000_000n, 1_000_000, 10)?.[0]).toBe('100000');
    expect(denseIntegerSplits(-5n, 4n, 10, 2)).toEqual(['-1']);
  });

  it('declines a sparse key, an unknown row count and a single part', () => {
    expect(denseIntegerSplits(1n, 10_000n, 100, 4)).toBeUndefined();
    expect(denseIntegerSplits(1n, 100n, -1, 4)).toBeUndefined(); // never analyzed
    expect(denseIntegerSplits(1n, 100n, Number.NaN, 4)).toBeUndefined();
    expect(denseIntegerSplits(1n, 100n, 100, 1)).toBeUndefined();
  });

  it('gives strictly increasing points inside [min, max), at most parts - 1, so the ranges cover every key once', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: 0n, max: 10_000_000n }), fc.integer({ min: 2, max: 500 }), (min, width, parts) => {
        const max = min + width;
        const splits = denseIntegerSplits(min, max, Number(width + 1n), parts);
        expect(splits).toBeDefined();
        const points = splits!.map(BigInt);
        expect(points.length).toBeLessThanOrEqual(parts - 1);
        for (let i = 0; i < points.length; i++) {
          expect(points[i]! >= min && points[i]! < max).toBe(true);
          if (i > 0) expect(points[i]! > points[i - 1]!).toBe(true);
        }
      }),
    );
  });
});
