/**
 * SQLite declared types. SQLite accepts any text as a column's declared type and derives only an
 * *affinity* from it (https://www.sqlite.org/datatype3.html §3.1); values of any storage class can
 * still sit in any column. We map a declared type to a logical type in two steps:
 *
 *  1. Well-known names that carry intent beyond their affinity keep it: DATE → date, DATETIME /
 *     TIMESTAMP → timestamp(6), BOOLEAN → bool, JSON → json, UUID → uuid, DECIMAL(p,s) /
 *     NUMERIC(p,s) → decimal(p,s), TIME, INTERVAL, YEAR, TIMESTAMPTZ, and our own exact-storage
 *     spellings DECIMAL_TEXT(p,s), BIT_TEXT(n) and JSON_TEXT (see fromLogical).
 *  2. Everything else follows the affinity rules, in SQLite's order: contains INT → int64;
 *     CHAR/CLOB/TEXT → text (a declared length is kept as the logical length, NVARCHAR(40) →
 *     text(40), although SQLite does not enforce it: it records the schema author's intent and
 *     gives targets that need a bound — indexed MySQL columns — one; a longer value is rejected
 *     per row by the converter, never truncated); BLOB → binary; no declared type → other (each
 *     value in its text form, a BLOB's as \x-hex: such columns mix storage classes); REAL/FLOA/DOUB →
 *     float64; otherwise NUMERIC affinity → unbounded decimal.
 *
 * Timestamps: SQLite has no date type and its date functions write text with up to 3 fraction
 * digits, but applications store anything; we take precision 6 (the canonical maximum) so that no
 * stored fraction is narrowed, and DATETIME(p) keeps an explicit p.
 */
import type { EngineTypes } from '../contract.js';
import type { NativeType } from '../../schema/catalog.js';
import type { LogicalType } from '../../types/logical.js';

/** The default fractional-second precision of SQLite date/time text (see the file comment). */
export const SQLITE_TIME_PRECISION = 6;

/** Affinity of a declared type, by SQLite's own five rules (§3.1), in order. */
export type SqliteAffinity = 'integer' | 'text' | 'blob' | 'real' | 'numeric';

export function affinityOf(declared: string): SqliteAffinity {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'integer';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t.includes('BLOB') || t.trim() === '') return 'blob';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'real';
  return 'numeric';
}

/**
 * Parses a declared type: a name of one or more words, then optionally `(n)` or `(n, m)` with
 * signed numbers (SQLite's grammar). Anything is a valid SQLite type, so this only fails on text
 * that is not a type name at all (unbalanced parentheses, punctuation).
 */
export function parseSqliteType(text: string): NativeType | undefined {
  const src = text.trim();
  if (src === '') return { name: '', params: [], unsigned: false, text: '' };
  const m = /^([A-Za-z_][A-Za-z0-9_]*(?:\s+[A-Za-z_][A-Za-z0-9_]*)*)\s*(?:\(\s*([+-]?\d+)\s*(?:,\s*([+-]?\d+)\s*)?\))?\s*$/.exec(src);
  if (!m) return undefined;
  const words = m[1]!.toLowerCase().split(/\s+/);
  const unsigned = words.includes('unsigned');
  const params = [m[2], m[3]].filter((p): p is string => p !== undefined).map(Number);
  return { name: words.join(' '), params, unsigned, text: src };
}

function paramOr(native: NativeType, index: number): number | undefined {
  const p = native.params[index];
  return p !== undefined && p >= 0 ? p : undefined;
}

