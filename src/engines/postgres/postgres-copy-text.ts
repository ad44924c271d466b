/**
 * The COPY text format ⇄ canonical values (see types/logical.ts), for PostgreSQL and PGlite.
 *
 * Reading assumes the session settings every connection of this engine sets: TimeZone 'UTC',
 * DateStyle 'ISO, YMD', IntervalStyle 'postgres', extra_float_digits 3, bytea_output 'hex'. Under
 * them the server's text is already canonical for most types; what differs is fixed here
 * (booleans, bytea, floats in JS's shortest form, '+00' offsets, arrays as nested values).
 *
 * Values outside the canonical domain (dates BC, 'infinity') are kept as the server's text: a
 * conversion downstream rejects them with the value in the message.
 */
import { isUtf8 } from 'node:buffer';
import { EngineError } from '../contract.js';
import type { LogicalType, Row, Value } from '../../types/logical.js';
import { hasArrayBounds } from '../../types/values/array-bounds.js';
import { float32Text, float64Text } from '../../types/values/numeric-text.js';

export type TextDecoder = (text: string) => Value;
export type FieldEncoder = (value: Value) => string;

// ───────────────────────────── decoding (server text → canonical) ─────────────────────────────

/** Undoes COPY text escapes: `\\` `\t` `\n` `\r` `\b` `\f` `\v`, octal `\NNN` and `\xHH`. */
export function unescapeCopy(field: string): string {
  if (field.indexOf('\\') < 0) return field;
  let out = '';
  let i = 0;
  while (i < field.length) {
    const j = field.indexOf('\\', i);
    if (j < 0 || j === field.length - 1) {
      out += field.slice(i);
      break;
    }
    out += field.slice(i, j);
    const c = field[j + 1]!;
    i = j + 2;
    switch (c) {
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      default:
        if (c >= '0' && c <= '7') {
          const m = /^[0-7]{1,3}/.exec(field.slice(j + 1))!;
          out += String.fromCharCode(parseInt(m[0], 8));
          i = j + 1 + m[0].length;
        } else if (c === 'x' && /^[0-9a-fA-F]/.test(field[j + 2] ?? '')) {
          const m = /^[0-9a-fA-F]{1,2}/.exec(field.slice(j + 2))!;
          out += String.fromCharCode(parseInt(m[0], 16));
          i = j + 2 + m[0].length;
        } else out += c;
    }
  }
  return out;
}

const identity: TextDecoder = (s) => s;

const EMPTY = Buffer.alloc(0);

/** Hex digits decoded per step: the text of one step is all that exists as a string at a time. */
const HEX_STEP = 1 << 20;

/**
 * The bytes of the hex digits in [start, end) of `buf`, decoded natively a megabyte of digits at a
 * time; undefined when they are not all hex digits in pairs.
 */
export function hexBytes(buf: Buffer, start: number, end: number): Buffer | undefined {
  if ((end - start) % 2 !== 0) return undefined;
  const out = Buffer.allocUnsafe((end - start) / 2);
  for (let at = start; at < end; at += HEX_STEP) {
    const digits = buf.toString('latin1', at, Math.min(end, at + HEX_STEP));
    // write() stops at the first pair that is not hex: fewer bytes than pairs means a bad digit.
    if (out.write(digits, (at - start) / 2, 'hex') !== digits.length / 2) return undefined;
  }
  return out;
}

/** '…+00' → '…+00:00'; offsets already in ±HH:MM form stay. BC and infinity stay as they are. */
function withColonOffset(s: string): string {
  return /[+-]\d\d$/.test(s) ? `${s}:00` : s;
}

export function decodeBytea(s: string): Buffer {
  if (s.startsWith('\\x')) return Buffer.from(s.slice(2), 'hex');
  // escape format (bytea_output = 'escape'): octal escapes and doubled backslashes
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      if (s[i + 1] === '\\') {
        bytes.push(92);
        i++;
      } else {
        bytes.push(parseInt(s.slice(i + 1, i + 4), 8));
        i += 3;
      }
    } else bytes.push(...Buffer.from(s[i]!, 'latin1'));
  }
  return Buffer.from(bytes);
}

function decodeFloat(bits: 32 | 64): TextDecoder {
  return (s) => {
    if (s === 'NaN' || s === 'Infinity' || s === '-Infinity' || s === '-0') return s;
    const x = Number(s);
    return Number.isNaN(x) ? s : bits === 32 ? float32Text(x) : float64Text(x);
  };
}

