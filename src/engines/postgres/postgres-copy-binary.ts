/**
 * COPY binary data built as bytes, field by field (the RawTextWriter of the contract, for tables
 * whose every column has a binary form here): a value the source sent as its canonical text is
 * parsed straight from the source's buffer into the column's binary form (postgres-binary-values.ts)
 * — or, for text, JSON and enum labels, copied as it is after the byte checks, with no escaping —
 * and any other value is encoded from its canonical form.
 *
 * Why binary: the server's share of a text COPY (splitting lines, undoing escapes, reading numbers
 * and timestamps) was the largest part of a MySQL → PostgreSQL copy; binary leaves it only the
 * checks of each type's receive function. A text the parsers here do not know (not a canonical
 * spelling) is refused as a data error, which sends the chunk to the careful path — rows written
 * one batch at a time as COPY text — so such a value costs time, never a row.
 */
import { EngineError, type CopyFormat, type RawTextWriter, type WireForm, type WriteColumn } from '../contract.js';
import { wireInt, wireText } from '../../types/values/wire-values.js';
import { jsonNulEscapeAt, passesByteRule, utf8SequenceLength, type ByteRule } from '../../types/byte-rules.js';
import type { NativeType } from '../../schema/catalog.js';
import type { Value } from '../../types/logical.js';
import { CopyChunkBuffer } from './copy-chunk-buffer.js';
import { put16, put32, writeDate, writeDouble, writeDoubleLE, writeInteger, writeIntegerValue, writeNumeric, writeNumericValue, writeTimestamp, writeUuid, writeWireDate, writeWireTimestamp } from './postgres-binary-values.js';

/** How a column's values are laid out in binary COPY. */
export type BinaryLayout = 'int2' | 'int4' | 'int8' | 'numeric' | 'float8' | 'text' | 'jsonb' | 'bytea' | 'bool' | 'date' | 'timestamp' | 'timestamptz' | 'uuid';

/** The signature, flags and header extension length that open a binary COPY stream. */
const HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
const JSONB_VERSION = 1;
const BACKSLASH = 0x5c;
const UTC_SUFFIX = '+00:00';

/**
 * The binary layout of a PostgreSQL column type, or undefined when this writer has none for it
 * (real: float4in rounds the text once, a double made into a float would round twice; time,
 * interval, arrays, bit strings, domains and the like: left to the text format).
 */
export function binaryLayoutOf(native: NativeType): BinaryLayout | undefined {
  if (native.element) return undefined;
  if (native.values) return native.userTypeName !== undefined ? 'text' : undefined; // enum labels travel as text
  if (native.userTypeName !== undefined) return undefined;
  switch (native.name) {
    case 'smallint':
      return 'int2';
    case 'integer':
      return 'int4';
    case 'bigint':
      return 'int8';
    case 'numeric':
      return 'numeric';
    case 'double precision':
      return 'float8';
    case 'text':
    case 'character varying':
    case 'character':
    case 'json':
      return 'text';
    case 'jsonb':
      return 'jsonb';
    case 'bytea':
      return 'bytea';
    case 'boolean':
      return 'bool';
    case 'date':
      return 'date';
    case 'timestamp without time zone':
      return 'timestamp';
    case 'timestamp with time zone':
      return 'timestamptz';
    case 'uuid':
      return 'uuid';
    default:
      return undefined;
  }
}

/** The layouts of `columns`, or undefined when one of them has none (the table goes as text). */
export function binaryLayouts(columns: readonly WriteColumn[]): readonly BinaryLayout[] | undefined {
  const layouts: BinaryLayout[] = [];
  for (const c of columns) {
    const layout = binaryLayoutOf(c.native);
    if (layout === undefined) return undefined;
    layouts.push(layout);
  }
  return layouts;
}

export class CopyBinaryWriter extends CopyChunkBuffer implements RawTextWriter {
  readonly format: CopyFormat = 'binary';
  /** Where the length word of the field under way is. */
  private lengthAt = 0;
  private scratch = Buffer.allocUnsafe(256);

  constructor(
    private readonly layouts: readonly BinaryLayout[],
    private readonly columns: readonly WriteColumn[],
    private readonly table: string,
    private readonly endpoint: string,
  ) {
    super();
    HEADER.copy(this.out, 0);
    this.pos = HEADER.length;
    this.rowStart = this.pos;
  }

  text(buf: Buffer, start: number, end: number, suffix: string): void {
    const column = this.fields;
    const layout = this.layouts[column]!;
    if (layout === 'text' || layout === 'jsonb') {
      this.beginField(end - start + suffix.length + 1);
      if (layout === 'jsonb') this.out[this.pos++] = JSONB_VERSION;
      this.copyBytes(buf, start, end);
      this.putAscii(suffix);
      this.endField();
      return;
    }
    let e = end;
    if (layout === 'timestamptz' && suffix === '') e = utcEnd(buf, start, end);
    else if (suffix !== (layout === 'timestamptz' ? UTC_SUFFIX : '')) e = -1;
    if (e < 0 || !this.parsed(layout, buf, start, e)) throw this.refused(column, buf.toString('utf8', start, end) + suffix);
  }

