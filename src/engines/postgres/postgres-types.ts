/**
 * PostgreSQL native types (shared by PGlite): parsing them as `format_type()` prints them
 * (`character varying(255)`, `timestamp(3) with time zone`, `integer[]`) or as a plan writes them
 * (`varchar(255)`, `timestamptz(3)`, `int4`), their logical types, and the most faithful native
 * type for a logical type.
 *
 * Canonical names are format_type's: 'integer', 'character varying', 'timestamp with time zone'…
 * so a rule written `timestamptz(p)` matches an introspected `timestamp(3) with time zone`.
 *
 * Enums: a NativeType with `values` and `userTypeName`. The checker names the enum type of a column
 * that has no name of its own `<table>_<column>` (lower case); `fromLogical` keeps that name and the
 * dialect's `createTypes` creates it in the table's schema.
 */
import type { EngineTypes } from '../contract.js';
import type { NativeType } from '../../schema/catalog.js';
import type { LogicalType } from '../../types/logical.js';

const ALIASES: Readonly<Record<string, string>> = {
  int: 'integer',
  int4: 'integer',
  int2: 'smallint',
  int8: 'bigint',
  serial: 'integer',
  serial4: 'integer',
  smallserial: 'smallint',
  serial2: 'smallint',
  bigserial: 'bigint',
  serial8: 'bigint',
  decimal: 'numeric',
  float4: 'real',
  float8: 'double precision',
  double: 'double precision',
  varchar: 'character varying',
  'char varying': 'character varying',
  char: 'character',
  bpchar: 'character',
  bool: 'boolean',
  time: 'time without time zone',
  timetz: 'time with time zone',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  datetime: 'timestamp without time zone',
  varbit: 'bit varying',
};

/** Types whose single parameter is a fractional-second precision (0–6), written before the zone words. */
const WITH_PRECISION = new Set(['time without time zone', 'time with time zone', 'timestamp without time zone', 'timestamp with time zone', 'interval']);
const WITH_LENGTH = new Set(['character varying', 'character', 'bit', 'bit varying']);

/** Built-in names with no neutral equivalent: carried as `other` with their text form. */
const OTHER_BUILTINS = [
  'money', 'inet', 'cidr', 'macaddr', 'macaddr8', 'xml', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle',
  'tsvector', 'tsquery', 'pg_lsn', 'txid_snapshot', 'pg_snapshot', 'oid', 'name', 'regclass', 'int4range', 'int8range',
  'numrange', 'tsrange', 'tstzrange', 'daterange', 'int4multirange', 'int8multirange', 'nummultirange', 'tsmultirange',
  'tstzmultirange', 'datemultirange', 'hstore', 'citext', 'geometry', 'geography', 'vector',
];

const CANONICAL = [
  'smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision', 'text', 'character varying', 'character',
  'bytea', 'boolean', 'date', 'time without time zone', 'time with time zone', 'timestamp without time zone',
  'timestamp with time zone', 'interval', 'uuid', 'json', 'jsonb', 'bit', 'bit varying',
];

const KNOWN = new Set([...CANONICAL, ...OTHER_BUILTINS]);

// ───────────────────────────── parsing ─────────────────────────────

/**
 * Parses a type name as format_type prints it or a plan writes it; undefined when it is not a
 * PostgreSQL built-in type (user enums are built by introspection, not parsed).
 */
