/**
 * Text-protocol row packets → RawTextRows: where each field's bytes are, nothing decoded. A row
 * packet is one length-encoded string per column (0xFB for NULL); the length is one byte below
 * 0xFB, or 0xFC/0xFD/0xFE followed by 2, 3 or 8 little-endian bytes.
 */
import type { RawTextRows } from '../contract.js';
import { BATCH_BYTES } from '../batch-bytes.js';

/** The length a length-encoded string at `p` declares (its first byte is not 0xFB, NULL). */
function encodedLength(buf: Buffer, p: number): number {
  const first = buf[p]!;
  if (first < 0xfb) return first;
  if (first === 0xfc) return buf[p + 1]! | (buf[p + 2]! << 8);
  if (first === 0xfd) return buf[p + 1]! | (buf[p + 2]! << 8) | (buf[p + 3]! << 16);
  return buf.readUInt32LE(p + 1) + buf.readUInt32LE(p + 5) * 2 ** 32;
}

/** The bytes of a length-encoded string's length, by its first byte. */
function lengthHeader(first: number): number {
  return first < 0xfb ? 1 : first === 0xfc ? 3 : first === 0xfd ? 4 : 9;
}

/** A batch of row packets being recorded: their buffers and each field's range, up to a capacity. */
abstract class RowRanges {
  protected count = 0;
  private bytes = 0;
  private readonly buffers: Buffer[] = [];
  protected readonly starts: Int32Array;
  protected readonly ends: Int32Array;

  constructor(
    protected readonly width: number,
    private readonly capacity: number,
  ) {
    this.starts = new Int32Array(width * capacity);
    this.ends = new Int32Array(width * capacity);
  }

  /** Closes the row packet buf[start, end) whose fields were read up to `p`. */
  protected recorded(buf: Buffer, start: number, end: number, p: number): void {
    if (p > end) throw new Error(`bug: a row packet of ${end - start} bytes holds more than ${this.width} fields`);
    this.buffers.push(buf);
    this.count++;
    this.bytes += end - start;
  }

  full(): boolean {
    return this.count >= this.capacity || this.bytes >= BATCH_BYTES;
  }

  build(): RawTextRows {
    return { count: this.count, width: this.width, buffers: this.buffers, starts: this.starts, ends: this.ends };
  }
}

export class RawBatchBuilder extends RowRanges {
  /** Records the fields of the row packet whose payload is buf[start, end). */
  add(buf: Buffer, start: number, end: number): void {
    const { starts, ends, width } = this;
    const base = this.count * width;
    let p = start;
    for (let f = 0; f < width; f++) {
      if (buf[p] === 0xfb) {
        starts[base + f] = -1;
        ends[base + f] = -1;
        p += 1;
        continue;
      }
      const length = encodedLength(buf, p);
      p += lengthHeader(buf[p]!);
      starts[base + f] = p;
      ends[base + f] = p + length;
      p += length;
    }
    this.recorded(buf, start, end, p);
  }
}

/**
 * How a field is laid out in a binary-protocol row, from its column type: a fixed number of bytes
 * (1, 2, 4, 8), none (the NULL type), or TEMPORAL — a length byte then that many bytes — or
 * LENGTH_ENCODED, as in the text protocol.
 */
export const TEMPORAL = -1;
export const LENGTH_ENCODED = -2;

/** The layout of a column of MySQL type code `type` in a binary-protocol row. */
export function binaryFieldLayout(type: number): number {
  switch (type) {
    case 1: // TINY
      return 1;
    case 2: // SHORT
    case 13: // YEAR
      return 2;
    case 3: // LONG
    case 9: // INT24
    case 4: // FLOAT
      return 4;
    case 8: // LONGLONG
    case 5: // DOUBLE
      return 8;
    case 6: // NULL
      return 0;
    case 7: // TIMESTAMP
    case 10: // DATE
    case 11: // TIME
    case 12: // DATETIME
    case 14: // NEWDATE
      return TEMPORAL;
    default:
      return LENGTH_ENCODED;
  }
}

/**
 * Binary-protocol row packets (prepared statements) → RawTextRows: a header byte, a NULL bitmap
 * whose bits start at the third, then each non-NULL field laid out by its column's type. A temporal
 * field's range leaves out its length byte (so its length is 0, 4, 7, 8, 11 or 12).
 */
export class BinaryRawBatchBuilder extends RowRanges {
  private readonly bitmapBytes: number;

  constructor(
    private readonly layouts: Int8Array,
    capacity: number,
  ) {
    super(layouts.length, capacity);
    this.bitmapBytes = (layouts.length + 7 + 2) >> 3;
  }

  add(buf: Buffer, start: number, end: number): void {
    const { starts, ends, layouts } = this;
    const width = layouts.length;
    const base = this.count * width;
    const bitmap = start + 1;
    let p = bitmap + this.bitmapBytes;
    // The NULL bits, eight fields' worth at a time (the first byte's first two bits are not fields').
    let bits = buf[bitmap]! >> 2;
    let left = 6;
    let next = bitmap + 1;
    for (let f = 0; f < width; f++) {
      if (left === 0) {
        bits = buf[next++]!;
        left = 8;
      }
      const isNull = bits & 1;
      bits >>= 1;
      left--;
      if (isNull) {
        starts[base + f] = -1;
        ends[base + f] = -1;
        continue;
      }
      const layout = layouts[f]!;
      let length: number;
      if (layout >= 0) {
        length = layout;
      } else if (layout === TEMPORAL) {
        length = buf[p]!;
        p += 1;
      } else {
        length = encodedLength(buf, p);
        p += lengthHeader(buf[p]!);
      }
      starts[base + f] = p;
      ends[base + f] = p + length;
      p += length;
    }
    this.recorded(buf, start, end, p);
  }
}
