/**
 * Oracle native types: parsing them as ALL_TAB_COLUMNS describes them (introspection rebuilds the
 * text `NUMBER(10,2)`, `VARCHAR2(20 CHAR)`, `TIMESTAMP(6) WITH TIME ZONE`, `INTERVAL DAY(2) TO
 * SECOND(6)`) or as a plan writes them, their logical types, and the most faithful native type for a
 * logical type.
 *
 * Decisions (docs/type-mapping.md repeats them):
 * - NUMBER is a decimal floating-point number of up to 38–40 significant digits: never a float.
 *   NUMBER(p) / NUMBER(p,0) are integers, sized by how many digits they hold (≤ 4 → int16, ≤ 9 →
 *   int32, ≤ 18 → int64, more → decimal(p,0)). NUMBER(p,s) with a negative scale holds integers of
 *   p − s digits; with s > p it holds fractions below 10^(p−s): decimal(s,s). NUMBER without
 *   precision (and FLOAT(b), which is NUMBER with a binary precision) is an unbounded decimal.
 * - BINARY_FLOAT / BINARY_DOUBLE are IEEE floats (NaN and ±Infinity included).
 * - DATE has a time of day (to the second): timestamp(0), never date.
 * - TIMESTAMP(p) keeps up to 9 fraction digits; the logical types hold 6, so TIMESTAMP(7..9) is
 *   carried as its exact text (`other`) instead of being rounded silently; a plan rule may map it
 *   to timestamp(6): `timestamp(9) -> timestamp(6) using cast lossy`.
 * - TIMESTAMP WITH [LOCAL] TIME ZONE: an instant, read in UTC (the zone region is not kept — as in
 *   PostgreSQL's timestamptz).
 * - VARCHAR2(n BYTE) holds at most n characters as well: text(n) either way.
 * - Types the reader does not know (object types, VARRAY, nested tables, BFILE, ANYDATA) have no
 *   logical type: `oracleReadProblem` names them and the plan refuses the column (DMS3530).
 */
import type { EngineTypes } from '../contract.js';
import type { NativeType } from '../../schema/catalog.js';
import type { LogicalType } from '../../types/logical.js';

/** Names that have no parameters: `XMLTYPE`, `CLOB`. */
const PLAIN = [
  'binary_float', 'binary_double', 'clob', 'nclob', 'blob', 'long', 'long raw', 'date', 'rowid', 'xmltype', 'json', 'boolean', 'sdo_geometry', 'bfile',
] as const;

const SIZED = ['varchar2', 'nvarchar2', 'char', 'nchar', 'raw', 'urowid'] as const;

const ALIASES: Readonly<Record<string, string>> = {
  varchar: 'varchar2',
  'character varying': 'varchar2',
  'char varying': 'varchar2',
  character: 'char',
  'national character': 'nchar',
  'national char': 'nchar',
  'national character varying': 'nvarchar2',
  'national char varying': 'nvarchar2',
  'nchar varying': 'nvarchar2',
  nvarchar: 'nvarchar2',
  'sys.xmltype': 'xmltype',
  'public.xmltype': 'xmltype',
  'mdsys.sdo_geometry': 'sdo_geometry',
  'public.sdo_geometry': 'sdo_geometry',
  bool: 'boolean',
  'binary float': 'binary_float',
  'binary double': 'binary_double',
};

/** ANSI spellings Oracle stores as NUMBER or FLOAT. */
const NUMBER_ALIASES: Readonly<Record<string, readonly number[]>> = {
  integer: [38, 0],
  int: [38, 0],
  smallint: [38, 0],
};
const FLOAT_ALIASES: Readonly<Record<string, readonly number[]>> = {
  'double precision': [126],
  real: [63],
};

export const ORACLE_KNOWN_TYPES: readonly string[] = [
  'number', 'float', ...PLAIN, ...SIZED,
  'timestamp', 'timestamp with time zone', 'timestamp with local time zone', 'interval year to month', 'interval day to second',
];

/** The default fraction digits of TIMESTAMP and INTERVAL DAY TO SECOND, and the leading field precision of intervals. */
const DEFAULT_FRACTION = 6;
const DEFAULT_LEADING = 2;

