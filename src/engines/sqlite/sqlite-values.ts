/**
 * Canonical values (types/logical.ts) ⇄ what better-sqlite3 hands over and takes: null, bigint
 * (we read with safeIntegers, so every INTEGER is exact), number (REAL), string (TEXT), Buffer (BLOB).
 *
 * SQLite is dynamically typed: a column declared INTEGER may hold 'abc'. A value whose storage
 * class does not fit the column's logical type is never coerced into it: it is emitted in its own
 * text form (a BLOB as its Buffer), so the converter rejects it with the value in the reason
 * instead of a silently changed value reaching the target. SQLite stores a NaN REAL as NULL, so the
 * writer binds NaN as the text 'NaN' (which a REAL-affinity column keeps as TEXT) and it reads back
 * as 'NaN'.
 */
import type { LogicalType, Value } from '../../types/logical.js';
import { expandExponent } from '../../types/values/parse-text.js';
import { float64Text } from '../../types/values/numeric-text.js';
import { affinityOfNative, type SqliteAffinity } from './sqlite-types.js';
import type { NativeType } from '../../schema/catalog.js';
import type { SqliteDatabase } from './sqlite-driver.js';

export type SqliteValue = null | bigint | number | string | Buffer;
export type ReadConverter = (raw: unknown) => Value;

/** Any stored value in its own text form; a BLOB has none and stays a Buffer. */
function storedForm(raw: unknown): Value {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'bigint') return raw.toString();
  if (typeof raw === 'number') return float64Text(raw);
  if (Buffer.isBuffer(raw)) return raw;
  return String(raw);
}

/** 'YYYY-MM-DDTHH:MM[:SS[.f]]' and friends (what SQLite's date functions and applications write) → canonical. */
const LOOSE_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(?:\.\d{1,6})?)?(Z|[+-]00:?00)?$/;

function timestampText(s: string, withZone: boolean): string {
  const m = LOOSE_TIMESTAMP.exec(s);
  if (!m) return s;
  // A UTC suffix on a zone-less timestamp names the same wall clock; other offsets are left to the converter.
  return `${m[1]} ${m[2]}${m[3] ?? ':00'}${withZone ? '+00:00' : ''}`;
}

/** Decimal text of an INTEGER or REAL, padded to the column's scale when it has no more digits than that. */
function decimalText(raw: bigint | number, scale: number | undefined): string {
  if (typeof raw === 'number' && !Number.isFinite(raw)) return float64Text(raw);
  let text = typeof raw === 'bigint' ? raw.toString() : float64Text(raw);
  if (text.includes('e')) text = expandExponent(text);
  if (text === '-0') text = '0';
  if (scale === undefined || scale === 0) return text;
  const dot = text.indexOf('.');
  const fraction = dot < 0 ? 0 : text.length - dot - 1;
  if (fraction > scale) return text; // more digits than the column keeps: the converter decides
  return `${dot < 0 ? `${text}.` : text}${'0'.repeat(scale - fraction)}`;
}

export function readConverter(logical: LogicalType): ReadConverter {
  switch (logical.kind) {
    case 'bool':
      return (raw) => (raw === 0n || raw === 0 ? false : raw === 1n || raw === 1 ? true : storedForm(raw));
    case 'int':
      return storedForm;
    case 'year':
      // A YEAR column has NUMERIC affinity: the zero year '0000' written as text is kept as the
      // integer 0. (Other numbers are years as they are, or not years at all, which the converter rejects.)
      return (raw) => (raw === 0n ? '0000' : storedForm(raw));
    case 'decimal': {
      const scale = logical.scale;
      return (raw) => (typeof raw === 'bigint' || typeof raw === 'number' ? decimalText(raw, scale) : storedForm(raw));
    }
    case 'float':
      return storedForm;
    case 'timestamp':
    case 'timestamptz': {
      const withZone = logical.kind === 'timestamptz';
      return (raw) => (typeof raw === 'string' ? timestampText(raw, withZone) : storedForm(raw));
    }
    case 'set':
    case 'array':
      return (raw) => {
        if (typeof raw !== 'string') return storedForm(raw);
        try {
          const parsed: unknown = JSON.parse(raw);
          return Array.isArray(parsed) ? (parsed as Value[]) : raw;
        } catch {
          return raw;
        }
      };
    case 'text':
    case 'binary':
    case 'date':
    case 'time':
    case 'interval':
    case 'uuid':
    case 'json':
    case 'enum':
    case 'bit':
    case 'other':
      return storedForm;
    default: {
      const never: never = logical;
      return never;
    }
  }
}

export type WriteBinder = (value: Value) => SqliteValue;

const SAFE_INTEGER = /^-?\d{1,15}$/;

/**
 * How each canonical value is bound for a target column of a logical type:
 *  - int: a JS number when it has at most 15 digits (fast), else a BigInt (exact to 64 bits); a
 *    uint64 above int64 would not fit a BigInt bind, so it goes as text (fromLogical gives such
 *    columns TEXT affinity, DECIMAL_TEXT(20,0), so the text is kept as is);
 *  - decimal: the canonical text; a NUMERIC-affinity column turns it into INTEGER/REAL as SQLite
 *    does for any numeric text (fromLogical keeps that to precision ≤ 15, where it is exact up to
 *    the scale padding that the reader restores), DECIMAL_TEXT keeps it verbatim;
 *  - float: a JS number (Number() of the shortest round-trip text is exact); NaN as the text 'NaN'
 *    (a NaN REAL would become NULL in SQLite);
 *  - bool: 1/0; binary: the Buffer (a BLOB); dates and times: their canonical text;
 *  - set/array: JSON text; everything else: the canonical text.
 */
