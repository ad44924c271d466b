/**
 * MySQL / MariaDB native types: parsing them as the server prints COLUMN_TYPE (`int(10) unsigned`,
 * `enum('a','b''c')`, `decimal(65,30)`) or as a plan writes them (`INTEGER UNSIGNED`, `boolean`,
 * `double precision`), their logical types, and the most faithful native type for a logical type.
 */
import { closestMysqlCollation } from './mysql-collations.js';
import type { EngineTypes } from '../contract.js';
import type { NativeType } from '../../schema/catalog.js';
import type { LogicalType } from '../../types/logical.js';

/** Spellings MySQL accepts for the same type; the canonical name is what COLUMN_TYPE prints. */
const ALIASES: Readonly<Record<string, string>> = {
  integer: 'int',
  int1: 'tinyint',
  int2: 'smallint',
  int3: 'mediumint',
  int4: 'int',
  int8: 'bigint',
  middleint: 'mediumint',
  dec: 'decimal',
  numeric: 'decimal',
  fixed: 'decimal',
  real: 'double',
  'double precision': 'double',
  float4: 'float',
  float8: 'double',
  character: 'char',
  nchar: 'char',
  'national char': 'char',
  'national character': 'char',
  'character varying': 'varchar',
  'char varying': 'varchar',
  nvarchar: 'varchar',
  'national varchar': 'varchar',
  'national character varying': 'varchar',
  'long varchar': 'mediumtext',
  long: 'mediumtext',
  'long varbinary': 'mediumblob',
  geomcollection: 'geometrycollection',
};

const INTEGER_BITS: Readonly<Record<string, 8 | 16 | 24 | 32 | 64>> = { tinyint: 8, smallint: 16, mediumint: 24, int: 32, bigint: 64 };

/** Byte capacity of the unsized text/blob types (an upper bound on characters, since a character is ≥ 1 byte). */
const LOB_CAPACITY: Readonly<Record<string, number | undefined>> = {
  tinytext: 255,
  text: 65535,
  mediumtext: 16777215,
  longtext: undefined,
  tinyblob: 255,
  blob: 65535,
  mediumblob: 16777215,
  longblob: undefined,
};

const SPATIAL = ['geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection'];

const KNOWN: readonly string[] = [
  'bit', 'tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'decimal', 'float', 'double',
  'char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext',
  'binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob',
  'date', 'time', 'datetime', 'timestamp', 'year', 'json', 'enum', 'set', 'uuid', 'inet4', 'inet6', 'vector',
  ...SPATIAL,
];

/** Every name a plan may write (canonical names, aliases, `bool`/`boolean`, `serial`). */
const WRITABLE = new Set([...KNOWN, ...Object.keys(ALIASES), 'bool', 'boolean', 'serial']);

// ───────────────────────────── parsing ─────────────────────────────