/** The decoder of one column's server text (after COPY unescaping). */
export function textDecoderFor(logical: LogicalType): TextDecoder {
  switch (logical.kind) {
    case 'bool':
      return (s) => (s === 't' ? true : s === 'f' ? false : s);
    case 'binary':
      return decodeBytea;
    case 'float':
      return decodeFloat(logical.bits);
    case 'timestamptz':
      return withColonOffset;
    case 'time':
      return logical.withTimeZone ? withColonOffset : identity;
    case 'set':
      return (s) => parseArrayLiteral(s, identity);
    case 'array':
      return (s) => parseArrayLiteral(s, textDecoderFor(logical.element));
    case 'int':
    case 'decimal':
    case 'text':
    case 'date':
    case 'interval':
    case 'timestamp':
    case 'year':
    case 'uuid':
    case 'json':
    case 'enum':
    case 'bit':
    case 'other':
      return identity;
    default: {
      const never: never = logical;
      return never;
    }
  }
}

/**
 * Parses an array literal ('{1,NULL,"a \"b\""}', nested '{{1,2},{3,4}}') into nested values.
 * PostgreSQL prints bounds ('[0:1]={1,2}') only where a lower bound is not 1: such a value is
 * handed over as its literal (values/array-bounds.ts), which a PostgreSQL target takes as it is and
 * any other rejects. Dropping the bounds renumbered the elements from 1 without a word.
 */
export function parseArrayLiteral(text: string, element: TextDecoder): Value {
  if (hasArrayBounds(text)) return text;
  let i = 0;
  const parse = (): Value[] => {
    if (text[i] !== '{') throw new Error(`malformed array literal: ${text}`);
    i++;
    const out: Value[] = [];
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      if (text[i] === '{') out.push(parse());
      else if (text[i] === '"') {
        i++;
        let s = '';
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\') i++;
          s += text[i] ?? '';
          i++;
        }
        i++; // closing quote
        out.push(element(s));
      } else {
        let s = '';
        while (i < text.length && text[i] !== ',' && text[i] !== '}') {
          if (text[i] === '\\') i++;
          s += text[i] ?? '';
          i++;
        }
        // PostgreSQL skips only ASCII white space around an unquoted element (array_in uses
        // scanner_isspace); String.trim would also eat U+00A0, U+3000…, which PostgreSQL does not
        // quote and which are data.
        const trimmed = s.replace(/^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g, '');
        out.push(trimmed === 'NULL' ? null : element(trimmed));
      }
      if (text[i] === ',') i++;
      else if (text[i] === '}') {
        i++;
        return out;
      } else throw new Error(`malformed array literal: ${text}`);
    }
  };
  return parse();
}

/**
 * Turns COPY text lines into canonical rows, incrementally: feed it chunks as they arrive, it
 * returns the complete rows and keeps the tail of an unfinished line.
 */
export class CopyTextRowParser {
  /**
   * The unfinished line, as the chunks it arrived in. Kept as a list and joined once, when its
   * newline comes: re-concatenating (and re-scanning) it on every chunk made a line of several MB
   * cost quadratic time (seconds for one 6 MB value).
   */
  private pending: Buffer[] = [];
  private readonly decoders: readonly TextDecoder[];
  /** Which columns are bytea, whose hex text is decoded from the bytes. */
  private readonly binary: readonly boolean[];

  constructor(logicals: readonly LogicalType[]) {
    this.decoders = logicals.map(textDecoderFor);
    this.binary = logicals.map((l) => l.kind === 'binary');
  }