  checkedText(buf: Buffer, start: number, end: number, suffix: string, rule: ByteRule): boolean {
    const layout = this.layouts[this.fields]!;
    if (rule === 'any' || (layout !== 'text' && layout !== 'jsonb')) {
      if (!passesByteRule(rule, buf, start, end)) return false;
      this.text(buf, start, end, suffix);
      return true;
    }
    // Room first, so that the field can be taken back by resetting two counters (reserve may move
    // the row under way to a new buffer).
    const room = end - start + suffix.length + 1;
    this.reserve(6 + room);
    const mark = this.pos;
    const fields = this.fields;
    this.beginField(room);
    const noNul = rule === 'utf8_no_nul';
    const json = rule === 'json_utf8_no_nul_escape';
    const out = this.out;
    const outWords = this.outWords;
    const words = this.wordsOfSource(buf);
    let p = this.pos;
    if (layout === 'jsonb') out[p++] = JSONB_VERSION;
    for (let i = start; i < end; i++) {
      if (i + 4 <= end) {
        const word = words.getInt32(i, true);
        const backslashes = word ^ 0x5c5c5c5c;
        // ASCII without a NUL (and, for JSON, without a backslash): the four bytes pass every rule.
        const flags = word | ((word - 0x01010101) & ~word) | (json ? (backslashes - 0x01010101) & ~backslashes : 0);
        if ((flags & 0x80808080) === 0) {
          outWords.setInt32(p, word, true);
          p += 4;
          i += 3;
          continue;
        }
      }
      const b = buf[i]!;
      if (b >= 0x80) {
        const n = utf8SequenceLength(buf, i, end);
        if (n === 0) return this.takeBack(mark, fields);
        out[p++] = b;
        out[p++] = buf[i + 1]!;
        if (n > 2) out[p++] = buf[i + 2]!;
        if (n > 3) out[p++] = buf[i + 3]!;
        i += n - 1;
      } else if (b === 0 && noNul) {
        return this.takeBack(mark, fields);
      } else if (b === BACKSLASH && json) {
        if (jsonNulEscapeAt(buf, i, end)) return this.takeBack(mark, fields);
        out[p++] = b;
        // The escaped character is not the start of an escape, even when it is a backslash.
        if (i + 1 < end && buf[i + 1] === BACKSLASH) out[p++] = buf[++i]!;
      } else {
        out[p++] = b;
      }
    }
    this.pos = p;
    this.putAscii(suffix);
    this.endField();
    return true;
  }

  /** A field in a source's binary protocol, laid out anew in the column's binary form. */
  wire(form: WireForm, buf: Buffer, start: number, end: number): void {
    const column = this.fields;
    const layout = this.layouts[column]!;
    // Room for the widest: a numeric of 20 digits takes 8 + 2 × 5 bytes.
    this.beginField(28);
    const out = this.out;
    const p = this.pos;
    let q = -1;
    switch (form.kind) {
      case 'int': {
        const v = wireInt(buf, start, form.bytes, form.unsigned);
        if (layout === 'int2') q = writeIntegerValue(v, out, p, 2);
        else if (layout === 'int4') q = writeIntegerValue(v, out, p, 4);
        else if (layout === 'int8') q = writeIntegerValue(v, out, p, 8);
        else if (layout === 'numeric') q = writeNumericValue(v, out, p);
        break;
      }
      case 'float64':
        if (layout === 'float8' && end - start === 8) q = writeDoubleLE(buf, start, out, p);
        break;
      case 'date':
        if (layout === 'date') q = writeWireDate(buf, start, end, out, p);
        break;
      case 'datetime':
        if (layout === 'timestamp' || layout === 'timestamptz') q = writeWireTimestamp(buf, start, end, out, p);
        break;
      default: {
        const never: never = form;
        return never;
      }
    }
    if (q < 0) {
      this.dropField();
      throw this.refused(column, wireText(form, buf, start, end, 6));
    }
    this.pos = q;
    this.endField();
  }

  bytes(buf: Buffer, start: number, end: number): void {
    const column = this.fields;
    if (this.layouts[column] !== 'bytea') throw this.refused(column, `${end - start} bytes`);
    this.beginField(end - start);
    this.copyBytes(buf, start, end);
    this.endField();
  }