function native(name: string, params: readonly number[], text: string): NativeType {
  return { name, params, unsigned: false, text };
}

const NUM = '\\s*(\\d+)\\s*';

/**
 * Parses a native type; undefined when the text is not an Oracle type. `text` is kept as written
 * (trimmed): it carries what the name and parameters do not (BYTE or CHAR length semantics).
 */
export function parseOracleType(text: string): NativeType | undefined {
  const src = text.trim().replace(/\s+/g, ' ');
  const lower = src.toLowerCase();
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^timestamp(?:\\(${NUM}\\))?( with (?:local )?time zone)?$`).exec(lower))) {
    const name = m[2] ? `timestamp${m[2]}` : 'timestamp';
    return native(name, [m[1] === undefined ? DEFAULT_FRACTION : Number(m[1])], src);
  }
  if ((m = new RegExp(`^interval year(?:\\(${NUM}\\))? to month$`).exec(lower))) {
    return native('interval year to month', [m[1] === undefined ? DEFAULT_LEADING : Number(m[1])], src);
  }
  if ((m = new RegExp(`^interval day(?:\\(${NUM}\\))? to second(?:\\(${NUM}\\))?$`).exec(lower))) {
    return native('interval day to second', [m[1] === undefined ? DEFAULT_LEADING : Number(m[1]), m[2] === undefined ? DEFAULT_FRACTION : Number(m[2])], src);
  }
  if ((m = /^(number|numeric|decimal|dec)(?:\(\s*(\d+|\*)\s*(?:,\s*(-?\d+)\s*)?\))?$/.exec(lower))) {
    if (m[2] === undefined) return native('number', m[1] === 'number' ? [] : [38, 0], src);
    const precision = m[2] === '*' ? 38 : Number(m[2]);
    return native('number', [precision, m[3] === undefined ? 0 : Number(m[3])], src);
  }
  if ((m = new RegExp(`^float(?:\\(${NUM}\\))?$`).exec(lower))) return native('float', [m[1] === undefined ? 126 : Number(m[1])], src);
  if (NUMBER_ALIASES[lower]) return native('number', NUMBER_ALIASES[lower]!, src);
  if (FLOAT_ALIASES[lower]) return native('float', FLOAT_ALIASES[lower]!, src);
  if ((m = /^([a-z][a-z0-9_ .]*?)\s*(?:\(\s*(\d+)\s*(byte|char)?\s*\))?$/.exec(lower))) {
    const name = ALIASES[m[1]!] ?? m[1]!;
    if ((PLAIN as readonly string[]).includes(name)) return m[2] === undefined ? native(name, [], src) : undefined;
    if ((SIZED as readonly string[]).includes(name)) {
      if (m[3] !== undefined && !['varchar2', 'char'].includes(name)) return undefined;
      // CHAR and NCHAR default to one character; the others need a length (UROWID: 4000 bytes).
      const length = m[2] !== undefined ? Number(m[2]) : name === 'char' || name === 'nchar' ? 1 : name === 'urowid' ? 4000 : undefined;
      return length === undefined ? undefined : native(name, [length], src);
    }
  }
  return undefined;
}

/** How many decimal digits an integer of `bits` always holds (int16: 4, int32: 9, int64: 18). */
function integerOfDigits(digits: number): LogicalType {
  if (digits <= 4) return { kind: 'int', bits: 16, unsigned: false };
  if (digits <= 9) return { kind: 'int', bits: 32, unsigned: false };
  if (digits <= 18) return { kind: 'int', bits: 64, unsigned: false };
  return { kind: 'decimal', precision: digits, scale: 0 };
}

/** The most fraction digits a logical time type has (the canonical forms stop at microseconds). */
const MAX_LOGICAL_FRACTION = 6;

export function oracleToLogical(t: NativeType): LogicalType {
  const [p0, p1] = t.params;
  switch (t.name) {
    case 'number': {
      if (p0 === undefined) return { kind: 'decimal', precision: undefined, scale: undefined };
      const scale = p1 ?? 0;
      if (scale <= 0) return integerOfDigits(p0 - scale);
      return scale > p0 ? { kind: 'decimal', precision: scale, scale } : { kind: 'decimal', precision: p0, scale };
    }
    case 'float':
      return { kind: 'decimal', precision: undefined, scale: undefined };
    case 'binary_float':
      return { kind: 'float', bits: 32 };
    case 'binary_double':
      return { kind: 'float', bits: 64 };
    case 'varchar2':
    case 'nvarchar2':
      return { kind: 'text', length: p0, fixed: false };
    case 'char':
    case 'nchar':
      return { kind: 'text', length: p0 ?? 1, fixed: true };
    case 'clob':
    case 'nclob':
    case 'long':
      return { kind: 'text', length: undefined, fixed: false };
    case 'rowid':
      // Extended ROWIDs print as 18 characters of base 64.
      return { kind: 'text', length: 18, fixed: false };
    case 'urowid':
      return { kind: 'text', length: p0 ?? 4000, fixed: false };
    case 'blob':
    case 'long raw':
      return { kind: 'binary', length: undefined, fixed: false };
    case 'raw':
      return { kind: 'binary', length: p0, fixed: false };
    case 'date':
      return { kind: 'timestamp', precision: 0 };
    case 'timestamp':
      return (p0 ?? DEFAULT_FRACTION) > MAX_LOGICAL_FRACTION ? { kind: 'other', native: renderOracleType(t) } : { kind: 'timestamp', precision: p0 ?? DEFAULT_FRACTION };
    case 'timestamp with time zone':
    case 'timestamp with local time zone':
      return (p0 ?? DEFAULT_FRACTION) > MAX_LOGICAL_FRACTION ? { kind: 'other', native: renderOracleType(t) } : { kind: 'timestamptz', precision: p0 ?? DEFAULT_FRACTION };
    case 'interval year to month':
      return { kind: 'interval', precision: 0 };
    case 'interval day to second':
      return (p1 ?? DEFAULT_FRACTION) > MAX_LOGICAL_FRACTION ? { kind: 'other', native: renderOracleType(t) } : { kind: 'interval', precision: p1 ?? DEFAULT_FRACTION };
    case 'json':
      return { kind: 'json', binary: true };
    case 'boolean':
      return { kind: 'bool' };
    case 'xmltype':
      return { kind: 'other', native: 'xmltype' };
    case 'sdo_geometry':
      return { kind: 'other', native: 'sdo_geometry' };
    default:
      return { kind: 'other', native: t.name };
  }
}

/**
 * Why the reader cannot read a column of this type, or undefined when it can. Every name that
 * oracleToLogical maps to a logical type of its own is readable; `other` is readable only for the
 * types whose text form the reader knows how to ask for.
 */
export function oracleReadProblem(t: NativeType): string | undefined {
  if ((ORACLE_KNOWN_TYPES as readonly string[]).includes(t.name) && t.name !== 'bfile') return undefined;
  if (t.name === 'bfile') return 'BFILE points to a file outside the database, which dmsplan does not read';
  return `${t.text || t.name} is a type dmsplan cannot read from Oracle (object types, VARRAYs, nested tables and ANYDATA are not supported)`;
}

/** The most faithful Oracle type for a logical type (used when Oracle is a target). */
export function oracleFromLogical(logical: LogicalType): NativeType {
  const make = (text: string): NativeType => {
    const parsed = parseOracleType(text);
    if (!parsed) throw new Error(`bug: ${text} is not an Oracle type`);
    return parsed;
  };
  switch (logical.kind) {
    case 'bool':
      // BOOLEAN exists from 23ai only; NUMBER(1) everywhere.
      return make('NUMBER(1)');
    case 'int': {
      const digits = logical.bits === 8 ? 3 : logical.bits === 16 ? 5 : logical.bits === 24 ? 8 : logical.bits === 32 ? 10 : logical.unsigned ? 20 : 19;
      return make(`NUMBER(${digits})`);
    }
    case 'decimal':
      // NUMBER holds at most 38 digits of precision; a wider or unbounded decimal gets NUMBER, whose
      // values still round past 38–40 significant digits (the plan's fit check says so).
      return logical.precision === undefined || logical.precision > 38 ? make('NUMBER') : make(`NUMBER(${logical.precision},${logical.scale ?? 0})`);
    case 'float':
      return make(logical.bits === 32 ? 'BINARY_FLOAT' : 'BINARY_DOUBLE');
    case 'text':
      if (logical.length === undefined || logical.length > 4000) return make('NCLOB');
      return make(`${logical.fixed && logical.length <= 2000 ? 'CHAR' : 'VARCHAR2'}(${logical.length} CHAR)`);
    case 'binary':
      return logical.length === undefined || logical.length > 2000 ? make('BLOB') : make(`RAW(${logical.length})`);
    case 'date':
      return make('DATE');
    case 'time':
      return make(logical.withTimeZone ? 'VARCHAR2(30)' : `INTERVAL DAY(0) TO SECOND(${logical.precision})`);
    case 'interval':
      return make(`INTERVAL DAY(9) TO SECOND(${logical.precision})`);
    case 'timestamp':
      return make(`TIMESTAMP(${logical.precision})`);
    case 'timestamptz':
      return make(`TIMESTAMP(${logical.precision}) WITH TIME ZONE`);
    case 'year':
      return make('NUMBER(4)');
    case 'uuid':
      return make('VARCHAR2(36)');
    case 'json':
      return make('CLOB');
    case 'enum':
      return make(`VARCHAR2(${Math.max(1, ...logical.values.map((v) => v.length))} CHAR)`);
    case 'set':
    case 'array':
    case 'other':
      return make('NCLOB');
    case 'bit':
      return logical.length !== undefined && logical.length <= 4000 ? make(`VARCHAR2(${logical.length})`) : make('CLOB');
    default: {
      const never: never = logical;
      return never;
    }
  }
}

/** How a type is written in DDL: `NUMBER(10,2)`, `VARCHAR2(20 CHAR)`, `TIMESTAMP(3) WITH TIME ZONE`. */
export function renderOracleType(t: NativeType): string {
  const [p0, p1] = t.params;
  switch (t.name) {
    case 'number':
      return p0 === undefined ? 'NUMBER' : `NUMBER(${p0},${p1 ?? 0})`;
    case 'float':
      return `FLOAT(${p0 ?? 126})`;
    case 'varchar2':
    case 'char': {
      const semantics = /\b(byte|char)\s*\)\s*$/i.exec(t.text)?.[1]?.toUpperCase();
      return `${t.name.toUpperCase()}(${p0 ?? 1}${semantics ? ` ${semantics}` : ''})`;
    }
    case 'nvarchar2':
    case 'nchar':
    case 'raw':
    case 'urowid':
      return `${t.name.toUpperCase()}(${p0 ?? 1})`;
    case 'timestamp':
      return `TIMESTAMP(${p0 ?? DEFAULT_FRACTION})`;
    case 'timestamp with time zone':
      return `TIMESTAMP(${p0 ?? DEFAULT_FRACTION}) WITH TIME ZONE`;
    case 'timestamp with local time zone':
      return `TIMESTAMP(${p0 ?? DEFAULT_FRACTION}) WITH LOCAL TIME ZONE`;
    case 'interval year to month':
      return `INTERVAL YEAR(${p0 ?? DEFAULT_LEADING}) TO MONTH`;
    case 'interval day to second':
      return `INTERVAL DAY(${p0 ?? DEFAULT_LEADING}) TO SECOND(${p1 ?? DEFAULT_FRACTION})`;
    default:
      return t.text || t.name.toUpperCase();
  }
}

/** Whether a VARCHAR2 or CHAR column counts its length in bytes (the default under NLS_LENGTH_SEMANTICS = BYTE). */
export function hasByteSemantics(t: NativeType): boolean {
  return (t.name === 'varchar2' || t.name === 'char') && !/\bchar\s*\)\s*$/i.test(t.text);
}

export const oracleTypes: EngineTypes = {
  parseNative: parseOracleType,
  toLogical: oracleToLogical,
  fromLogical: oracleFromLogical,
  knownTypeNames: () => ORACLE_KNOWN_TYPES,
  unreadable: oracleReadProblem,
};
