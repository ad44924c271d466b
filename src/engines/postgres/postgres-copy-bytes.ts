/**
 * COPY text data built as bytes, field by field (the RawTextWriter of the contract): a value the
 * source already sent as its canonical text is escaped straight from the source's buffer, never
 * made into a JS string — four bytes at a time where none needs an escape or a check, byte by byte
 * elsewhere; any other value goes through the column's canonical encoder (postgres-copy-text.ts).
 * Rows are collected into chunks of about 64 KB (copy-chunk-buffer.ts).
 */
import type { CopyFormat, RawTextWriter, WriteColumn } from '../contract.js';
import { jsonNulEscapeAt, utf8SequenceLength, type ByteRule } from '../../types/byte-rules.js';
import type { Value } from '../../types/logical.js';
import { CopyChunkBuffer } from './copy-chunk-buffer.js';
import { copyEncoderFor, type FieldEncoder } from './postgres-copy-text.js';

const TAB = 0x09;
const NEWLINE = 0x0a;
const CR = 0x0d;
const BACKSLASH = 0x5c;
const HEX = Buffer.from('0123456789abcdef', 'latin1');
/*
 * Four bytes at a time: a source word is read as one 32-bit integer and tested with the classic
 * word-at-a-time bit tricks, each exact for "is there any such byte": the high bit of a byte of
 *   (w - 0x0101…01 * n) & ~w   is set for a byte below n (n at most 0x80; the lowest one at least),
 *   w                          is set for a byte of 0x80 or more,
 * and a backslash is a zero byte of w ^ 0x5c5c5c5c. The tests are written out where they are used:
 * as calls to small helpers, the loops ran a tenth slower.
 */

export class CopyTextWriter extends CopyChunkBuffer implements RawTextWriter {
  readonly format: CopyFormat = 'text';
  private readonly encoders: readonly FieldEncoder[];

  constructor(columns: readonly WriteColumn[], table: string) {
    super();
    this.encoders = columns.map((c) => copyEncoderFor(c.logical, c.name, table));
  }

  text(buf: Buffer, start: number, end: number, suffix: string): void {
    this.separate();
    // Worst case every byte is escaped into two.
    this.reserve(2 * (end - start) + suffix.length);
    const out = this.out;
    const outWords = this.outWords;
    const words = this.wordsOfSource(buf);
    let p = this.pos;
    for (let i = start; i < end; i++) {
      if (i + 4 <= end) {
        const word = words.getInt32(i, true);
        const backslashes = word ^ 0x5c5c5c5c;
        // None below 0x0e (TAB, LF and CR are) and no backslash: the four bytes stay as they are.
        if (((((word - 0x0e0e0e0e) & ~word) | ((backslashes - 0x01010101) & ~backslashes)) & 0x80808080) === 0) {
          outWords.setInt32(p, word, true);
          p += 4;
          i += 3;
          continue;
        }
      }
      const b = buf[i]!;
      // One comparison for the common case: every byte that needs an escape is below 0x5d.
      if (b > BACKSLASH || (b !== BACKSLASH && b !== NEWLINE && b !== CR && b !== TAB)) out[p++] = b;
      else {
        out[p++] = BACKSLASH;
        out[p++] = b === BACKSLASH ? BACKSLASH : b === NEWLINE ? 0x6e : b === CR ? 0x72 : 0x74;
      }
    }
    for (let i = 0; i < suffix.length; i++) out[p++] = suffix.charCodeAt(i);
    this.pos = p;
  }

  checkedText(buf: Buffer, start: number, end: number, suffix: string, rule: ByteRule): boolean {
    if (rule === 'any') {
      this.text(buf, start, end, suffix);
      return true;
    }
    // Room first, so that the field can be taken back by resetting two counters (reserve may move
    // the row under way to a new buffer).
    this.reserve(1 + 2 * (end - start) + suffix.length);
    const mark = this.pos;
    const fields = this.fields;
    this.separate();
    const noNul = rule === 'utf8_no_nul';
    const json = rule === 'json_utf8_no_nul_escape';
    const out = this.out;
    const outWords = this.outWords;
    const words = this.wordsOfSource(buf);
    let p = this.pos;
    for (let i = start; i < end; i++) {
      if (i + 4 <= end) {
        const word = words.getInt32(i, true);
        const backslashes = word ^ 0x5c5c5c5c;
        // Printable ASCII and no backslash: the four bytes stay as they are and follow every rule.
        if (((word | ((word - 0x20202020) & ~word) | ((backslashes - 0x01010101) & ~backslashes)) & 0x80808080) === 0) {
          outWords.setInt32(p, word, true);
          p += 4;
          i += 3;
          continue;
        }
      }
      const b = buf[i]!;
      // Printable ASCII but the backslash, the common case: as it is.
      if (b >= 0x20 && b < 0x80 && b !== BACKSLASH) {
        out[p++] = b;
      } else if (b >= 0x80) {
        const n = utf8SequenceLength(buf, i, end);
        if (n === 0) return this.takeBack(mark, fields);
        out[p++] = b;
        out[p++] = buf[i + 1]!;
        if (n > 2) out[p++] = buf[i + 2]!;
        if (n > 3) out[p++] = buf[i + 3]!;
        i += n - 1;
      } else if (b === BACKSLASH) {
        out[p++] = BACKSLASH;
        out[p++] = BACKSLASH;
        if (json) {
          if (jsonNulEscapeAt(buf, i, end)) return this.takeBack(mark, fields);
          // The escaped character is not the start of an escape, even when it is a backslash.
          if (i + 1 < end && buf[i + 1] === BACKSLASH) {
            out[p++] = BACKSLASH;
            out[p++] = BACKSLASH;
            i++;
          }
        }
      } else if (b === NEWLINE || b === CR || b === TAB) {
        out[p++] = BACKSLASH;
        out[p++] = b === NEWLINE ? 0x6e : b === CR ? 0x72 : 0x74;
      } else if (b === 0 && noNul) {
        return this.takeBack(mark, fields);
      } else {
        out[p++] = b;
      }
    }
    for (let i = 0; i < suffix.length; i++) out[p++] = suffix.charCodeAt(i);
    this.pos = p;
    return true;
  }

  bytes(buf: Buffer, start: number, end: number): void {
    this.separate();
    this.reserve(3 + 2 * (end - start));
    const out = this.out;
    let p = this.pos;
    // bytea hex input, its backslash escaped for COPY: \\x0a1b…
    out[p++] = BACKSLASH;
    out[p++] = BACKSLASH;
    out[p++] = 0x78;
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      out[p++] = HEX[b >> 4]!;
      out[p++] = HEX[b & 15]!;
    }
    this.pos = p;
  }

  value(value: Value, column: number): void {
    if (value === null) {
      // What every column's encoder gives for NULL, without Buffer.write's cost for two bytes
      // (a quarter of the benchmark's rows have one).
      this.separate();
      this.reserve(2);
      this.out[this.pos++] = BACKSLASH;
      this.out[this.pos++] = 0x4e;
      return;
    }
    const text = this.encoders[column]!(value);
    this.separate();
    this.reserve(3 * text.length);
    this.pos += this.out.write(text, this.pos, 'utf8');
  }

  endRow(): void {
    this.reserve(1);
    this.out[this.pos++] = NEWLINE;
    this.closeRow();
  }

  take(all: boolean): Buffer[] {
    return this.takeChunks(all);
  }

  private separate(): void {
    if (this.fields++ > 0) {
      this.reserve(1);
      this.out[this.pos++] = TAB;
    }
  }

}
