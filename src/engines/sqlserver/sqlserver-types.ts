/**
 * SQL Server native types: parsing them as a plan writes them or as introspection prints them
 * (`nvarchar(max)`, `decimal(18,2)`, `datetime2(7)`), their logical types, the most faithful native
 * type for a logical type, and the types dmsplan cannot read (refused at plan, DMS3530).
 *
 * Conventions of the NativeType: `(max)` is no parameter (`nvarchar(max)` → name 'nvarchar',
 * params []), so a rule pattern `nvarchar(n)` matches bounded columns only and `nvarchar` every one.
 * Lengths are what the type declares: characters for char/varchar (bytes under a UTF-8 collation),
 * UTF-16 code units for nchar/nvarchar — a character outside the BMP takes two.
 *
 * `timestamp` is SQL Server's old name of `rowversion`, an 8-byte counter, never a date: it is
 * parsed as rowversion. tinyint is unsigned (0–255).
 */
import type { EngineTypes } from '../contract.js';
import type { NativeType } from '../../schema/catalog.js';
import type { LogicalType } from '../../types/logical.js';

/** Spellings SQL Server takes for the same type; the canonical name is what sys.types calls it. */
const ALIASES: Readonly<Record<string, string>> = {
  integer: 'int',
  dec: 'decimal',
  'double precision': 'float',
  character: 'char',
  'char varying': 'varchar',
  'character varying': 'varchar',
  'national character': 'nchar',
  'national char': 'nchar',
  'national character varying': 'nvarchar',
  'national char varying': 'nvarchar',
  'national text': 'ntext',
  'binary varying': 'varbinary',
  timestamp: 'rowversion',
  sysname: 'nvarchar',
};

/** Types whose values dmsplan reads; every other name is refused (unreadable). */
const KNOWN: readonly string[] = [
  'bit', 'tinyint', 'smallint', 'int', 'bigint', 'decimal', 'numeric', 'money', 'smallmoney', 'float', 'real',
  'date', 'time', 'datetime', 'datetime2', 'smalldatetime', 'datetimeoffset',
  'char', 'varchar', 'nchar', 'nvarchar', 'text', 'ntext', 'binary', 'varbinary', 'image',
  'uniqueidentifier', 'xml', 'rowversion', 'hierarchyid', 'geography', 'geometry', 'sql_variant',
];

/** Known names that no row of can be read faithfully, with why (EngineTypes.unreadable). */
const UNREADABLE: Readonly<Record<string, string>> = {
  sql_variant: 'sql_variant holds a value of a different type in each row (its base type travels with it); dmsplan has no logical type for that',
};

/** Which names take which parameters: `length` (n or max), `precision` (p[, s]), `fraction` (0–7). */
type ParamShape = 'length' | 'precision' | 'fraction' | 'float' | 'none';

function shapeOf(name: string): ParamShape {
  switch (name) {
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar':
    case 'binary':
    case 'varbinary':
      return 'length';
    case 'decimal':
    case 'numeric':
      return 'precision';
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      return 'fraction';
    case 'float':
      return 'float';
    default:
      return 'none';
  }
}

/** Most characters/bytes a bounded length may be: 8000 for single-byte types, 4000 for n-types. */
function maxLength(name: string): number {
  return name === 'nchar' || name === 'nvarchar' ? 4000 : 8000;
}