export function parsePostgresType(text: string): NativeType | undefined {
  let src = text.trim().replace(/\s+/g, ' ');
  let dims = 0;
  for (;;) {
    const arr = /\s*(\[\d*\]|\barray(\[\d*\])?)$/i.exec(src);
    if (!arr) break;
    dims++;
    src = src.slice(0, arr.index).trim();
  }
  if (dims > 0) {
    const element = parsePostgresType(src);
    if (!element || element.element) return undefined;
    return arrayOf(element);
  }
  // `timestamp(3) with time zone`, `time (3) without time zone`, `numeric(20, 0)`, `interval day to second(3)`
  const m = /^([a-z][a-z0-9_ ]*?)\s*(?:\(\s*([0-9 ,]*)\))?\s*((?:with|without) time zone)?$/i.exec(src);
  if (!m) return undefined;
  let name = m[1]!.toLowerCase().trim();
  const params = m[2] === undefined ? [] : m[2].split(',').map((p) => p.trim());
  if (params.some((p) => !/^\d+$/.test(p))) return undefined;
  const numbers = params.map(Number);
  const zone = m[3]?.toLowerCase();
  if (/^interval\b/.test(name)) {
    // Interval field restrictions (`interval day to second`) do not change the values we move.
    if (!/^interval( (year|month|day|hour|minute|second)( to (month|hour|minute|second))?)?$/.test(name)) return undefined;
    name = 'interval';
  }
  if (name === 'float') {
    if (numbers.length > 1 || (numbers[0] !== undefined && (numbers[0] < 1 || numbers[0] > 53))) return undefined;
    return build((numbers[0] ?? 53) <= 24 ? 'real' : 'double precision', []);
  }
  if (zone) {
    if (name === 'time' || name === 'timestamp') name = `${name} ${zone}`;
    else return undefined;
  }
  name = ALIASES[name] ?? name;
  if (!KNOWN.has(name)) return undefined;
  if (!paramsAllowed(name, numbers)) return undefined;
  if (name === 'numeric' && numbers.length === 1) numbers.push(0);
  return build(name, numbers);
}

function paramsAllowed(name: string, params: readonly number[]): boolean {
  const n = params.length;
  if (WITH_PRECISION.has(name)) return n === 0 || (n === 1 && params[0]! <= 6);
  if (WITH_LENGTH.has(name)) return n === 0 || (n === 1 && params[0]! >= 1 && params[0]! <= 10485760);
  if (name === 'numeric') return n === 0 || (params[0]! >= 1 && params[0]! <= 1000 && (n === 1 || (n === 2 && params[1]! <= params[0]!)));
  return n === 0;
}

function build(name: string, params: readonly number[]): NativeType {
  return { name, params, unsigned: false, text: renderPostgresType({ name, params }) };
}

function arrayOf(element: NativeType): NativeType {
  return { name: `${element.name}[]`, params: [], unsigned: false, text: `${element.text}[]`, element };
}

/** An enum type as introspection finds it (or as fromLogical makes it). */
export function enumNative(typeName: string, values: readonly string[]): NativeType {
  return { name: typeName, params: [], unsigned: false, text: typeName, values, userTypeName: typeName };
}

/** The type as format_type would print it; enums by their (unquoted) name — the dialect quotes. */
export function renderPostgresType(t: Pick<NativeType, 'name' | 'params'> & { readonly element?: NativeType }): string {
  if (t.element) return `${renderPostgresType(t.element)}[]`;
  const p = t.params;
  if (t.name === 'time without time zone' || t.name === 'time with time zone' || t.name === 'timestamp without time zone' || t.name === 'timestamp with time zone') {
    const [base, ...zone] = t.name.split(' ');
    return p.length ? `${base}(${p[0]}) ${zone.join(' ')}` : t.name;
  }
  return p.length ? `${t.name}(${p.join(',')})` : t.name;
}

// ───────────────────────────── native ⇄ logical ─────────────────────────────

export function postgresToLogical(native: NativeType): LogicalType {
  if (native.element) return { kind: 'array', element: postgresToLogical(native.element) };
  if (native.values) return { kind: 'enum', values: native.values, name: native.userTypeName ?? native.name };
  const p0 = native.params[0];
  switch (native.name) {
    case 'boolean':
      return { kind: 'bool' };
    case 'smallint':
      return { kind: 'int', bits: 16, unsigned: false };
    case 'integer':
      return { kind: 'int', bits: 32, unsigned: false };
    case 'bigint':
      return { kind: 'int', bits: 64, unsigned: false };
    case 'numeric':
      return p0 === undefined ? { kind: 'decimal', precision: undefined, scale: undefined } : { kind: 'decimal', precision: p0, scale: native.params[1] ?? 0 };
    case 'real':
      return { kind: 'float', bits: 32 };
    case 'double precision':
      return { kind: 'float', bits: 64 };
    case 'text':
      return { kind: 'text', length: undefined, fixed: false };
    case 'character varying':
      return { kind: 'text', length: p0, fixed: false };
    case 'character':
      return { kind: 'text', length: p0 ?? 1, fixed: true };
    case 'bytea':
      return { kind: 'binary', length: undefined, fixed: false };
    case 'date':
      return { kind: 'date' };
    case 'time without time zone':
      return { kind: 'time', precision: p0 ?? 6, withTimeZone: false };
    case 'time with time zone':
      return { kind: 'time', precision: p0 ?? 6, withTimeZone: true };
    case 'timestamp without time zone':
      return { kind: 'timestamp', precision: p0 ?? 6 };
    case 'timestamp with time zone':
      return { kind: 'timestamptz', precision: p0 ?? 6 };
    case 'interval':
      return { kind: 'interval', precision: p0 ?? 6 };
    case 'uuid':
      return { kind: 'uuid' };
    case 'json':
      return { kind: 'json', binary: false };
    case 'jsonb':
      return { kind: 'json', binary: true };
    case 'bit':
      return { kind: 'bit', length: p0 ?? 1, varying: false };
    case 'bit varying':
      return { kind: 'bit', length: p0, varying: true };
    default:
      return { kind: 'other', native: native.text };
  }
}

