/**
 * Text-protocol row packets → RawTextRows: where each field's bytes are, nothing decoded. A row
 * packet is one length-encoded string per column (0xFB for NULL); the length is one byte below
 * 0xFB, or 0xFC/0xFD/0xFE followed by 2, 3 or 8 little-endian bytes.
 */
import type { RawTextRows } from '../contract.js';
import { BATCH_BYTES } from '../batch-bytes.js';

export class RawBatchBuilder {
  private count = 0;
  private bytes = 0;
  private readonly buffers: Buffer[] = [];
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  constructor(
    private readonly width: number,
    private readonly capacity: number,
  ) {
    this.starts = new Int32Array(width * capacity);
    this.ends = new Int32Array(width * capacity);
  }

  /** Records the fields of the row packet whose payload is buf[start, end). */
  add(buf: Buffer, start: number, end: number): void {
    const { starts, ends, width } = this;
    const base = this.count * width;
    let p = start;
    for (let f = 0; f < width; f++) {
      const first = buf[p]!;
      let length: number;
      if (first < 0xfb) {
        length = first;
        p += 1;
      } else if (first === 0xfb) {
        starts[base + f] = -1;
        ends[base + f] = -1;
        p += 1;
        continue;
      } else if (first === 0xfc) {
        length = buf[p + 1]! | (buf[p + 2]! << 8);
        p += 3;
      } else if (first === 0xfd) {
        length = buf[p + 1]! | (buf[p + 2]! << 8) | (buf[p + 3]! << 16);
        p += 4;
      } else {
        length = buf.readUInt32LE(p + 1) + buf.readUInt32LE(p + 5) * 2 ** 32;
        p += 9;
      }
      starts[base + f] = p;
      ends[base + f] = p + length;
      p += length;
    }
    if (p > end) throw new Error(`bug: a row packet of ${end - start} bytes holds more than ${width} fields`);
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
