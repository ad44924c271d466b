/**
 * How an Oracle column is read exactly, and its values decoded into canonical values
 * (types/logical.ts). The server formats numbers, dates and intervals as text with fixed format
 * models (never the session's NLS settings, never a JavaScript Date): no time zone, locale or
 * float rounding can touch a value on its way.
 *
 *   NUMBER, FLOAT        the column itself, which the driver (fetched as a string) spells from the
 *                        wire's base-100 digits, every digit, never in exponent form: '.5', '-12'
 *   DATE                 TO_CHAR(c, 'SYYYY-MM-DD HH24:MI:SS')        → ' 2024-02-29 13:05:00', '-0044-03-15 …'
 *   TIMESTAMP(p)         … '.FFp'; WITH [LOCAL] TIME ZONE through SYS_EXTRACT_UTC (UTC)
 *   INTERVAL …           TO_CHAR(c) → '+01-02', '-03 04:05:06.500000'
 *   BINARY_FLOAT/DOUBLE  the IEEE value the driver decodes (NaN, ±Infinity, -0 kept)
 *   CLOB, NCLOB, BLOB    fetched whole as a string / Buffer (the driver's fetch type handler)
 *   XMLTYPE, JSON        XMLSERIALIZE / JSON_SERIALIZE as a CLOB; SDO_GEOMETRY as WKT
 * (TO_CHAR(n, 'TM9') is not used for numbers: past 64 characters it switches to scientific notation.)
 * A year before 1 (Oracle's BC years, −4712 at the earliest) is written as PostgreSQL prints it,
 * 'YYYY-MM-DD … BC', which PostgreSQL targets keep and others reject per row.
 */
import type { ReadColumn } from '../contract.js';
import type { NativeType } from '../../schema/catalog.js';
import type { Value } from '../../types/logical.js';
import { float32Text, float64Text } from '../../types/values/numeric-text.js';
import { expandExponent } from '../../types/values/parse-text.js';
import { quoteOracleIdent } from './oracle-ddl.js';

function fractionFormat(digits: number): string {
  return digits > 0 ? `.FF${digits}` : '';
}

/** The fraction digits a native time type keeps. */
function fractionOf(t: NativeType): number {
  switch (t.name) {
    case 'timestamp':
    case 'timestamp with time zone':
    case 'timestamp with local time zone':
      return t.params[0] ?? 6;
    case 'interval day to second':
      return t.params[1] ?? 6;
    default:
      return 0;
  }
}

/**
 * What to SELECT for a column (`t` is the table's alias), so that its value arrives exactly.
 * Every expression is given the column's own name as its alias.
 */
export function oracleSelectExpression(column: ReadColumn): string {
  const c = `t.${quoteOracleIdent(column.name)}`;
  const t = column.native;
  switch (t.name) {
    case 'date':
      return `TO_CHAR(${c}, 'SYYYY-MM-DD HH24:MI:SS')`;
    case 'timestamp':
      return `TO_CHAR(${c}, 'SYYYY-MM-DD HH24:MI:SS${fractionFormat(fractionOf(t))}')`;
    case 'timestamp with time zone':
      return `TO_CHAR(SYS_EXTRACT_UTC(${c}), 'SYYYY-MM-DD HH24:MI:SS${fractionFormat(fractionOf(t))}')`;
    case 'timestamp with local time zone':
      return `TO_CHAR(SYS_EXTRACT_UTC(CAST(${c} AS TIMESTAMP(${fractionOf(t)}) WITH TIME ZONE)), 'SYYYY-MM-DD HH24:MI:SS${fractionFormat(fractionOf(t))}')`;
    case 'interval year to month':
    case 'interval day to second':
      return `TO_CHAR(${c})`;
    case 'rowid':
      return `ROWIDTOCHAR(${c})`;
    case 'xmltype':
      return `XMLSERIALIZE(CONTENT ${c} AS CLOB)`;
    case 'json':
      return `JSON_SERIALIZE(${c} RETURNING CLOB)`;
    case 'sdo_geometry':
      // PostGIS's extended WKT when the geometry has a spatial reference (Oracle's SRID numbers, e.g. 8307).
      return `CASE WHEN ${c} IS NULL THEN NULL WHEN ${c}.SDO_SRID IS NULL THEN SDO_UTIL.TO_WKTGEOMETRY(${c}) ELSE TO_CLOB('SRID=' || ${c}.SDO_SRID || ';') || SDO_UTIL.TO_WKTGEOMETRY(${c}) END`;
    default:
      return c;
  }
}