  /** Appends the rows completed by `chunk` to `out`. */
  push(chunk: Buffer, out: Row[]): void {
    let start = 0;
    let nl = chunk.indexOf(10);
    if (this.pending.length > 0) {
      // Copies: the stream may reuse the memory of the chunks it hands over.
      if (nl < 0) {
        this.pending.push(Buffer.from(chunk));
        return;
      }
      const line = this.takePending(chunk.subarray(0, nl));
      out.push(this.parseBytes(line, 0, line.length));
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    while (nl >= 0) {
      out.push(this.parseBytes(chunk, start, nl));
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) this.pending.push(Buffer.from(chunk.subarray(start)));
  }

  /**
   * The pending chunks and `tail` as one buffer. Each chunk is let go once copied: a line of 100 MB
   * (a 50 MB bytea in hex) was held twice, as its chunks and as their concatenation.
   */
  private takePending(tail: Buffer): Buffer {
    const parts = this.pending;
    this.pending = [];
    let size = tail.length;
    for (const p of parts) size += p.length;
    const line = Buffer.allocUnsafe(size);
    let at = 0;
    for (let i = 0; i < parts.length; i++) {
      at += parts[i]!.copy(line, at);
      parts[i] = EMPTY;
    }
    tail.copy(line, at);
    return line;
  }

  /** Throws when the stream ended inside a line. */
  finish(out: Row[]): void {
    if (this.pending.length > 0) {
      const rest = this.takePending(EMPTY);
      const text = rest.toString('latin1');
      if (text !== '' && text !== '\\.') out.push(this.parseBytes(rest, 0, rest.length));
    }
  }

  /**
   * The row of line [start, end) of `buf`, field by field from the bytes (COPY escapes every tab in
   * data, so a tab byte always ends a field). A bytea field in hex is decoded from its bytes
   * straight into a Buffer: as text, a 50 MB value was a 100 MB line string, its field, the
   * unescaped field and the hex digits — about half a gigabyte for one value.
   *
   * A server whose encoding is SQL_ASCII checks nothing, so its text may hold bytes that are not
   * UTF-8: decoding would replace them with U+FFFD without a word. A field that decodes with one is
   * looked at again as bytes (a real U+FFFD is valid UTF-8), and a field that is not UTF-8 is
   * handed over as its bytes, which the converter rejects with them.
   */
  private parseBytes(buf: Buffer, start: number, end: number): Row {
    const decoders = this.decoders;
    // A row of a table without columns is an empty line, not one empty field.
    if (decoders.length === 0 && start === end) return [];
    const row: Value[] = [];
    for (let at = start; ; ) {
      const tab = buf.indexOf(9, at);
      const fieldEnd = tab < 0 || tab >= end ? end : tab;
      if (row.length < decoders.length) row.push(this.parseField(row.length, buf, at, fieldEnd));
      else row.push(null);
      if (fieldEnd === end) break;
      at = fieldEnd + 1;
    }
    if (row.length !== decoders.length) throw new Error(`COPY row has ${row.length} fields, expected ${decoders.length}`);
    return row;
  }

  private parseField(k: number, buf: Buffer, start: number, end: number): Value {
    // `\N` is NULL; `\\x…` is a bytea in hex, its backslash doubled by COPY.
    if (end - start === 2 && buf[start] === 92 && buf[start + 1] === 78) return null;
    if (this.binary[k] && end - start >= 3 && buf[start] === 92 && buf[start + 1] === 92 && buf[start + 2] === 120) {
      const bytes = hexBytes(buf, start + 3, end);
      if (bytes) return bytes;
    }
    const text = buf.toString('utf8', start, end);
    if (text.includes('\uFFFD') && !isUtf8(buf.subarray(start, end))) {
      // COPY escapes only backslashes and control characters: unescaping byte for byte keeps the rest.
      return Buffer.from(unescapeCopy(buf.toString('latin1', start, end)), 'latin1');
    }
    return this.decoders[k]!(unescapeCopy(text));
  }
}

// ───────────────────────────── encoding (canonical → COPY text) ─────────────────────────────

const NEEDS_COPY_ESCAPE = /[\\\n\r\t]/;

export function escapeCopy(s: string): string {
  if (!NEEDS_COPY_ESCAPE.test(s)) return s;
  return s.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

function nulError(column: string, table: string): EngineError {
  return new EngineError(`${table}.${column}: a value contains a NUL character (U+0000), which PostgreSQL text cannot store`, 'data', undefined, '');
}

function plainText(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (Array.isArray(v)) return JSON.stringify(v);
  return String(v);
}

/** An array literal with every element quoted (always safe, whatever the element text). */
export function renderArrayLiteral(v: readonly Value[], element: (e: Exclude<Value, null>) => string): string {
  const parts = v.map((e): string => {
    if (e === null) return 'NULL';
    if (Array.isArray(e)) return renderArrayLiteral(e, element);
    return `"${element(e as Exclude<Value, null>).replace(/[\\"]/g, '\\$&')}"`;
  });
  return `{${parts.join(',')}}`;
}

function elementText(logical: LogicalType): (e: Exclude<Value, null>) => string {
  if (logical.kind === 'binary') return (e) => (Buffer.isBuffer(e) ? `\\x${e.toString('hex')}` : plainText(e));
  return plainText;
}

/**
 * The encoder of one target column: canonical value → COPY text field (`\N` for NULL). Strings
 * with NUL are refused as a data error naming the column.
 */
export function copyEncoderFor(logical: LogicalType, column: string, table: string): FieldEncoder {
  const checked = (s: string): string => {
    if (s.indexOf('\u0000') >= 0) throw nulError(column, table);
    return escapeCopy(s);
  };
  switch (logical.kind) {
    case 'binary':
      return (v) => (v === null ? '\\N' : Buffer.isBuffer(v) ? `\\\\x${v.toString('hex')}` : checked(plainText(v)));
    case 'bool':
      return (v) => (v === null ? '\\N' : v === true ? 't' : v === false ? 'f' : checked(plainText(v)));
    case 'set':
    case 'array': {
      const element = elementText(logical.kind === 'array' ? logical.element : { kind: 'text', length: undefined, fixed: false });
      return (v) => (v === null ? '\\N' : Array.isArray(v) ? checked(renderArrayLiteral(v, element)) : checked(plainText(v)));
    }
    case 'int':
    case 'decimal':
    case 'float':
    case 'text':
    case 'date':
    case 'time':
    case 'interval':
    case 'timestamp':
    case 'timestamptz':
    case 'year':
    case 'uuid':
    case 'json':
    case 'enum':
    case 'bit':
    case 'other':
      return (v) => (v === null ? '\\N' : checked(plainText(v)));
    default: {
      const never: never = logical;
      return never;
    }
  }
}

/**
 * Encodes batches of rows into COPY text chunks of about `chunkBytes` (one CopyData message per
 * chunk: a write per row costs a message and a TCP segment each).
 */
export class CopyTextRowEncoder {
  private readonly encoders: readonly FieldEncoder[];
  /** The bytea columns, whose Buffers `encodeRowPieces` writes as hex a slice at a time. */
  private readonly binaryColumns: readonly number[];
  /** The text and JSON columns, whose strings `encodeRowPieces` escapes a slice at a time. */
  private readonly textColumns: readonly number[];
  private readonly nulError: (k: number) => EngineError;

  constructor(columns: readonly { readonly name: string; readonly logical: LogicalType }[], table: string) {
    this.encoders = columns.map((c) => copyEncoderFor(c.logical, c.name, table));
    this.binaryColumns = columns.flatMap((c, k) => (c.logical.kind === 'binary' ? [k] : []));
    this.textColumns = columns.flatMap((c, k) => (c.logical.kind === 'text' || c.logical.kind === 'json' ? [k] : []));
    this.nulError = (k) => nulError(columns[k]!.name, table);
  }

  /** Whether the row holds a binary value of more than `size` bytes, or a text of more than `size` characters. */
  hasValueOver(row: readonly Value[], size: number): boolean {
    for (const k of this.binaryColumns) {
      const v = row[k];
      if (Buffer.isBuffer(v) && v.length > size) return true;
    }
    for (const k of this.textColumns) {
      const v = row[k];
      if (typeof v === 'string' && v.length > size) return true;
    }
    return false;
  }

  /**
   * The row's line (what `encodeRow` returns) in pieces: a binary value of more than `size` bytes
   * as its hex digits `size` bytes at a time, a text of more than `size` characters escaped `size`
   * characters at a time. Whole, a 50 MB value was a 100 MB hex string (or an escaped copy of the
   * text), the line holding it and its UTF-8 bytes on the way out.
   */
  *encodeRowPieces(row: readonly Value[], size: number): Generator<string> {
    const enc = this.encoders;
    let line = '';
    for (let k = 0; k < enc.length; k++) {
      if (k > 0) line += '\t';
      const v = row[k] ?? null;
      if (Buffer.isBuffer(v) && v.length > size && this.binaryColumns.includes(k)) {
        yield `${line}\\\\x`;
        line = '';
        for (let at = 0; at < v.length; at += size) yield v.toString('hex', at, Math.min(v.length, at + size));
      } else if (typeof v === 'string' && v.length > size && this.textColumns.includes(k)) {
        if (v.indexOf('\u0000') >= 0) throw this.nulError(k);
        if (line) yield line;
        line = '';
        for (let at = 0; at < v.length; ) {
          let end = Math.min(v.length, at + size);
          // Never between the two halves of a surrogate pair: each piece becomes UTF-8 on its own.
          const last = v.charCodeAt(end - 1);
          if (end < v.length && end - 1 > at && last >= 0xd800 && last <= 0xdbff) end--;
          yield escapeCopy(v.slice(at, end));
          at = end;
        }
      } else line += enc[k]!(v);
    }
    yield `${line}\n`;
  }

  encodeRow(row: readonly Value[]): string {
    const enc = this.encoders;
    let line = '';
    for (let k = 0; k < enc.length; k++) {
      if (k > 0) line += '\t';
      line += enc[k]!(row[k] ?? null);
    }
    return `${line}\n`;
  }
}
