/** Binary-protocol fields for tests: a MySQL wire date or datetime, and an arbitrary of them, awkward ones included. */
import fc from 'fast-check';

/** The first `length` bytes (0, 4, 7 or 11) of a wire datetime: year, month, day, hour, minute, second, microseconds. */
export function wireDatetime(length: number, ...parts: readonly number[]): Buffer {
  const [y = 0, m = 0, d = 0, h = 0, mi = 0, s = 0, micro = 0] = parts;
  const b = Buffer.alloc(11);
  b.writeUInt16LE(y, 0);
  b.writeUInt8(m, 2);
  b.writeUInt8(d, 3);
  b.writeUInt8(h, 4);
  b.writeUInt8(mi, 5);
  b.writeUInt8(s, 6);
  b.writeUInt32LE(micro, 7);
  return b.subarray(0, length);
}

/** A part between 0 and `max`, its two ends often (zero parts, hour 24, month 13…). */
const part = (max: number) => fc.oneof(fc.integer({ min: 1, max: max - 1 }), fc.constantFrom(0, max));

/** Wire datetimes of every length, real and not (zero dates, month 13, day 32, hour 24…); a server never sends a second or more in microseconds. */
export const wireDatetimes: fc.Arbitrary<Buffer> = fc
  .tuple(fc.constantFrom(0, 4, 7, 11), fc.integer({ min: 0, max: 10_000 }), part(13), part(32), part(24), part(60), part(60), fc.oneof(fc.integer({ min: 0, max: 999_999 }), fc.constantFrom(0, 123_000, 500_000, 1)))
  .map(([length, ...parts]) => wireDatetime(length, ...parts));

/** Wire dates: the first four bytes of a wire datetime, or none (the zero date). */
export const wireDates: fc.Arbitrary<Buffer> = wireDatetimes.map((b) => b.subarray(0, Math.min(4, b.length)));