/** Declared names whose meaning is more than their affinity. */
function intentOf(native: NativeType): LogicalType | undefined {
  const p0 = paramOr(native, 0);
  const p1 = paramOr(native, 1);
  switch (native.name) {
    case 'bool':
    case 'boolean':
      return { kind: 'bool' };
    case 'date':
      return { kind: 'date' };
    case 'datetime':
    case 'timestamp':
      return { kind: 'timestamp', precision: Math.min(p0 ?? SQLITE_TIME_PRECISION, 6) };
    case 'timestamptz':
    case 'timestamp with time zone':
    case 'datetimeoffset':
      return { kind: 'timestamptz', precision: Math.min(p0 ?? SQLITE_TIME_PRECISION, 6) };
    case 'time':
      return { kind: 'time', precision: Math.min(p0 ?? SQLITE_TIME_PRECISION, 6), withTimeZone: false };
    case 'timetz':
    case 'time with time zone':
      return { kind: 'time', precision: Math.min(p0 ?? SQLITE_TIME_PRECISION, 6), withTimeZone: true };
    case 'interval':
      return { kind: 'interval', precision: Math.min(p0 ?? SQLITE_TIME_PRECISION, 6) };
    case 'year':
      return { kind: 'year' };
    case 'json':
    case 'json_text':
      return { kind: 'json', binary: false };
    case 'jsonb':
    case 'jsonb_text':
      return { kind: 'json', binary: true };
    case 'uuid':
    case 'uniqueidentifier':
      return { kind: 'uuid' };
    case 'decimal':
    case 'numeric':
    case 'decimal_text':
      // NUMERIC without parameters is the plain NUMERIC affinity: unbounded.
      return p0 === undefined ? { kind: 'decimal', precision: undefined, scale: undefined } : { kind: 'decimal', precision: p0, scale: p1 ?? 0 };
    case 'any':
      // ANY says the column holds any value: in a STRICT table every storage class as given, in
      // another text that does not read as a number beside numbers. Its values travel as text like
      // those of a column with no type; a decimal would reject the text.
      return { kind: 'other', native: 'any' };
    case 'bit_text':
      return { kind: 'bit', length: p0, varying: false };
    case 'varbit_text':
      return { kind: 'bit', length: p0, varying: true };
    default:
      return undefined;
  }
}