/** Parses a native type; undefined when the text is not a SQL Server type (or its parameters are invalid). */
export function parseSqlServerType(text: string): NativeType | undefined {
  const src = text.trim();
  const m = /^\[?([A-Za-z_][A-Za-z0-9_]*(?:\s+[A-Za-z_][A-Za-z0-9_]*)*)\]?\s*(?:\(\s*([^)]*)\))?\s*$/.exec(src);
  if (!m) return undefined;
  const written = m[1]!.toLowerCase().replace(/\s+/g, ' ');
  const name = ALIASES[written] ?? written;
  const body = m[2];
  if (!KNOWN.includes(name)) return undefined;
  const shape = shapeOf(name);
  const parts = body === undefined ? [] : body.split(',').map((p) => p.trim().toLowerCase());
  if (written === 'sysname') return build('nvarchar', [128]);
  switch (shape) {
    case 'none':
      return parts.length === 0 ? build(name, []) : undefined;
    case 'length': {
      if (parts.length === 0) return build(name, name.startsWith('var') || name === 'nvarchar' ? [1] : [1]);
      if (parts.length !== 1) return undefined;
      if (parts[0] === 'max') return name === 'char' || name === 'nchar' || name === 'binary' ? undefined : build(name, []);
      if (!/^\d+$/.test(parts[0]!)) return undefined;
      const n = Number(parts[0]);
      return n >= 1 && n <= maxLength(name) ? build(name, [n]) : undefined;
    }
    case 'precision': {
      if (parts.length > 2 || parts.some((p) => !/^\d+$/.test(p))) return undefined;
      const p = parts.length > 0 ? Number(parts[0]) : 18;
      const s = parts.length > 1 ? Number(parts[1]) : 0;
      return p >= 1 && p <= 38 && s <= p ? build('decimal', [p, s]) : undefined;
    }
    case 'fraction': {
      if (parts.length > 1 || parts.some((p) => !/^\d+$/.test(p))) return undefined;
      const n = parts.length > 0 ? Number(parts[0]) : 7;
      return n <= 7 ? build(name, [n]) : undefined;
    }
    case 'float': {
      // float(n): 1–24 is a real (4 bytes), 25–53 a float (8 bytes), as SQL Server itself decides.
      if (parts.length > 1 || parts.some((p) => !/^\d+$/.test(p))) return undefined;
      const n = parts.length > 0 ? Number(parts[0]) : 53;
      if (n < 1 || n > 53) return undefined;
      return n <= 24 ? build('real', []) : build('float', []);
    }
    default: {
      const never: never = shape;
      return never;
    }
  }
}

function build(name: string, params: readonly number[]): NativeType {
  return { name, params, unsigned: false, text: renderText(name, params) };
}

/** How sys.types and CREATE TABLE spell a type: `nvarchar(max)` for an unbounded variable type. */
function renderText(name: string, params: readonly number[]): string {
  if (params.length > 0) return `${name}(${params.join(',')})`;
  return name === 'varchar' || name === 'nvarchar' || name === 'varbinary' ? `${name}(max)` : name;
}

export function renderSqlServerType(type: NativeType): string {
  return renderText(type.name, type.params);
}

export function sqlServerToLogical(native: NativeType): LogicalType {
  const p0 = native.params[0];
  const p1 = native.params[1];
  switch (native.name) {
    case 'bit':
      return { kind: 'bool' };
    case 'tinyint':
      return { kind: 'int', bits: 8, unsigned: true };
    case 'smallint':
      return { kind: 'int', bits: 16, unsigned: false };
    case 'int':
      return { kind: 'int', bits: 32, unsigned: false };
    case 'bigint':
      return { kind: 'int', bits: 64, unsigned: false };
    case 'decimal':
    case 'numeric':
      return { kind: 'decimal', precision: p0 ?? 18, scale: p1 ?? 0 };
    // money is a 64-bit integer of ten-thousandths: −922,337,203,685,477.5808 … 922,337,203,685,477.5807.
    case 'money':
      return { kind: 'decimal', precision: 19, scale: 4 };
    case 'smallmoney':
      return { kind: 'decimal', precision: 10, scale: 4 };
    case 'float':
      return { kind: 'float', bits: 64 };
    case 'real':
      return { kind: 'float', bits: 32 };
    case 'date':
      return { kind: 'date' };
    case 'time':
      return { kind: 'time', precision: p0 ?? 7, withTimeZone: false };
    // datetime keeps 1/300 s, printed as 3 digits (.000, .003, .007).
    case 'datetime':
      return { kind: 'timestamp', precision: 3 };
    case 'smalldatetime':
      return { kind: 'timestamp', precision: 0 };
    case 'datetime2':
      return { kind: 'timestamp', precision: p0 ?? 7 };
    case 'datetimeoffset':
      return { kind: 'timestamptz', precision: p0 ?? 7 };
    case 'char':
    case 'nchar':
      return { kind: 'text', length: p0, fixed: true };
    case 'varchar':
    case 'nvarchar':
      return { kind: 'text', length: p0, fixed: false };
    case 'text':
    case 'ntext':
      return { kind: 'text', length: undefined, fixed: false };
    case 'binary':
      return { kind: 'binary', length: p0, fixed: true };
    case 'varbinary':
      return { kind: 'binary', length: p0, fixed: false };
    case 'image':
      return { kind: 'binary', length: undefined, fixed: false };
    // A row version is 8 bytes the server hands out; a copy keeps them as bytes.
    case 'rowversion':
      return { kind: 'binary', length: 8, fixed: true };
    case 'uniqueidentifier':
      return { kind: 'uuid' };
    default:
      // xml, hierarchyid, geography, geometry: carried as their text form; sql_variant and
      // unknown names too, but those are refused at plan (unreadable).
      return { kind: 'other', native: native.name };
  }
}

