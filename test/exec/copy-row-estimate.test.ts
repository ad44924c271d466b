import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryCopyRowEstimate } from '../../src/exec/copy-row-estimate.js';

/** PostgreSQL's binary COPY format: header (with an optional extension), rows, trailer. */
function binaryCopy(rows: readonly (readonly (Uint8Array | null)[])[], extension = 0): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')];
  const header = Buffer.alloc(8);
  header.writeInt32BE(extension, 4);
  parts.push(header, Buffer.alloc(extension, 7));
  for (const row of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(row.length);
    parts.push(count);
    for (const field of row) {
      const length = Buffer.alloc(4);
      length.writeInt32BE(field === null ? -1 : field.length);
      parts.push(length);
      if (field) parts.push(Buffer.from(field));
    }
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1);
  parts.push(trailer);
  return Buffer.concat(parts);
}

/** `bytes` fed in pieces cut at `cuts` (fractions of its length). */
function feedInPieces(bytes: Buffer, cuts: readonly number[]): BinaryCopyRowEstimate {
  const estimate = new BinaryCopyRowEstimate();
  const at = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...at, bytes.length]) {
    estimate.feed(bytes.subarray(from, to));
    from = to;
  }
  return estimate;
}

const field = fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null });
const row = fc.array(field, { maxLength: 6 });

describe('BinaryCopyRowEstimate', () => {
  it('counts every row of a stream within the sample exactly, however it is cut into pieces', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 200 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), fc.nat(20), (rows, cuts, extension) => {
        expect(feedInPieces(binaryCopy(rows, extension), cuts).rowsSoFar()).toBe(rows.length);
      }),
    );
  });

  it('counts the whole rows of a stream cut in the middle of a row', () => {
    const rows = [[Buffer.from('abc'), null], [Buffer.from('defgh'), Buffer.from('i')]];
    const bytes = binaryCopy(rows);
    const estimate = new BinaryCopyRowEstimate();
    estimate.feed(bytes.subarray(0, bytes.length - 4));
    expect(estimate.rowsSoFar()).toBe(1);
  });

  it('estimates the rows beyond the sample from its average row size', () => {
    // 300,000 rows of 3 fields, ~25 MB: only the first MiB is read row by row.
    const one = binaryCopy([[Buffer.alloc(8, 1), Buffer.alloc(50, 2), null]]);
    const [header, row, trailer] = [one.subarray(0, 19), one.subarray(19, -2), one.subarray(-2)];
    const bytes = Buffer.concat([header, ...Array.from({ length: 300_000 }, () => row), trailer]);
    const estimate = new BinaryCopyRowEstimate();
    for (let at = 0; at < bytes.length; at += 65_536) estimate.feed(bytes.subarray(at, at + 65_536));
    expect(Math.abs(estimate.rowsSoFar() - 300_000)).toBeLessThan(300_000 * 0.001);
    const half = new BinaryCopyRowEstimate();
    for (let at = 0; at < bytes.length / 2; at += 65_536) half.feed(bytes.subarray(at, at + 65_536));
    expect(Math.abs(half.rowsSoFar() - 150_000)).toBeLessThan(1_000);
  });
});