const TEXT: NativeType = build('text', []);

export function postgresFromLogical(logical: LogicalType): NativeType {
  switch (logical.kind) {
    case 'bool':
      return build('boolean', []);
    case 'int':
      switch (logical.bits) {
        case 8:
          return build('smallint', []);
        case 16:
          return build(logical.unsigned ? 'integer' : 'smallint', []);
        case 24:
          return build('integer', []);
        case 32:
          return build(logical.unsigned ? 'bigint' : 'integer', []);
        case 64:
          return logical.unsigned ? build('numeric', [20, 0]) : build('bigint', []);
      }
      return build('bigint', []);
    case 'decimal':
      if (logical.precision === undefined || logical.precision > 1000 || logical.precision < 1) return build('numeric', []);
      return build('numeric', [logical.precision, Math.min(logical.scale ?? 0, logical.precision)]);
    case 'float':
      return build(logical.bits === 32 ? 'real' : 'double precision', []);
    case 'text':
      if (logical.length === undefined || logical.length > 10485760 || logical.length < 1) return TEXT;
      return build(logical.fixed ? 'character' : 'character varying', [logical.length]);
    case 'binary':
      return build('bytea', []);
    case 'date':
      return build('date', []);
    case 'time':
      return build(logical.withTimeZone ? 'time with time zone' : 'time without time zone', precision(logical.precision));
    case 'interval':
      return build('interval', precision(logical.precision));
    case 'timestamp':
      return build('timestamp without time zone', precision(logical.precision));
    case 'timestamptz':
      return build('timestamp with time zone', precision(logical.precision));
    case 'year':
      return build('smallint', []);
    case 'uuid':
      return build('uuid', []);
    case 'json':
      return build(logical.binary ? 'jsonb' : 'json', []);
    case 'enum':
      // Without a type name there is nothing to create: the labels travel as text.
      return logical.name === undefined ? TEXT : enumNative(logical.name, logical.values);
    case 'set':
      return arrayOf(TEXT);
    case 'array': {
      const element = postgresFromLogical(logical.element);
      return element.element ? element : arrayOf(element);
    }
    case 'bit':
      if (logical.length === undefined) return build(logical.varying ? 'bit varying' : 'bit', []);
      return build(logical.varying ? 'bit varying' : 'bit', [Math.min(Math.max(logical.length, 1), 10485760)]);
    case 'other':
      return parsePostgresType(logical.native) ?? TEXT;
    default: {
      const never: never = logical;
      return never;
    }
  }
}

/** Precision 6 is the default: `timestamp` rather than `timestamp(6)`, as format_type prints it. */
function precision(p: number): readonly number[] {
  return p >= 6 ? [] : [Math.max(0, p)];
}

export function postgresKnownTypeNames(): readonly string[] {
  return [...CANONICAL, ...Object.keys(ALIASES), 'float', ...OTHER_BUILTINS];
}

export const postgresTypes: EngineTypes = {
  parseNative: parsePostgresType,
  toLogical: postgresToLogical,
  fromLogical: postgresFromLogical,
  knownTypeNames: postgresKnownTypeNames,
};