/** The affinity SQLite gives a column declared with `native`. */
export function affinityOfNative(native: NativeType): SqliteAffinity {
  return affinityOf(native.text === '' ? native.name : native.text.replace(/\(.*$/s, ''));
}

export function sqliteToLogical(native: NativeType): LogicalType {
  const intended = intentOf(native);
  if (intended) return intended;
  const affinity = affinityOfNative(native);
  switch (affinity) {
    case 'integer':
      return { kind: 'int', bits: 64, unsigned: false };
    case 'text': {
      const fixed = /^(n?char|character|nchar|native character)$/.test(native.name);
      return { kind: 'text', length: paramOr(native, 0), fixed };
    }
    case 'blob':
      // No declared type: the column holds whatever was put in (often text and numbers mixed);
      // 'other' carries each value's text form, where binary would refuse all but BLOBs.
      return native.name === '' ? { kind: 'other', native: '' } : { kind: 'binary', length: undefined, fixed: false };
    case 'real':
      return { kind: 'float', bits: 64 };
    case 'numeric':
      // Not a name we know: BLOB-like spellings (BINARY, VARBINARY) are binary, the rest numeric.
      if (native.name === 'binary' || native.name === 'varbinary' || native.name === 'bytea') {
        return { kind: 'binary', length: paramOr(native, 0), fixed: native.name === 'binary' };
      }
      return { kind: 'decimal', precision: undefined, scale: undefined };
    default: {
      const never: never = affinity;
      return never;
    }
  }
}

function native(text: string): NativeType {
  const parsed = parseSqliteType(text);
  if (!parsed) throw new Error(`bug: ${text} is not a SQLite type`);
  return parsed;
}

/**
 * The most faithful declared type for a logical type, readable for people who open the file.
 * Exactness comes first: SQLite's NUMERIC affinity turns text that looks like a number into a
 * REAL keeping only 15 significant digits, and would strip the leading zeros of a bit string, so
 * decimals wider than 15 digits, uint64 (beyond int64) and bit strings get TEXT-affinity
 * spellings of our own (`DECIMAL_TEXT(p,s)`, `BIT_TEXT(n)`) that this module reads back as the
 * same logical type. So do JSON documents (`JSON_TEXT`, `JSONB_TEXT`): a plain `JSON` column has
 * NUMERIC affinity, which stores a document that is a number ('1.000000000000000000001', '1e400',
 * ' 42 ') as an INTEGER or REAL, its digits and spelling lost. Integers are all stored as 64-bit by SQLite whatever their declared width.
 */
export function sqliteFromLogical(logical: LogicalType): NativeType {
  switch (logical.kind) {
    case 'bool':
      return native('BOOLEAN');
    case 'int':
      if (logical.bits === 64 && logical.unsigned) return native('DECIMAL_TEXT(20,0)');
      return native(INT_NAMES[logical.bits] + (logical.unsigned ? ' UNSIGNED' : ''));
    case 'decimal':
      if (logical.precision === undefined) return native('DECIMAL_TEXT');
      if (logical.precision > 15) return native(`DECIMAL_TEXT(${logical.precision},${logical.scale ?? 0})`);
      return native(`DECIMAL(${logical.precision},${logical.scale ?? 0})`);
    case 'float':
      return native(logical.bits === 32 ? 'FLOAT' : 'REAL');
    case 'text':
      if (logical.length === undefined) return native('TEXT');
      return native(`${logical.fixed ? 'CHAR' : 'VARCHAR'}(${logical.length})`);
    case 'binary':
      if (logical.length === undefined) return native('BLOB');
      return native(`${logical.fixed ? 'BINARY' : 'VARBINARY'}(${logical.length})`);
    case 'date':
      return native('DATE');
    case 'time':
      return native(`${logical.withTimeZone ? 'TIMETZ' : 'TIME'}${logical.precision === SQLITE_TIME_PRECISION ? '' : `(${logical.precision})`}`);
    case 'interval':
      return native(`INTERVAL${logical.precision === SQLITE_TIME_PRECISION ? '' : `(${logical.precision})`}`);
    case 'timestamp':
      return native(`DATETIME${logical.precision === SQLITE_TIME_PRECISION ? '' : `(${logical.precision})`}`);
    case 'timestamptz':
      return native(`TIMESTAMPTZ${logical.precision === SQLITE_TIME_PRECISION ? '' : `(${logical.precision})`}`);
    case 'year':
      return native('YEAR');
    case 'uuid':
      return native('UUID');
    case 'json':
      return native(logical.binary ? 'JSONB_TEXT' : 'JSON_TEXT');
    case 'enum':
      // Labels may look like numbers ('01'); TEXT affinity keeps them exactly.
      return native('TEXT');
    case 'set':
    case 'array':
      // Stored as JSON text (the writer serialises arrays); a JSON array is never numeric text, so
      // the NUMERIC affinity of the readable JSON spelling leaves it as it is.
      return native('JSON');
    case 'bit':
      return native(`${logical.varying ? 'VARBIT_TEXT' : 'BIT_TEXT'}${logical.length === undefined ? '' : `(${logical.length})`}`);
    case 'other':
      return native('TEXT');
    default: {
      const never: never = logical;
      return never;
    }
  }
}

const INT_NAMES: Readonly<Record<8 | 16 | 24 | 32 | 64, string>> = { 8: 'TINYINT', 16: 'SMALLINT', 24: 'MEDIUMINT', 32: 'INTEGER', 64: 'BIGINT' };

/** How a declared type is written in DDL: as given (SQLite keeps the text verbatim). */
export function renderSqliteType(type: NativeType): string {
  if (type.text !== '') return type.text;
  if (type.name === '') return '';
  const params = type.params.length ? `(${type.params.join(',')})` : '';
  return `${type.name.toUpperCase()}${params}`;
}

const KNOWN_NAMES: readonly string[] = [
  'integer', 'int', 'tinyint', 'smallint', 'mediumint', 'bigint', 'unsigned big int', 'int2', 'int8',
  'character', 'varchar', 'varying character', 'nchar', 'native character', 'nvarchar', 'char', 'text', 'clob',
  'blob', 'binary', 'varbinary', 'real', 'double', 'double precision', 'float',
  'numeric', 'decimal', 'decimal_text', 'boolean', 'bool', 'date', 'datetime', 'timestamp', 'timestamptz',
  'time', 'timetz', 'interval', 'year', 'json', 'jsonb', 'json_text', 'jsonb_text', 'uuid', 'bit_text', 'varbit_text',
];

export const sqliteTypes: EngineTypes = {
  parseNative: parseSqliteType,
  toLogical: sqliteToLogical,
  fromLogical: sqliteFromLogical,
  knownTypeNames: () => KNOWN_NAMES,
  keepsDeclaredTypes: true,
  collationIgnores: (collation) => (collation === 'NOCASE' ? 'ASCII case' : collation === 'RTRIM' ? 'trailing spaces' : undefined),
};