/** A number as the driver spells it ('.5', '-.5', '1000', and '-1e126' for Oracle's negative infinity) → canonical decimal text. */
export function decodeOracleNumber(text: string): string {
  let s = text.trim();
  if (/[eE]/.test(s)) s = expandExponent(s);
  if (s.startsWith('-.')) s = `-0${s.slice(1)}`;
  else if (s.startsWith('.')) s = `0${s}`;
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

/** A float the driver decoded → canonical float text (float32 in its shortest form). */
export function decodeOracleFloat(value: number, bits: 32 | 64): string {
  return bits === 32 ? float32Text(value) : float64Text(value);
}

/**
 * 'SYYYY-MM-DD HH24:MI:SS[.FFn]' → canonical timestamp text: the sign position is a space for AD
 * years and '-' for BC ones; trailing zeros of the fraction are dropped; `dateOnly` keeps the date.
 */
export function decodeOracleDateTime(text: string, suffix = ''): string {
  const bc = text.startsWith('-');
  let s = text.replace(/^[ +-]/, '');
  const dot = s.indexOf('.');
  if (dot >= 0) s = s.replace(/0+$/, '').replace(/\.$/, '');
  // Beyond the canonical years a value is PostgreSQL's own text (types/logical.ts), whose UTC offset
  // is '+00' there: '4712-01-01 00:00:00+00 BC', as a PostgreSQL source reads it back.
  return bc ? `${s}${suffix === '+00:00' ? '+00' : suffix} BC` : `${s}${suffix}`;
}

/** TO_CHAR of INTERVAL YEAR TO MONTH ('+01-02', '-100-11') → '1 year 2 mons', '-100 years -11 mons'. */
export function decodeOracleYearMonth(text: string): string {
  const m = /^([+-])?(\d+)-(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`bug: ${JSON.stringify(text)} is not an INTERVAL YEAR TO MONTH`);
  const sign = m[1] === '-' ? '-' : '';
  const years = Number(m[2]);
  const months = Number(m[3]);
  const parts: string[] = [];
  if (years !== 0) parts.push(`${sign}${years} year${years === 1 && !sign ? '' : 's'}`);
  if (months !== 0) parts.push(`${sign}${months} mon${months === 1 && !sign ? '' : 's'}`);
  return parts.length ? parts.join(' ') : '00:00:00';
}

/** TO_CHAR of INTERVAL DAY TO SECOND ('+01 02:03:04.500000', '-00 00:00:01') → '1 day 02:03:04.5', '-00:00:01'. */
export function decodeOracleDaySecond(text: string): string {
  const m = /^([+-])?(\d+) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`bug: ${JSON.stringify(text)} is not an INTERVAL DAY TO SECOND`);
  const sign = m[1] === '-' ? '-' : '';
  const days = Number(m[2]);
  const fraction = (m[6] ?? '').replace(/0+$/, '');
  const time = `${m[3]}:${m[4]}:${m[5]}${fraction ? `.${fraction}` : ''}`;
  const zeroTime = /^00:00:00$/.test(time);
  if (days === 0) return `${zeroTime ? '' : sign}${time}`;
  const dayPart = `${sign}${days} day${days === 1 && !sign ? '' : 's'}`;
  return zeroTime ? dayPart : `${dayPart} ${sign}${time}`;
}

