/**
 * Column masks for dev/test copies. Deterministic (same input → same output, on every run and every
 * table) so that masked values still join: a customer's hashed e-mail is the same in every table.
 */
import { createHash } from 'node:crypto';
import type { LiteralValue, MaskMethod } from '../ir/ir.js';
import type { LogicalType, Value } from '../types/logical.js';

export type Mask = (value: Value) => Value;

export function compileMask(method: MaskMethod, target: LogicalType): Mask {
  if (target.kind === 'binary') return binaryMask(method, target.length, target.fixed);
  const limit = target.kind === 'text' ? target.length : undefined;
  const fit = (s: string) => (limit !== undefined ? Array.from(s).slice(0, limit).join('') : s);
  switch (method.kind) {
    case 'hash':
      return (v) => (v === null ? null : fit(sha256(textOf(v))));
    case 'redact':
      // Keeps the length (layouts and length checks still work) but none of the content.
      return (v) => (v === null ? null : 'x'.repeat(Array.from(textOf(v)).length));
    case 'randomize_digits':
      return (v) => (v === null ? null : randomizeDigits(textOf(v)));
    case 'fixed': {
      const fixed = literalValue(method.value);
      return (v) => (v === null ? null : fixed);
    }
    default: {
      const never: never = method;
      return never;
    }
  }
}

/**
 * A binary column's values are bytes (a Buffer), and so must its masked values be: a hash as text
 * was refused by the binary COPY and then written as the bytes of its hex digits, which the
 * validation's checksum did not expect. `hash` is the SHA-256 digest of the bytes (as many of its
 * bytes as the column holds), `redact` as many bytes 'x' as the value had. Into a fixed-length
 * column (MySQL BINARY(n)) a shorter value is padded with zero bytes, as the server stores it, so
 * that the checksum of what was written is the checksum of what is there.
 */
function binaryMask(method: MaskMethod, length: number | undefined, fixed: boolean): Mask {
  const bytesOf = (v: Value): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(textOf(v), 'utf8'));
  const padded = (b: Buffer): Buffer => (fixed && length !== undefined && b.length < length ? Buffer.concat([b, Buffer.alloc(length - b.length)]) : b);
  switch (method.kind) {
    case 'hash':
      return (v) => {
        if (v === null) return null;
        const digest = createHash('sha256').update(bytesOf(v)).digest();
        return padded(length !== undefined && length < digest.length ? digest.subarray(0, length) : digest);
      };
    case 'redact':
      return (v) => (v === null ? null : padded(Buffer.alloc(bytesOf(v).length, 'x')));
    case 'randomize_digits':
      // Refused at plan time (check/mask-fit.ts): bytes have no digits.
      return (v) => v;
    case 'fixed': {
      const literal = literalValue(method.value);
      const bytes = literal === null ? null : padded(Buffer.isBuffer(literal) ? literal : Buffer.from(String(literal), 'utf8'));
      return (v) => (v === null ? null : bytes);
    }
    default: {
      const never: never = method;
      return never;
    }
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function textOf(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return JSON.stringify(v);
}

/** Every digit replaced by a digit drawn from a hash of the whole value; other characters kept. */
function randomizeDigits(text: string): string {
  const digest = createHash('sha256').update(text).digest();
  let i = 0;
  let out = '';
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') {
      const byte = digest[i % digest.length]!;
      i++;
      // A leading zero would change an integer's length: keep the first digit non-zero if it was.
      const digit = out.length === 0 || /^[-+]?$/.test(out) ? (ch === '0' ? 0 : 1 + (byte % 9)) : byte % 10;
      out += String(digit);
    } else out += ch;
  }
  return out;
}

export function literalValue(value: LiteralValue): Value {
  switch (value.kind) {
    case 'null':
      return null;
    case 'bool':
      return value.value;
    case 'number':
      return value.text;
    case 'string':
    case 'date':
    case 'timestamp':
      return value.value;
    default: {
      const never: never = value;
      return never;
    }
  }
}
