import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CHUNK_TARGET_BYTES, DEFAULT_CHUNK_ROWS, defaultChunkRows, MAX_CHUNK_ROWS, MIN_CHUNK_ROWS } from '../../src/check/chunking.js';

describe('defaultChunkRows', () => {
  it('aims at CHUNK_TARGET_BYTES of source rows', () => {
    // 1M rows of ~228 bytes (the benchmark's orders on PostgreSQL): two chunks.
    const rows = defaultChunkRows({ rowEstimate: 1_000_000, bytesEstimate: 228_000_000 });
    expect(rows).toBe(Math.round(CHUNK_TARGET_BYTES / 228));
    expect(Math.ceil(1_000_000 / rows)).toBe(2);
  });

  it('falls back to a fixed count when the source gives no size or no rows', () => {
    expect(defaultChunkRows({ rowEstimate: 5_000_000 })).toBe(DEFAULT_CHUNK_ROWS);
    expect(defaultChunkRows({ rowEstimate: 0, bytesEstimate: 1_000_000 })).toBe(DEFAULT_CHUNK_ROWS);
    expect(defaultChunkRows({ rowEstimate: 1000, bytesEstimate: 0 })).toBe(DEFAULT_CHUNK_ROWS);
  });

  it('stays within its bounds, and wider rows never get more rows per chunk', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 9 }), fc.double({ min: 1, max: 1e8, noNaN: true }), fc.double({ min: 1, max: 1e8, noNaN: true }), (rows, w1, w2) => {
        const [narrow, wide] = w1 <= w2 ? [w1, w2] : [w2, w1];
        const a = defaultChunkRows({ rowEstimate: rows, bytesEstimate: rows * narrow });
        const b = defaultChunkRows({ rowEstimate: rows, bytesEstimate: rows * wide });
        for (const n of [a, b]) {
          expect(Number.isInteger(n)).toBe(true);
          expect(n).toBeGreaterThanOrEqual(MIN_CHUNK_ROWS);
          expect(n).toBeLessThanOrEqual(MAX_CHUNK_ROWS);
        }
        expect(b).toBeLessThanOrEqual(a);
      }),
    );
  });
});
