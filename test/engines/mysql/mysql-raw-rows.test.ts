/** Text-protocol row packets: every length encoding and NULL land at the right offsets. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BATCH_BYTES } from '../../../src/engines/batch-bytes.js';
import { RawBatchBuilder } from '../../../src/engines/mysql/mysql-raw-rows.js';

/** A length-encoded string as the server sends it, or 0xFB for NULL. */
function field(value: Buffer | null, wide: boolean): Buffer {
  if (value === null) return Buffer.from([0xfb]);
  const n = value.length;
  let head: Buffer;
  if (n < 0xfb && !wide) head = Buffer.from([n]);
  else if (n < 0x10000) head = Buffer.from([0xfc, n & 0xff, n >> 8]);
  else if (n < 0x1000000) head = Buffer.from([0xfd, n & 0xff, (n >> 8) & 0xff, n >> 16]);
  else {
    head = Buffer.alloc(9);
    head[0] = 0xfe;
    head.writeUInt32LE(n, 1);
  }
  return Buffer.concat([head, value]);
}

describe('RawBatchBuilder', () => {
  it('finds every field of every row', () => {
    const value = fc.option(fc.oneof(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), fc.integer({ min: 70_000, max: 70_100 }).map((n) => Buffer.alloc(n, n & 0xff))));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }).chain((width) => fc.array(fc.array(fc.tuple(value, fc.boolean()), { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 })), (rows) => {
        const width = rows[0]!.length;
        const batch = new RawBatchBuilder(width, rows.length);
        for (const r of rows) {
          // A packet sits inside a larger buffer, after a 4-byte header, as mysql2 hands it over.
          const payload = Buffer.concat(r.map(([v, wide]) => field(v, wide)));
          const packet = Buffer.concat([Buffer.from([1, 2, 3, 4, 9, 9]), payload, Buffer.from([7])]);
          batch.add(packet, 6, 6 + payload.length);
        }
        expect(batch.full()).toBe(true);
        const built = batch.build();
        expect(built.count).toBe(rows.length);
        rows.forEach((r, i) =>
          r.forEach(([v], f) => {
            const start = built.starts[i * width + f]!;
            if (v === null) expect(start).toBe(-1);
            else expect(built.buffers[i]!.subarray(start, built.ends[i * width + f]!).equals(v)).toBe(true);
          }),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('reads 8-byte lengths', () => {
    const payload = Buffer.concat([Buffer.from([0xfe, 3, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('abc')]);
    const batch = new RawBatchBuilder(1, 1);
    batch.add(payload, 0, payload.length);
    const b = batch.build();
    expect(b.buffers[0]!.toString('latin1', b.starts[0], b.ends[0])).toBe('abc');
  });

  it('is full at its row count or at BATCH_BYTES of row packets, whichever comes first: wide rows travel a few at a time', () => {
    const wide = field(Buffer.alloc(3 * 1024 * 1024, 1), false);
    const batch = new RawBatchBuilder(1, 2000);
    const rowsToFill = Math.ceil(BATCH_BYTES / wide.length);
    for (let i = 1; i <= rowsToFill; i++) {
      expect(batch.full()).toBe(false);
      batch.add(wide, 0, wide.length);
    }
    expect(batch.full()).toBe(true);
    expect(batch.build().count).toBe(rowsToFill);
  });
});