/** Parses a native type; undefined when the text is not a MySQL type. */
export function parseMysqlType(text: string): NativeType | undefined {
  const src = text.trim();
  const head = /^([a-z][a-z0-9_]*(?:\s+[a-z][a-z0-9_]*)*?)\s*(?=\(|$|\s+(?:unsigned|signed|zerofill)\b)/i.exec(src);
  if (!head) return undefined;
  let rawName = head[1]!.toLowerCase().replace(/\s+/g, ' ');
  let rest = src.slice(head[0].length).trim();
  let params: number[] = [];
  let values: string[] | undefined;
  if (rest.startsWith('(')) {
    const inner = readParenthesised(rest);
    if (!inner) return undefined;
    rest = rest.slice(inner.length).trim();
    const body = inner.slice(1, -1);
    if (rawName === 'enum' || rawName === 'set') {
      const labels = parseLabels(body);
      if (!labels) return undefined;
      values = labels;
    } else {
      const parts = body.split(',').map((p) => p.trim());
      if (parts.some((p) => !/^\d+$/.test(p))) return undefined;
      params = parts.map(Number);
    }
  }
  let unsigned = false;
  for (const word of rest.split(/\s+/).filter((w) => w.length > 0)) {
    const w = word.toLowerCase();
    if (w === 'unsigned') unsigned = true;
    else if (w !== 'signed' && w !== 'zerofill') return undefined;
  }
  if (rest.toLowerCase().includes('zerofill')) unsigned = true; // ZEROFILL implies UNSIGNED

  if (rawName === 'bool' || rawName === 'boolean') {
    if (params.length > 0) return undefined;
    return build('tinyint', [1], unsigned, undefined);
  }
  if (rawName === 'serial') return build('bigint', [], true, undefined);
  rawName = ALIASES[rawName] ?? rawName;
  // FLOAT(p) with a binary precision: 0–24 is a FLOAT, 25–53 a DOUBLE (MySQL's own rule).
  if (rawName === 'float' && params.length === 1) {
    const p = params[0]!;
    if (p > 53) return undefined;
    return build(p > 24 ? 'double' : 'float', [], unsigned, undefined);
  }
  if (!KNOWN.includes(rawName)) return undefined;
  if (!paramsAllowed(rawName, params, values)) return undefined;
  return build(rawName, params, unsigned, values);
}

function build(name: string, params: readonly number[], unsigned: boolean, values: readonly string[] | undefined): NativeType {
  const base = { name, params, unsigned };
  const withValues = values ? { ...base, values } : base;
  return { ...withValues, text: renderMysqlType(withValues) };
}

function paramsAllowed(name: string, params: readonly number[], values: readonly string[] | undefined): boolean {
  const n = params.length;
  switch (name) {
    case 'enum':
    case 'set':
      return values !== undefined && values.length > 0;
    case 'decimal':
      return n <= 2 && (params[0] ?? 10) <= 65 && (params[0] ?? 10) >= 1 && (params[1] ?? 0) <= 30 && (params[1] ?? 0) <= (params[0] ?? 10);
    case 'float':
    case 'double':
      return n === 0 || (n === 2 && params[1]! <= params[0]!);
    case 'bit':
      return n === 0 || (n === 1 && params[0]! >= 1 && params[0]! <= 64);
    case 'time':
    case 'datetime':
    case 'timestamp':
      return n === 0 || (n === 1 && params[0]! <= 6);
    case 'year':
      return n === 0 || (n === 1 && (params[0] === 4 || params[0] === 2));
    case 'tinyint':
    case 'smallint':
    case 'mediumint':
    case 'int':
    case 'bigint':
    case 'char':
    case 'binary':
    case 'text':
    case 'blob':
      return n <= 1;
    case 'varchar':
    case 'varbinary':
    case 'vector':
      return n === 1;
    default:
      return n === 0;
  }
}

/** `(…)` at the start of `s`, honouring quoted labels; undefined when unbalanced. */
function readParenthesised(s: string): string | undefined {
  let quote = false;
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === "'") {
        if (s[i + 1] === "'") i++;
        else quote = false;
      }
    } else if (c === "'") quote = true;
    else if (c === ')') return s.slice(0, i + 1);
  }
  return undefined;
}

const BACKSLASH_ESCAPES: Readonly<Record<string, string>> = { '0': '\0', n: '\n', r: '\r', t: '\t', b: '\b', Z: '\x1a' };

/** `'a','b''c','d\\e'` → labels; MySQL prints quotes doubled and backslashes escaped. */
function parseLabels(body: string): string[] | undefined {
  const labels: string[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < body.length && /\s/.test(body[i]!)) i++;
  };
  for (;;) {
    skipSpace();
    if (body[i] !== "'") return undefined;
    i++;
    let label = '';
    for (;;) {
      if (i >= body.length) return undefined;
      const c = body[i]!;
      if (c === '\\' && i + 1 < body.length) {
        const e = body[i + 1]!;
        label += BACKSLASH_ESCAPES[e] ?? e;
        i += 2;
      } else if (c === "'") {
        if (body[i + 1] === "'") {
          label += "'";
          i += 2;
        } else {
          i++;
          break;
        }
      } else {
        label += c;
        i++;
      }
    }
    labels.push(label);
    skipSpace();
    if (i >= body.length) return labels;
    if (body[i] !== ',') return undefined;
    i++;
  }
}

// ───────────────────────────── rendering ─────────────────────────────

/** A string literal in MySQL's default SQL mode: quotes doubled, backslashes and control bytes escaped. */
export function quoteMysqlString(value: string): string {
  let out = "'";
  for (const c of value) {
    switch (c) {
      case "'":
        out += "''";
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\0':
        out += '\\0';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\x1a':
        out += '\\Z';
        break;
      default:
        out += c;
    }
  }
  return `${out}'`;
}

