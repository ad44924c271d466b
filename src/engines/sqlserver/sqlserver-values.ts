/**
 * How each SQL Server column is read, exactly: the expression selected for it and the decoder of
 * what the driver (tedious) hands back. Pure, so tests assert the SQL and the decoding.
 *
 * tedious decodes several types lossily — decimal and money into JS numbers (17 significant
 * digits), datetime2/time/datetimeoffset into JS Dates (milliseconds, where SQL Server keeps 100 ns)
 * — so those are converted to text by the server itself, in styles that are independent of the
 * session's language and DATEFORMAT:
 *   decimal/numeric  CONVERT(varchar(50), c)           '-12.3400' (every scale digit)
 *   money            CONVERT(varchar(30), c, 2)        style 2: four decimals (style 0 rounds to two)
 *   date             CONVERT(char(10), c, 23)          'yyyy-mm-dd'
 *   time(n)          CONVERT(varchar(16), c)           'hh:mm:ss[.fffffff]', n digits
 *   datetime(2)      CONVERT(varchar(27), c, 121)      'yyyy-mm-dd hh:mi:ss[.fff…]'
 *   smalldatetime    CONVERT(varchar(19), c, 120)      seconds are always 00
 *   datetimeoffset   CONVERT(varchar(34), SWITCHOFFSET(c, '+00:00'), 121) → UTC, then '+00:00'
 *   uniqueidentifier CONVERT(char(36), c)              the display order (SQL Server stores the
 *                    first three groups byte-swapped; the conversion undoes it), then lower case
 *   xml, hierarchyid CONVERT(nvarchar(max), c)         '<a/>', '/1/3/'
 *   geography/geometry  WKT with Z and M (AsTextZM), prefixed 'SRID=n;' when the SRID is not 0
 * Integers, bit, float/real, text and binary come as they are (bigint as a string).
 */
import type { ReadColumn } from '../contract.js';
import type { Value } from '../../types/logical.js';
import { float32Text, float64Text } from '../../types/values/numeric-text.js';
import { quoteSqlServerIdent } from './sqlserver-ddl.js';

/** The select-list expression of one column (without alias). */
export function selectExpression(column: ReadColumn): string {
  const c = quoteSqlServerIdent(column.name);
  switch (column.native.name) {
    case 'decimal':
    case 'numeric':
      return `CONVERT(varchar(50), ${c})`;
    case 'money':
    case 'smallmoney':
      return `CONVERT(varchar(30), ${c}, 2)`;
    case 'date':
      return `CONVERT(char(10), ${c}, 23)`;
    case 'time':
      return `CONVERT(varchar(16), ${c})`;
    case 'datetime':
    case 'datetime2':
      return `CONVERT(varchar(27), ${c}, 121)`;
    case 'smalldatetime':
      return `CONVERT(varchar(19), ${c}, 120)`;
    case 'datetimeoffset':
      return `CONVERT(varchar(34), SWITCHOFFSET(${c}, '+00:00'), 121)`;
    case 'uniqueidentifier':
      return `CONVERT(char(36), ${c})`;
    case 'xml':
    case 'hierarchyid':
      return `CONVERT(nvarchar(max), ${c})`;
    case 'geography':
    case 'geometry':
      return `CASE WHEN ${c} IS NULL THEN NULL WHEN ${c}.STSrid = 0 THEN ${c}.AsTextZM() ELSE CONCAT(N'SRID=', ${c}.STSrid, N';', ${c}.AsTextZM()) END`;
    default:
      return c;
  }
}

/** A value the driver handed back that is not what the column's type gives: a bug, not data. */
function unexpected(column: ReadColumn, raw: unknown): never {
  throw new Error(`bug: SQL Server column ${column.name} (${column.native.text}) read as ${typeof raw} ${String(raw).slice(0, 40)}`);
}

/** Decodes what tedious returns for the expression of selectExpression into the canonical value. */
export function decoderFor(column: ReadColumn): (raw: unknown) => Value {
  const logical = column.logical;
  switch (column.native.name) {
    case 'bit':
      return (raw) => (raw === null || raw === undefined ? null : typeof raw === 'boolean' ? raw : unexpected(column, raw));
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      return (raw) => (raw === null || raw === undefined ? null : typeof raw === 'number' || typeof raw === 'string' || typeof raw === 'bigint' ? String(raw) : unexpected(column, raw));
    case 'float':
    case 'real': {
      const text = logical.kind === 'float' && logical.bits === 32 ? float32Text : float64Text;
      return (raw) => (raw === null || raw === undefined ? null : typeof raw === 'number' ? text(raw) : unexpected(column, raw));
    }
    case 'datetimeoffset':
      return (raw) => (raw === null || raw === undefined ? null : typeof raw === 'string' ? utcText(raw) : unexpected(column, raw));
    case 'uniqueidentifier':
      return (raw) => (raw === null || raw === undefined ? null : typeof raw === 'string' ? raw.toLowerCase() : unexpected(column, raw));
    case 'decimal':
    case 'numeric':
    case 'money':
    case 'smallmoney':
      return (raw) => (raw === null || raw === undefined ? null : typeof raw === 'string' ? decimalText(raw) : unexpected(column, raw));
    case 'binary':
    case 'varbinary':
    case 'image':
    case 'rowversion':
      return (raw) => (raw === null || raw === undefined ? null : Buffer.isBuffer(raw) ? raw : unexpected(column, raw));
    default:
      return (raw) => (raw === null || raw === undefined ? null : typeof raw === 'string' ? raw : unexpected(column, raw));
  }
}

/** '2020-01-02 03:04:05.1234567 +00:00' (style 121 of a UTC datetimeoffset) → canonical '…+00:00'. */
export function utcText(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,7})?) ?\+00:00$/.exec(text.trim());
  if (!m) throw new Error(`bug: a datetimeoffset switched to UTC printed as ${text}`);
  return `${m[1]}+00:00`;
}

/**
 * SQL Server prints a decimal whose scale is its precision without the integer zero
 * (CAST(0.1234 AS decimal(4,4)) → '.1234', '-.5000'): the canonical text has it.
 */
export function decimalText(text: string): string {
  const t = text.trim();
  if (t.startsWith('.')) return `0${t}`;
  if (t.startsWith('-.')) return `-0${t.slice(1)}`;
  return t;
}