  value(value: Value, column: number): void {
    if (value === null) {
      this.beginField(0);
      put32(this.out, this.lengthAt, -1);
      return;
    }
    const layout = this.layouts[column]!;
    switch (layout) {
      case 'text':
      case 'jsonb':
        if (typeof value !== 'string') break;
        this.beginField(3 * value.length + 1);
        if (layout === 'jsonb') this.out[this.pos++] = JSONB_VERSION;
        this.pos += this.out.write(value, this.pos, 'utf8');
        this.endField();
        return;
      case 'bytea':
        if (!Buffer.isBuffer(value)) break;
        this.bytes(value, 0, value.length);
        return;
      case 'bool':
        if (typeof value !== 'boolean') break;
        this.beginField(1);
        this.out[this.pos++] = value ? 1 : 0;
        this.endField();
        return;
      case 'int2':
      case 'int4':
      case 'int8':
      case 'numeric':
      case 'float8':
      case 'date':
      case 'timestamp':
      case 'timestamptz':
      case 'uuid': {
        if (typeof value !== 'string') break;
        if (3 * value.length > this.scratch.length) this.scratch = Buffer.allocUnsafe(3 * value.length);
        const n = this.scratch.write(value, 0, 'utf8');
        const end = layout === 'timestamptz' ? utcEnd(this.scratch, 0, n) : n;
        if (end >= 0 && this.parsed(layout, this.scratch, 0, end)) return;
        break;
      }
      default: {
        const never: never = layout;
        return never;
      }
    }
    throw this.refused(column, describe(value));
  }

  endRow(): void {
    if (this.fields === 0) {
      // A table without columns: each row is only its field count.
      this.reserve(2);
      put16(this.out, this.pos, 0);
      this.pos += 2;
    }
    this.closeRow();
  }

  take(all: boolean): Buffer[] {
    if (all) {
      // The trailer, after the last whole row (the stream is over: nothing follows it).
      this.pos = this.rowStart;
      this.reserve(2);
      put16(this.out, this.pos, -1);
      this.pos += 2;
      this.rowStart = this.pos;
    }
    return this.takeChunks(all);
  }

  /**
   * Writes the value of `layout` spelt by [s, e) of `b` as the next field; false (nothing written)
   * when it is not a spelling the parsers know.
   */
  private parsed(layout: BinaryLayout, b: Buffer, s: number, e: number): boolean {
    // Room for the widest: a numeric takes its digits' count plus a header and a group's padding.
    this.beginField(e - s + 16);
    const p = this.pos;
    let q: number;
    switch (layout) {
      case 'int2':
        q = writeInteger(b, s, e, this.out, p, 2);
        break;
      case 'int4':
        q = writeInteger(b, s, e, this.out, p, 4);
        break;
      case 'int8':
        q = writeInteger(b, s, e, this.out, p, 8);
        break;
      case 'numeric':
        q = writeNumeric(b, s, e, this.out, p);
        break;
      case 'float8':
        q = writeDouble(b, s, e, this.out, p);
        break;
      case 'date':
        q = writeDate(b, s, e, this.out, p);
        break;
      case 'timestamp':
      case 'timestamptz':
        q = writeTimestamp(b, s, e, this.out, p);
        break;
      case 'uuid':
        q = writeUuid(b, s, e, this.out, p);
        break;
      case 'text':
      case 'jsonb':
      case 'bytea':
      case 'bool':
        q = -1;
        break;
      default: {
        const never: never = layout;
        return never;
      }
    }
    if (q < 0) {
      this.dropField();
      return false;
    }
    this.pos = q;
    this.endField();
    return true;
  }

  /** Starts the next field with room for `n` bytes: the row's field count first, then a length word. */
  private beginField(n: number): void {
    if (this.fields++ === 0) {
      this.reserve(6 + n);
      put16(this.out, this.pos, this.layouts.length);
      this.pos += 2;
    } else this.reserve(4 + n);
    this.lengthAt = this.pos;
    this.pos += 4;
  }

  /** Takes back the field beginField started (and the row's field count, when it was the first). */
  private dropField(): void {
    this.pos = this.lengthAt;
    if (--this.fields === 0) this.pos -= 2;
  }

  private endField(): void {
    put32(this.out, this.lengthAt, this.pos - this.lengthAt - 4);
  }

  /** Bytes [start, end) of `buf` at the end: short runs by hand, where Buffer.copy's call costs more than the copy. */
  private copyBytes(buf: Buffer, start: number, end: number): void {
    if (end - start > 64) {
      this.pos += buf.copy(this.out, this.pos, start, end);
      return;
    }
    const out = this.out;
    let p = this.pos;
    for (let i = start; i < end; i++) out[p++] = buf[i]!;
    this.pos = p;
  }

  private putAscii(text: string): void {
    for (let i = 0; i < text.length; i++) this.out[this.pos++] = text.charCodeAt(i);
  }


  private refused(column: number, value: string): EngineError {
    const name = this.columns[column]?.name ?? `#${column + 1}`;
    return new EngineError(`${this.table}.${name}: no binary form for the value ${value.length > 60 ? `${value.slice(0, 60)}…` : value} of type ${this.columns[column]?.native.text ?? '?'}`, 'data', undefined, this.endpoint);
  }
}

/** The end of a timestamptz text without its '+00:00', or -1 when it is given in another zone. */
function utcEnd(b: Buffer, s: number, e: number): number {
  const at = e - UTC_SUFFIX.length;
  if (at < s) return -1;
  for (let i = 0; i < UTC_SUFFIX.length; i++) if (b[at + i] !== UTC_SUFFIX.charCodeAt(i)) return -1;
  return at;
}

function describe(value: Value): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Buffer.isBuffer(value)) return `${value.length} bytes`;
  return JSON.stringify(value);
}