/**
 * The most faithful SQL Server type for a logical type. Text goes into the Unicode types: a
 * length n becomes nvarchar(2n) (capped at 4000, else max), since nvarchar counts UTF-16 code
 * units and a character outside the BMP takes two — nvarchar(n) would refuse an n-character value
 * of emoji that the source held.
 */
export function sqlServerFromLogical(logical: LogicalType): NativeType {
  switch (logical.kind) {
    case 'bool':
      return build('bit', []);
    case 'int':
      if (logical.bits === 8) return build(logical.unsigned ? 'tinyint' : 'smallint', []);
      if (logical.bits === 16) return build(logical.unsigned ? 'int' : 'smallint', []);
      if (logical.bits === 24) return build('int', []);
      if (logical.bits === 32) return build(logical.unsigned ? 'bigint' : 'int', []);
      return logical.unsigned ? build('decimal', [20, 0]) : build('bigint', []);
    case 'decimal':
      // Beyond 38 digits, or unbounded: the exact text (a plan may choose a narrower decimal, lossy).
      if (logical.precision === undefined || logical.precision > 38) return build('nvarchar', []);
      return build('decimal', [logical.precision, Math.min(logical.scale ?? 0, logical.precision)]);
    case 'float':
      return build(logical.bits === 32 ? 'real' : 'float', []);
    case 'text':
      return textType(logical.length, logical.fixed);
    case 'binary':
      if (logical.length === undefined || logical.length > 8000) return build('varbinary', []);
      return build(logical.fixed ? 'binary' : 'varbinary', [logical.length]);
    case 'date':
      return build('date', []);
    case 'time':
      // time(n) has no zone: a time with an offset keeps it as text.
      return logical.withTimeZone ? build('nvarchar', [40]) : build('time', [Math.min(logical.precision, 7)]);
    case 'timestamp':
      return build('datetime2', [Math.min(logical.precision, 7)]);
    case 'timestamptz':
      return build('datetimeoffset', [Math.min(logical.precision, 7)]);
    case 'interval':
      return build('nvarchar', [100]);
    case 'year':
      return build('smallint', []);
    case 'uuid':
      return build('uniqueidentifier', []);
    case 'json':
    case 'enum':
    case 'set':
    case 'array':
    case 'other':
      return build('nvarchar', []);
    case 'bit':
      return logical.length !== undefined && logical.length <= 4000 ? build('varchar', [logical.length]) : build('varchar', []);
    default: {
      const never: never = logical;
      return never;
    }
  }
}

function textType(length: number | undefined, fixed: boolean): NativeType {
  if (length === undefined || length * 2 > 4000) return build('nvarchar', []);
  return build(fixed ? 'nchar' : 'nvarchar', [fixed ? length : length * 2]);
}

export const sqlServerTypes: EngineTypes = {
  parseNative: parseSqlServerType,
  toLogical: sqlServerToLogical,
  fromLogical: sqlServerFromLogical,
  knownTypeNames: () => KNOWN,
  unreadable: (native) => UNREADABLE[native.name] ?? (KNOWN.includes(native.name) ? undefined : `${native.text} is not a type dmsplan reads from SQL Server`),
};