export function writeBinder(logical: LogicalType): WriteBinder {
  switch (logical.kind) {
    case 'bool':
      return (v) => (v === null ? null : v === true ? 1 : v === false ? 0 : plainBind(v));
    case 'int':
      return (v) => {
        if (typeof v !== 'string') return plainBind(v);
        if (SAFE_INTEGER.test(v)) return Number(v);
        if (/^-?\d+$/.test(v)) {
          const n = BigInt(v);
          return n >= -(2n ** 63n) && n < 2n ** 63n ? n : v;
        }
        return v;
      };
    case 'float':
      return (v) => (typeof v === 'string' ? (v === 'NaN' ? v : Number(v)) : plainBind(v));
    case 'set':
    case 'array':
      return (v) => (Array.isArray(v) ? JSON.stringify(v) : plainBind(v));
    case 'decimal':
    case 'text':
    case 'binary':
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
      return plainBind;
    default: {
      const never: never = logical;
      return never;
    }
  }
}

function plainBind(v: Value): SqliteValue {
  if (v === null || typeof v === 'string' || Buffer.isBuffer(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return JSON.stringify(v);
}

/**
 * A canonical key bound for comparison with a column (range chunks): integers as BigInt/number so
 * the comparison is numeric like the ORDER BY, decimals and floats as numbers, the rest as text.
 */
export function keyBinder(logical: LogicalType): (text: string) => SqliteValue {
  switch (logical.kind) {
    case 'int':
      return (t) => (/^-?\d+$/.test(t) ? BigInt(t) : t);
    case 'decimal':
    case 'float':
      return (t) => {
        const n = Number(t);
        return Number.isNaN(n) ? t : n;
      };
    default:
      return (t) => t;
  }
}

/**
 * Values read and written as stored (ReadColumn/WriteColumn.asStored: SQLite → SQLite with the
 * column's declaration kept). The target column has the source's affinity, and SQLite's affinity
 * rules decide the storage class of what is written exactly as they did when the source row was
 * written: in an INTEGER, REAL or NUMERIC column, text that reads as a number is a number (so a
 * number there travels as its text and is bound as that number again), other text stays text; a
 * TEXT column holds text and BLOBs. Only where the text form would not say what the value was is a
 * number handed over as its text in a Buffer marked with its storage class: in a column with no
 * affinity (no declared type, BLOB), which keeps text '42' and the integer 42 apart, and for a REAL
 * ±Infinity, whose text no affinity reads as a number. Nothing is canonicalised: a date stays as
 * its text, a DECIMAL(5,2) as its number, a 500-character VARCHAR(10) as it is.
 */
/**
 * The affinity a value written as stored meets: the declared type's, but none for ANY in a STRICT
 * table, which keeps every value as given (text '5' stays text there, where elsewhere ANY's NUMERIC
 * affinity makes it 5).
 */
export function storedAffinity(native: NativeType, strictTable: boolean): SqliteAffinity {
  return strictTable && native.text.trim().toUpperCase() === 'ANY' ? 'blob' : affinityOfNative(native);
}

/** Whether a table is STRICT (pragma table_list, SQLite 3.37+). */
export function isStrictTable(db: SqliteDatabase, table: string): boolean {
  const row = db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').raw(true).get(table) as unknown[] | undefined;
  return row !== undefined && Number(row[0]) === 1;
}

const STORED_NUMBER: unique symbol = Symbol('dmsplan.sqliteStoredNumber');

function markedNumber(raw: bigint | number): Buffer {
  const bytes = Buffer.from(typeof raw === 'bigint' ? raw.toString() : float64Text(raw));
  Object.defineProperty(bytes, STORED_NUMBER, { value: typeof raw === 'bigint' ? 'integer' : 'real', enumerable: false });
  return bytes;
}

function storedNumberClass(v: Buffer): 'integer' | 'real' | undefined {
  return (v as { [STORED_NUMBER]?: 'integer' | 'real' })[STORED_NUMBER];
}

/** The reader of a column read as stored, whose declared type has affinity `affinity`. */
export function storedReader(affinity: SqliteAffinity): ReadConverter {
  const marksNumbers = affinity === 'blob';
  return (raw) => {
    if (typeof raw === 'bigint') return marksNumbers ? markedNumber(raw) : raw.toString();
    if (typeof raw === 'number') return marksNumbers || !Number.isFinite(raw) ? markedNumber(raw) : float64Text(raw);
    return storedForm(raw);
  };
}

const FLOAT_SYNTAX = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** The binder of a column written as stored (see storedReader), whose declared type has affinity `affinity`. */
export function storedBinder(affinity: SqliteAffinity): WriteBinder {
  const numeric = affinity === 'integer' || affinity === 'real' || affinity === 'numeric';
  return (v) => {
    if (Buffer.isBuffer(v)) {
      const marked = storedNumberClass(v);
      if (marked === undefined) return v;
      const text = v.toString('latin1');
      return marked === 'integer' ? BigInt(text) : Number(text);
    }
    if (typeof v !== 'string' || !numeric) return plainBind(v);
    // Text that reads as a number was a number: SQLite's affinity would have made it one.
    if (/^-?\d+$/.test(v)) {
      const n = BigInt(v);
      if (n >= -(2n ** 63n) && n < 2n ** 63n) return n;
    }
    return FLOAT_SYNTAX.test(v) ? Number(v) : v;
  };
}
