/**
 * Order-independent checksums over canonical values, computed in the executor on both sides, so a
 * faithful conversion is never a mismatch: values are normalised per logical type first
 * ('1.50' = '1.5' for a decimal, jsonb's re-spacing is ignored, …).
 */
import type { LogicalType, Value } from '../types/logical.js';
import { canonicalJson } from './canonical-json.js';

/**
 * A value's canonical text, or a Buffer that stands for its hex digits: hashed digit by digit from
 * the bytes, so a value of 50 MB is not first made a string of 100 MB (the digest is the same).
 */
export type Normaliser = (v: Value) => string | Buffer;

export function normaliserFor(t: LogicalType): Normaliser {
  switch (t.kind) {
    case 'decimal':
      return (v) => (typeof v === 'string' ? normaliseDecimal(v) : plain(v));
    case 'float':
      return (v) => (typeof v === 'string' ? String(Number(v)) : plain(v));
    case 'timestamp':
    case 'timestamptz':
    case 'time':
    case 'interval':
      // MySQL prints every fractional digit of the column ('00:00:00.500000'), PostgreSQL none
      // of the trailing zeros ('00:00:00.5').
      return (v) => (typeof v === 'string' ? v.replace(/(\.\d*?)0+(?=$|[+-])/, '$1').replace(/\.(?=$|[+-])/, '') : plain(v));
    case 'text':
      // CHAR(n) is blank-padded: PostgreSQL prints the padding, MySQL strips it; neither is data.
      return t.fixed ? (v) => (typeof v === 'string' ? v.replace(/ +$/, '') : plain(v)) : plain;
    case 'json':
      return (v) => (typeof v === 'string' ? canonicalJsonText(v) : plain(v));
    case 'bool':
    case 'int':
    case 'binary':
    case 'date':
    case 'year':
    case 'uuid':
    case 'enum':
    case 'set':
    case 'array':
    case 'bit':
    case 'other':
      return plain;
    default: {
      const never: never = t;
      return never;
    }
  }
}

function plain(v: Value): string | Buffer {
  return Buffer.isBuffer(v) ? v : plainText(v);
}

function plainText(v: Value): string {
  if (v === null) return '\u0000N';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return JSON.stringify(v.map((x) => plainText(x)));
}

/** The char codes of lower-case hex digits, by nibble. */
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

function normaliseDecimal(s: string): string {
  if (!s.includes('.')) return s.replace(/^(-?)0+(?=\d)/, '$1');
  const trimmed = s.replace(/0+$/, '').replace(/\.$/, '').replace(/^(-?)0+(?=\d)/, '$1');
  return trimmed === '-0' ? '0' : trimmed;
}

/** Text that is not one JSON document is compared as it is. */
function canonicalJsonText(s: string): string {
  return canonicalJson(s) ?? s;
}

/** Accumulates rows; the digest does not depend on row order. */
export class RowChecksum {
  private a = 0;
  private b = 0;
  private n = 0;

  constructor(private readonly normalisers: readonly Normaliser[]) {}

  add(row: readonly Value[]): void {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ 0x5bd1e995;
    for (let i = 0; i < this.normalisers.length; i++) {
      const s = this.normalisers[i]!(row[i] ?? null);
      if (typeof s === 'string') {
        for (let j = 0; j < s.length; j++) {
          const c = s.charCodeAt(j);
          h1 = Math.imul(h1 ^ c, 0x01000193);
          h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
        }
      } else {
        for (let j = 0; j < s.length; j++) {
          const hi = HEX_CODES[s[j]! >> 4]!;
          const lo = HEX_CODES[s[j]! & 15]!;
          h1 = Math.imul(h1 ^ hi, 0x01000193);
          h2 = Math.imul(h2 ^ hi, 0x5bd1e995) ^ (h2 >>> 15);
          h1 = Math.imul(h1 ^ lo, 0x01000193);
          h2 = Math.imul(h2 ^ lo, 0x5bd1e995) ^ (h2 >>> 15);
        }
      }
      // A separator no value contains, so ('ab','c') and ('a','bc') differ.
      h1 = Math.imul(h1 ^ 0xffff, 0x01000193);
      h2 = Math.imul(h2 ^ 0xfffe, 0x5bd1e995);
    }
    this.a = (this.a + (h1 >>> 0)) >>> 0;
    this.b = (this.b + (h2 >>> 0)) >>> 0;
    this.n++;
  }

  get rows(): number {
    return this.n;
  }

  digest(): string {
    return `${this.a.toString(16).padStart(8, '0')}${this.b.toString(16).padStart(8, '0')}`;
  }
}

/** Combines chunk digests (sums, like the rows inside them). */
export function combineDigests(digests: readonly string[]): string {
  let a = 0;
  let b = 0;
  for (const d of digests) {
    a = (a + parseInt(d.slice(0, 8), 16)) >>> 0;
    b = (b + parseInt(d.slice(8, 16), 16)) >>> 0;
  }
  return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

/** The digest that, combined with `digest`, cancels it: the rows it covers taken out again. */
export function negateDigest(digest: string): string {
  const a = (0x1_0000_0000 - parseInt(digest.slice(0, 8), 16)) >>> 0;
  const b = (0x1_0000_0000 - parseInt(digest.slice(8, 16), 16)) >>> 0;
  return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}
