/**
 * Small hand-made EngineTypes for MySQL and PostgreSQL, enough for the type-system tests to run
 * without the real engines (which other engineers write concurrently). They follow each engine's
 * documented types; the real modules replace them in test/types/real-engines.test.ts.
 */
import type { EngineTypes } from '../../../src/engines/contract.js';
import type { NativeType } from '../../../src/schema/catalog.js';
import type { LogicalType } from '../../../src/types/logical.js';

function parseGeneric(text: string, aliases: Readonly<Record<string, string>>, known: ReadonlySet<string>): NativeType | undefined {
  let t = text.trim().toLowerCase();
  let element: NativeType | undefined;
  if (t.endsWith('[]')) {
    element = parseGeneric(t.slice(0, -2), aliases, known);
    if (!element) return undefined;
    return { name: element.name, params: [], unsigned: false, text: `${element.text}[]`, element };
  }
  let unsigned = false;
  if (t.endsWith(' unsigned')) {
    unsigned = true;
    t = t.slice(0, -' unsigned'.length).trim();
  }
  const open = t.indexOf('(');
  let name = open < 0 ? t : t.slice(0, open).trim();
  let params: number[] = [];
  let values: string[] | undefined;
  if (open >= 0) {
    const inner = t.slice(open + 1, t.lastIndexOf(')'));
    if (inner.includes("'")) values = [...inner.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
    else params = inner.split(',').map((p) => Number(p.trim()));
    if (params.some((p) => !Number.isInteger(p))) return undefined;
  }
  const alias = aliases[name];
  if (alias) {
    if (alias.includes('(')) return parseGeneric(alias + (unsigned ? ' unsigned' : ''), {}, known);
    name = alias;
  }
  if (!known.has(name)) return undefined;
  const shown = `${name}${params.length ? `(${params.join(',')})` : ''}${values ? `(${values.map((v) => `'${v}'`).join(',')})` : ''}${unsigned ? ' unsigned' : ''}`;
  return { name, params, unsigned, text: shown, ...(values ? { values } : {}) };
}

// ───────────────────────────── MySQL ─────────────────────────────

const MYSQL_KNOWN = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'decimal', 'float', 'double', 'bit', 'year', 'date', 'datetime', 'timestamp', 'time', 'char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'enum', 'set', 'json', 'geometry']);
const MYSQL_ALIASES = { integer: 'int', bool: 'tinyint(1)', boolean: 'tinyint(1)', numeric: 'decimal', dec: 'decimal', real: 'double' };
const INT_BITS = { tinyint: 8, smallint: 16, mediumint: 24, int: 32, bigint: 64 } as const;

export const fakeMysqlTypes: EngineTypes = {
  parseNative: (text) => parseGeneric(text, MYSQL_ALIASES, MYSQL_KNOWN),
  knownTypeNames: () => [...MYSQL_KNOWN],
  toLogical(n): LogicalType {
    const p0 = n.params[0];
    switch (n.name) {
      case 'tinyint':
      case 'smallint':
      case 'mediumint':
      case 'int':
      case 'bigint':
        return { kind: 'int', bits: INT_BITS[n.name], unsigned: n.unsigned };
      case 'decimal':
        return { kind: 'decimal', precision: p0 ?? 10, scale: n.params[1] ?? 0 };
      case 'float':
        return { kind: 'float', bits: 32 };
      case 'double':
        return { kind: 'float', bits: 64 };
      case 'bit':
        return { kind: 'bit', length: p0 ?? 1, varying: false };
      case 'year':
        return { kind: 'year' };
      case 'date':
        return { kind: 'date' };
      case 'datetime':
        return { kind: 'timestamp', precision: p0 ?? 0 };
      case 'timestamp':
        return { kind: 'timestamptz', precision: p0 ?? 0 };
      case 'time':
        return { kind: 'interval', precision: p0 ?? 0 };
      case 'char':
        return { kind: 'text', length: p0 ?? 1, fixed: true };
      case 'varchar':
        return { kind: 'text', length: p0 ?? 255, fixed: false };
      case 'tinytext':
        return { kind: 'text', length: 255, fixed: false };
      case 'text':
        return { kind: 'text', length: 65535, fixed: false };
      case 'mediumtext':
        return { kind: 'text', length: 16777215, fixed: false };
      case 'longtext':
        return { kind: 'text', length: 4294967295, fixed: false };
      case 'binary':
        return { kind: 'binary', length: p0 ?? 1, fixed: true };
      case 'varbinary':
        return { kind: 'binary', length: p0 ?? 255, fixed: false };
      case 'tinyblob':
        return { kind: 'binary', length: 255, fixed: false };
      case 'blob':
        return { kind: 'binary', length: 65535, fixed: false };
      case 'mediumblob':
        return { kind: 'binary', length: 16777215, fixed: false };
      case 'longblob':
        return { kind: 'binary', length: 4294967295, fixed: false };
      case 'enum':
        return { kind: 'enum', values: n.values ?? [], name: undefined };
      case 'set':
        return { kind: 'set', values: n.values ?? [] };
      case 'json':
        return { kind: 'json', binary: true };
      default:
        return { kind: 'other', native: n.text };
    }
  },
  fromLogical(l): NativeType {
    const t = (text: string) => fakeMysqlTypes.parseNative(text)!;
    switch (l.kind) {
      case 'bool':
        return t('tinyint(1)');
      case 'int':
        return t(`${{ 8: 'tinyint', 16: 'smallint', 24: 'mediumint', 32: 'int', 64: 'bigint' }[l.bits]}${l.unsigned ? ' unsigned' : ''}`);
      case 'decimal':
        return l.precision === undefined || l.precision > 65 ? t('longtext') : t(`decimal(${l.precision},${l.scale ?? 0})`);
      case 'float':
        return t(l.bits === 32 ? 'float' : 'double');
      case 'text':
        return l.length === undefined || l.length > 16383 ? t('longtext') : t(`${l.fixed ? 'char' : 'varchar'}(${l.length})`);
      case 'binary':
        return l.length === undefined || l.length > 65535 ? t('longblob') : t(`${l.fixed ? 'binary' : 'varbinary'}(${l.length})`);
      case 'date':
        return t('date');
      case 'timestamp':
      case 'timestamptz':
        return t(`datetime(${Math.min(6, l.precision)})`);
      case 'time':
      case 'interval':
        return t(`time(${Math.min(6, l.precision)})`);
      case 'year':
        return t('year');
      case 'uuid':
        return t('char(36)');
      case 'json':
      case 'array':
        return t('json');
      case 'enum':
        return { name: 'enum', params: [], unsigned: false, text: `enum(${l.values.map((v) => `'${v}'`).join(',')})`, values: l.values };
      case 'set':
        return { name: 'set', params: [], unsigned: false, text: `set(${l.values.map((v) => `'${v}'`).join(',')})`, values: l.values };
      case 'bit':
        return t(`bit(${l.length ?? 64})`);
      case 'other':
        return t('longtext');
    }
  },
};

// ───────────────────────────── PostgreSQL ─────────────────────────────

const PG_KNOWN = new Set(['boolean', 'smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision', 'bit', 'varbit', 'date', 'timestamp', 'timestamptz', 'time', 'timetz', 'interval', 'char', 'varchar', 'text', 'bytea', 'uuid', 'json', 'jsonb', 'money', 'xml']);
const PG_ALIASES = { int: 'integer', int4: 'integer', int2: 'smallint', int8: 'bigint', bool: 'boolean', float4: 'real', float8: 'double precision', decimal: 'numeric', 'timestamp with time zone': 'timestamptz', 'timestamp without time zone': 'timestamp', 'character varying': 'varchar', character: 'char', 'bit varying': 'varbit' };

export const fakePostgresTypes: EngineTypes = {
  parseNative(text) {
    const n = parseGeneric(text, PG_ALIASES, PG_KNOWN);
    if (n && n.name === 'numeric' && (n.params[0] ?? 1) > 1000) return undefined;
    return n;
  },
  knownTypeNames: () => [...PG_KNOWN],
  toLogical(n): LogicalType {
    if (n.element) return { kind: 'array', element: fakePostgresTypes.toLogical(n.element) };
    if (n.userTypeName) return { kind: 'enum', values: n.values ?? [], name: n.userTypeName };
    const p0 = n.params[0];
    switch (n.name) {
      case 'boolean':
        return { kind: 'bool' };
      case 'smallint':
        return { kind: 'int', bits: 16, unsigned: false };
      case 'integer':
        return { kind: 'int', bits: 32, unsigned: false };
      case 'bigint':
        return { kind: 'int', bits: 64, unsigned: false };
      case 'numeric':
        return { kind: 'decimal', precision: p0, scale: p0 === undefined ? undefined : (n.params[1] ?? 0) };
      case 'real':
        return { kind: 'float', bits: 32 };
      case 'double precision':
        return { kind: 'float', bits: 64 };
      case 'bit':
        return { kind: 'bit', length: p0 ?? 1, varying: false };
      case 'varbit':
        return { kind: 'bit', length: p0, varying: true };
      case 'date':
        return { kind: 'date' };
      case 'timestamp':
        return { kind: 'timestamp', precision: p0 ?? 6 };
      case 'timestamptz':
        return { kind: 'timestamptz', precision: p0 ?? 6 };
      case 'time':
        return { kind: 'time', precision: p0 ?? 6, withTimeZone: false };
      case 'timetz':
        return { kind: 'time', precision: p0 ?? 6, withTimeZone: true };
      case 'interval':
        return { kind: 'interval', precision: p0 ?? 6 };
      case 'char':
        return { kind: 'text', length: p0 ?? 1, fixed: true };
      case 'varchar':
        return { kind: 'text', length: p0, fixed: false };
      case 'text':
        return { kind: 'text', length: undefined, fixed: false };
      case 'bytea':
        return { kind: 'binary', length: undefined, fixed: false };
      case 'uuid':
        return { kind: 'uuid' };
      case 'json':
        return { kind: 'json', binary: false };
      case 'jsonb':
        return { kind: 'json', binary: true };
      default:
        return { kind: 'other', native: n.name };
    }
  },
  fromLogical(l): NativeType {
    const t = (text: string) => fakePostgresTypes.parseNative(text)!;
    switch (l.kind) {
      case 'bool':
        return t('boolean');
      case 'int':
        return l.bits <= 8 || (l.bits === 16 && !l.unsigned) ? t('smallint') : l.bits <= 24 || (l.bits === 32 && !l.unsigned) ? t('integer') : l.bits === 64 && l.unsigned ? t('numeric(20,0)') : t('bigint');
      case 'decimal':
        return l.precision === undefined ? t('numeric') : t(`numeric(${l.precision},${l.scale ?? 0})`);
      case 'float':
        return t(l.bits === 32 ? 'real' : 'double precision');
      case 'text':
        return l.length === undefined || l.length > 10485760 ? t('text') : t(`${l.fixed ? 'char' : 'varchar'}(${l.length})`);
      case 'binary':
        return t('bytea');
      case 'date':
        return t('date');
      case 'timestamp':
        return t(`timestamp(${Math.min(6, l.precision)})`);
      case 'timestamptz':
        return t(`timestamptz(${Math.min(6, l.precision)})`);
      case 'time':
        return t(`${l.withTimeZone ? 'timetz' : 'time'}(${Math.min(6, l.precision)})`);
      case 'interval':
        return t(`interval(${Math.min(6, l.precision)})`);
      case 'year':
        return t('smallint');
      case 'uuid':
        return t('uuid');
      case 'json':
        return t(l.binary ? 'jsonb' : 'json');
      case 'enum': {
        const name = l.name ?? 'enum_type';
        return { name, params: [], unsigned: false, text: name, values: l.values, userTypeName: name };
      }
      case 'set':
        return t('text[]');
      case 'array': {
        const element = fakePostgresTypes.fromLogical(l.element);
        return { name: element.name, params: [], unsigned: false, text: `${element.text}[]`, element };
      }
      case 'bit':
        return t(l.varying ? (l.length === undefined ? 'varbit' : `varbit(${l.length})`) : `bit(${l.length ?? 1})`);
      case 'other':
        return t('text');
    }
  },
};
