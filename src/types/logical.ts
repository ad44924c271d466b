/**
 * Engine-neutral logical types. Every engine maps its native types to these (introspection) and
 * these to native types (DDL). Conversions and lossiness are reasoned about here, never in terms
 * of one engine's spelling.
 */
export type LogicalType =
  | { readonly kind: 'bool' }
  | { readonly kind: 'int'; readonly bits: 8 | 16 | 24 | 32 | 64; readonly unsigned: boolean }
  /** precision undefined = unbounded (PostgreSQL `numeric` without a typmod). */
  | { readonly kind: 'decimal'; readonly precision: number | undefined; readonly scale: number | undefined }
  | { readonly kind: 'float'; readonly bits: 32 | 64 }
  /** Text. `length` is in characters; undefined = unbounded. `fixed` = blank-padded CHAR(n). */
  | { readonly kind: 'text'; readonly length: number | undefined; readonly fixed: boolean }
  | { readonly kind: 'binary'; readonly length: number | undefined; readonly fixed: boolean }
  | { readonly kind: 'date' }
  /** Time of day; precision = fractional-second digits. */
  | { readonly kind: 'time'; readonly precision: number; readonly withTimeZone: boolean }
  /** A signed duration like MySQL TIME (±838:59:59) or PostgreSQL interval. */
  | { readonly kind: 'interval'; readonly precision: number }
  | { readonly kind: 'timestamp'; readonly precision: number }
  | { readonly kind: 'timestamptz'; readonly precision: number }
  | { readonly kind: 'year' }
  | { readonly kind: 'uuid' }
  | { readonly kind: 'json'; readonly binary: boolean }
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly name: string | undefined }
  | { readonly kind: 'set'; readonly values: readonly string[] }
  | { readonly kind: 'array'; readonly element: LogicalType }
  | { readonly kind: 'bit'; readonly length: number | undefined; readonly varying: boolean }
  /** A native type with no neutral equivalent (geometry, xml, money, …): carried as its text form. */
  | { readonly kind: 'other'; readonly native: string };

export type LogicalKind = LogicalType['kind'];

/**
 * Canonical values: how a value travels between a source reader and a target writer, whatever the
 * engines. One representation per logical kind, chosen to be exact:
 *   bool          → boolean
 *   int, decimal  → string of decimal digits ('-12', '3.1400') — never a JS number (no rounding)
 *   float         → string, shortest round-trip form ('1.5', '-0', 'NaN', 'Infinity', '1e+300')
 *   text, enum, json, uuid, other → string
 *   binary        → Buffer
 *   date          → 'YYYY-MM-DD' (years 0001–9999); timestamp → 'YYYY-MM-DD HH:MM:SS[.ffffff]'
 *   timestamptz   → 'YYYY-MM-DD HH:MM:SS[.ffffff]+00:00' (always normalised to UTC)
 *   time          → 'HH:MM:SS[.ffffff]' (timetz: with '+HH:MM' offset)
 *   interval      → PostgreSQL `IntervalStyle = postgres` text: optional '<n> year(s)', '<n> mon(s)',
 *                   '<n> day(s)' parts, then '[-]H+:MM:SS[.ffffff]' with unbounded hours — so a MySQL
 *                   TIME '-838:59:59' is already canonical
 *   year          → '1901'…'2155' (string); bit → string of '0'/'1'
 *   set           → string[]; array → Value[] (nested, null elements allowed)
 *   null          → null for every kind
 * A zero or partial-zero MySQL date is carried as its text ('0000-00-00'); only a conversion decides
 * what it becomes.
 */
export type Value = null | string | boolean | Buffer | readonly Value[];

export type Row = Value[];

export function describeLogical(t: LogicalType): string {
  switch (t.kind) {
    case 'bool':
    case 'date':
    case 'year':
    case 'uuid':
      return t.kind;
    case 'int':
      return `${t.unsigned ? 'uint' : 'int'}${t.bits}`;
    case 'decimal':
      return t.precision === undefined ? 'decimal' : `decimal(${t.precision},${t.scale ?? 0})`;
    case 'float':
      return `float${t.bits}`;
    case 'text':
      return t.length === undefined ? 'text' : `${t.fixed ? 'char' : 'varchar'}(${t.length})`;
    case 'binary':
      return t.length === undefined ? 'binary' : `${t.fixed ? 'binary' : 'varbinary'}(${t.length})`;
    case 'time':
      return `time(${t.precision})${t.withTimeZone ? ' tz' : ''}`;
    case 'interval':
      return `interval(${t.precision})`;
    case 'timestamp':
      return `timestamp(${t.precision})`;
    case 'timestamptz':
      return `timestamptz(${t.precision})`;
    case 'json':
      return t.binary ? 'jsonb' : 'json';
    case 'enum':
      return `enum(${t.values.map((v) => `'${v}'`).join(',')})`;
    case 'set':
      return `set(${t.values.map((v) => `'${v}'`).join(',')})`;
    case 'array':
      return `${describeLogical(t.element)}[]`;
    case 'bit':
      return `${t.varying ? 'varbit' : 'bit'}(${t.length ?? ''})`;
    case 'other':
      return `other(${t.native})`;
  }
}