/** The type as MySQL prints COLUMN_TYPE: `int(10) unsigned`, `enum('a','b''c')`. */
export function renderMysqlType(t: Pick<NativeType, 'name' | 'params' | 'unsigned' | 'values'>): string {
  if ((t.name === 'enum' || t.name === 'set') && t.values) return `${t.name}(${t.values.map(quoteMysqlString).join(',')})`;
  const params = t.params.length > 0 ? `(${t.params.join(',')})` : '';
  return `${t.name}${params}${t.unsigned ? ' unsigned' : ''}`;
}

// ───────────────────────────── native → logical ─────────────────────────────

export function mysqlToLogical(native: NativeType): LogicalType {
  const { name, params } = native;
  const bits = INTEGER_BITS[name];
  if (bits !== undefined) return { kind: 'int', bits, unsigned: native.unsigned };
  switch (name) {
    case 'bit':
      return { kind: 'bit', length: params[0] ?? 1, varying: false };
    case 'decimal':
      return { kind: 'decimal', precision: params[0] ?? 10, scale: params[1] ?? 0 };
    case 'float':
      return { kind: 'float', bits: 32 };
    case 'double':
      return { kind: 'float', bits: 64 };
    case 'char':
      return { kind: 'text', length: params[0] ?? 1, fixed: true };
    case 'varchar':
      return { kind: 'text', length: params[0], fixed: false };
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
      return { kind: 'text', length: name === 'text' && params[0] !== undefined ? params[0] : LOB_CAPACITY[name], fixed: false };
    case 'binary':
      return { kind: 'binary', length: params[0] ?? 1, fixed: true };
    case 'varbinary':
      return { kind: 'binary', length: params[0], fixed: false };
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return { kind: 'binary', length: name === 'blob' && params[0] !== undefined ? params[0] : LOB_CAPACITY[name], fixed: false };
    case 'date':
      return { kind: 'date' };
    case 'time':
      // MySQL TIME is a signed duration (±838:59:59), not a time of day.
      return { kind: 'interval', precision: params[0] ?? 0 };
    case 'datetime':
      return { kind: 'timestamp', precision: params[0] ?? 0 };
    case 'timestamp':
      // Stored as UTC and shown in the session zone: an instant.
      return { kind: 'timestamptz', precision: params[0] ?? 0 };
    case 'year':
      return { kind: 'year' };
    case 'json':
      // MySQL's JSON is a binary format that re-prints documents (keys sorted, spacing normalised).
      return { kind: 'json', binary: true };
    case 'enum':
      return { kind: 'enum', values: native.values ?? [], name: undefined };
    case 'set':
      return { kind: 'set', values: native.values ?? [] };
    case 'uuid':
      return { kind: 'uuid' };
    default:
      return { kind: 'other', native: native.text };
  }
}

// ───────────────────────────── logical → native ─────────────────────────────

/**
 * Up to this many characters a text becomes VARCHAR(n) (indexable, storable in the row); above, a
 * TEXT type by capacity. InnoDB rows are limited to 65,535 bytes across all VARCHAR columns and a
 * utf8mb4 character counts 4 bytes, so 2048 keeps tables with several long columns creatable.
 */
const MAX_VARCHAR_CHARS = 2048;
/** The same reasoning for VARBINARY (bytes). */
const MAX_VARBINARY_BYTES = 8192;

function parsed(text: string): NativeType {
  const t = parseMysqlType(text);
  if (!t) throw new Error(`bug: fromLogical produced an unparsable MySQL type ${text}`);
  return t;
}

function lobFor(kind: 'text' | 'blob', bytes: number | undefined): string {
  if (bytes === undefined) return `long${kind}`;
  if (bytes <= 255) return `tiny${kind}`;
  if (bytes <= 65535) return kind;
  if (bytes <= 16777215) return `medium${kind}`;
  return `long${kind}`;
}

/** MySQL's spatial types, whose values are read and written as (extended) well-known text. */
export function isMysqlSpatial(typeName: string): boolean {
  return SPATIAL.includes(typeName.toLowerCase());
}