/** How a fetched value of `column` becomes canonical. The driver hands strings, numbers, Buffers or booleans. */
export function oracleDecoder(column: ReadColumn): (raw: unknown) => Value {
  const t = column.native;
  const logical = column.logical;
  switch (t.name) {
    case 'number':
    case 'float':
      return (raw) => (raw === null || raw === undefined ? null : decodeOracleNumber(String(raw)));
    case 'binary_float':
    case 'binary_double':
      return (raw) => (raw === null || raw === undefined ? null : decodeOracleFloat(Number(raw), t.name === 'binary_float' ? 32 : 64));
    case 'date':
    case 'timestamp':
      if (logical.kind === 'other') return (raw) => (raw === null || raw === undefined ? null : String(raw).trim());
      return (raw) => (raw === null || raw === undefined ? null : decodeOracleDateTime(String(raw)));
    case 'timestamp with time zone':
    case 'timestamp with local time zone':
      if (logical.kind === 'other') return (raw) => (raw === null || raw === undefined ? null : `${String(raw).trim()}+00:00`);
      return (raw) => (raw === null || raw === undefined ? null : decodeOracleDateTime(String(raw), '+00:00'));
    case 'interval year to month':
      return (raw) => (raw === null || raw === undefined ? null : decodeOracleYearMonth(String(raw)));
    case 'interval day to second':
      if (logical.kind === 'other') return (raw) => (raw === null || raw === undefined ? null : String(raw));
      return (raw) => (raw === null || raw === undefined ? null : decodeOracleDaySecond(String(raw)));
    case 'boolean':
      return (raw) => (raw === null || raw === undefined ? null : raw === true || raw === 1 || raw === '1');
    case 'blob':
    case 'raw':
    case 'long raw':
      return (raw) => (raw === null || raw === undefined ? null : Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw), 'hex'));
    default:
      return (raw) => (raw === null || raw === undefined ? null : String(raw));
  }
}

// ───────────────────────────── key ranges ─────────────────────────────

const NUMERIC = /^-?\d+(\.\d+)?$/;

/**
 * A key bound (canonical text) as an expression comparable with the column: numbers inline (checked
 * digits only), everything else as a bind variable, converted with a fixed format model.
 * Returns the SQL and the value to bind.
 */
export function oracleKeyBound(column: ReadColumn, value: string, bindIndex: number): { readonly sql: string; readonly bind: OracleBind | undefined } {
  const bind = `:${bindIndex}`;
  switch (column.logical.kind) {
    case 'int':
    case 'decimal':
      if (!NUMERIC.test(value)) throw new Error(`bug: key bound ${JSON.stringify(value)} of a numeric key`);
      return { sql: value, bind: undefined };
    case 'timestamp':
      return column.native.name === 'date'
        ? { sql: `TO_DATE(${bind}, 'SYYYY-MM-DD HH24:MI:SS')`, bind: oracleDateTimeText(value, false) }
        : { sql: `TO_TIMESTAMP(${bind}, 'SYYYY-MM-DD HH24:MI:SS.FF')`, bind: oracleDateTimeText(value, true) };
    case 'timestamptz':
      return { sql: `TO_TIMESTAMP_TZ(${bind}, 'SYYYY-MM-DD HH24:MI:SS.FF TZH:TZM')`, bind: `${oracleDateTimeText(value.replace(/\+00(?::00)?( BC)?$/, '$1'), true)} +00:00` };
    default:
      // An NVARCHAR2/NCHAR key may hold characters the database character set lacks: its bound
      // travels in the national character set, or it would be converted (and changed) on the way.
      return { sql: bind, bind: column.native.name === 'nvarchar2' || column.native.name === 'nchar' || column.native.name === 'nclob' ? { national: value } : value };
  }
}

/** A bind value: text in the database character set, or in the national one (NVARCHAR2, NCHAR). */
export type OracleBind = string | { readonly national: string };

/**
 * Canonical timestamp text → the 'SYYYY-MM-DD HH24:MI:SS[.FF]' text TO_DATE / TO_TIMESTAMP read:
 * with `fraction`, one is always present (the .FF element needs digits); without, none may be.
 */
export function oracleDateTimeText(canonical: string, fraction: boolean): string {
  const bc = canonical.endsWith(' BC');
  const s = bc ? canonical.slice(0, -3) : canonical;
  const shaped = fraction ? (s.includes('.') ? s : `${s}.0`) : s.replace(/\.\d*$/, '');
  return `${bc ? '-' : ''}${shaped}`;
}