export function mysqlFromLogical(logical: LogicalType): NativeType {
  switch (logical.kind) {
    case 'bool':
      return parsed('tinyint(1)');
    case 'int': {
      const name = Object.entries(INTEGER_BITS).find(([, b]) => b === logical.bits)![0];
      return parsed(`${name}${logical.unsigned ? ' unsigned' : ''}`);
    }
    case 'decimal': {
      const p = logical.precision;
      const s = logical.scale ?? 0;
      // An unbounded decimal (PostgreSQL `numeric`) can hold 131072 digits before the point and
      // 16383 after; DECIMAL(65,30) would round or overflow values that the source holds exactly.
      // LONGTEXT keeps every value digit for digit; a type rule can choose DECIMAL(p,s) with `lossy`.
      if (p === undefined || p > 65 || s > 30 || s > p) return parsed('longtext');
      return parsed(`decimal(${p},${s})`);
    }
    case 'float':
      return parsed(logical.bits === 32 ? 'float' : 'double');
    case 'text': {
      const n = logical.length;
      if (n === undefined) return parsed('longtext');
      if (logical.fixed && n >= 1 && n <= 255) return parsed(`char(${n})`);
      if (n <= MAX_VARCHAR_CHARS) return parsed(`varchar(${Math.max(n, 1)})`);
      return parsed(lobFor('text', n * 4));
    }
    case 'binary': {
      const n = logical.length;
      if (n === undefined) return parsed('longblob');
      if (logical.fixed && n >= 1 && n <= 255) return parsed(`binary(${n})`);
      if (n <= MAX_VARBINARY_BYTES) return parsed(`varbinary(${Math.max(n, 1)})`);
      return parsed(lobFor('blob', n));
    }
    case 'date':
      return parsed('date');
    case 'time':
      // A time of day fits TIME; with a zone offset it is kept as its text ('10:00:00+02:00').
      return logical.withTimeZone ? parsed('varchar(32)') : parsed(precise('time', logical.precision));
    case 'interval':
      // TIME holds ±838:59:59.999999. Longer intervals and ones with months are rejected per row
      // (MYSQL_VALUE_LIMITS) — a rule `interval -> varchar(64) using to_text` keeps every value.
      return parsed(precise('time', logical.precision));
    case 'timestamp':
      return parsed(precise('datetime', logical.precision));
    case 'timestamptz':
      // DATETIME holding UTC: TIMESTAMP's range (1970–2038) is too small for what sources hold.
      return parsed(precise('datetime', logical.precision));
    case 'year':
      return parsed('year');
    case 'uuid':
      return parsed('char(36)');
    case 'json':
      return parsed('json');
    case 'enum':
      return logical.values.length > 0 ? build('enum', [], false, logical.values) : parsed('text');
    case 'set':
      // SET has at most 64 members and labels without commas.
      return logical.values.length > 0 && logical.values.length <= 64 && logical.values.every((v) => !v.includes(','))
        ? build('set', [], false, logical.values)
        : parsed('json');
    case 'array':
      return parsed('json');
    case 'bit': {
      const n = logical.length;
      if (!logical.varying && n !== undefined && n >= 1 && n <= 64) return parsed(`bit(${n})`);
      // Longer or varying bit strings travel as their '0'/'1' text.
      return n !== undefined && n <= MAX_VARCHAR_CHARS ? parsed(`varchar(${Math.max(n, 1)})`) : parsed('longtext');
    }
    case 'other':
      // A spatial column from MySQL keeps its type (its values travel as well-known text); another
      // engine's own type never arrives here (it is mapped to text first, types/choose.ts).
      return isMysqlSpatial(logical.native) ? parsed(logical.native) : parsed('longtext');
    default: {
      const never: never = logical;
      return never;
    }
  }
}

function precise(name: string, precision: number): string {
  const p = Math.min(Math.max(precision, 0), 6);
  return p > 0 ? `${name}(${p})` : name;
}

export function mysqlKnownTypeNames(): readonly string[] {
  return [...WRITABLE].sort();
}

/** InnoDB indexes these only by a prefix: `KEY (c(191))`, never `KEY (c)`. */
const PREFIX_ONLY = new Set(['tinytext', 'text', 'mediumtext', 'longtext', 'tinyblob', 'blob', 'mediumblob', 'longblob']);

export const mysqlTypes: EngineTypes = {
  parseNative: parseMysqlType,
  toLogical: mysqlToLogical,
  fromLogical: mysqlFromLogical,
  indexedByPrefixOnly: (native) => PREFIX_ONLY.has(native.name),
  closestCollation: closestMysqlCollation,
  knownTypeNames: mysqlKnownTypeNames,
};
