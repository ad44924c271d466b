/**
 * The queries of a SQL Server read, as text (pure): the streamed SELECT of a chunk, counts, key
 * bounds and split points. By default only integer keys are split (capabilities.orderedKeyRanges is
 * false); a plan's `chunk … by COLUMN` may name a decimal, text, date, time or uuid column too. The
 * bounds are read by the server in the column's exact text form (sqlserver-values.ts) and written
 * back as literals of the column's own type — `CONVERT(datetime, '…', 121)`, never a datetime2
 * literal, which a datetime column would be converted to and compared in — so the ranges and the
 * server's ordering agree whatever its collation, and meet end to end.
 */
import { EngineError, type QualifiedName, type ReadColumn, type ReadRequest } from '../contract.js';
import { qualifySqlServer, quoteSqlServerIdent } from './sqlserver-ddl.js';
import { renderSqlServerType } from './sqlserver-types.js';
import { selectExpression } from './sqlserver-values.js';

const NUMBER = /^-?\d+(\.\d+)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d{1,7})?)?$/;
const TIME = /^\d{2}:\d{2}:\d{2}(\.\d{1,7})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why rows of a table cannot be split on this column here, or undefined when they can. */
export function rangeProblem(column: ReadColumn): string | undefined {
  switch (column.native.name) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
    case 'decimal':
    case 'numeric':
    case 'money':
    case 'smallmoney':
    case 'char':
    case 'varchar':
    case 'nchar':
    case 'nvarchar':
    case 'date':
    case 'datetime':
    case 'datetime2':
    case 'smalldatetime':
    case 'time':
    case 'uniqueidentifier':
      return undefined;
    default:
      return `a SQL Server table is not split into ranges on a ${column.native.text} column (${column.name}): chunk it by an integer, decimal, text, date, time or uuid column, or leave out \`chunk … by\``;
  }
}

/** A bound (canonical text, as the key's decoder gave it) as a literal of the column's type. */
export function keyLiteral(column: ReadColumn, text: string): string {
  const problem = rangeProblem(column);
  if (problem !== undefined) throw new EngineError(problem, 'unsupported', undefined, '');
  const bad = (): never => {
    throw new Error(`bug: SQL Server key range on ${column.name} (${column.native.text}) with the bound ${JSON.stringify(text)}`);
  };
  const type = renderSqlServerType(column.native);
  switch (column.native.name) {
    case 'char':
    case 'varchar':
      // A non-Unicode literal: an N'' one would turn the column into nvarchar for the comparison.
      return `'${text.replace(/'/g, "''")}'`;
    case 'nchar':
    case 'nvarchar':
      return `N'${text.replace(/'/g, "''")}'`;
    case 'date':
      return DATE_TIME.test(text) && text.length === 10 ? `CONVERT(date, '${text}', 23)` : bad();
    case 'datetime':
    case 'datetime2':
    case 'smalldatetime':
      return DATE_TIME.test(text) ? `CONVERT(${type}, '${text}', 121)` : bad();
    case 'time':
      // hh:mm:ss.fffffff is read the same under every language and DATEFORMAT.
      return TIME.test(text) ? `CONVERT(${type}, '${text}')` : bad();
    case 'uniqueidentifier':
      return UUID.test(text) ? `CONVERT(uniqueidentifier, '${text}')` : bad();
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      return /^-?\d+$/.test(text) ? text : bad();
    default:
      return NUMBER.test(text) ? `CAST(${text} AS ${type})` : bad();
  }
}

export function whereClause(where: string | undefined, ...more: readonly string[]): string {
  const parts = [...(where !== undefined && where.trim() !== '' ? [`(${where})`] : []), ...more];
  return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
}

/** The SELECT of a read request: every column by the expression that reads it exactly, aliased c0, c1, …. */
export function selectSql(request: ReadRequest): string {
  const list = request.columns.map((c, i) => `${selectExpression(c)} AS [c${i}]`).join(', ');
  const conditions: string[] = [];
  if (request.range) {
    const key = quoteSqlServerIdent(request.range.column.name);
    if (request.range.after !== undefined) conditions.push(`${key} > ${keyLiteral(request.range.column, request.range.after)}`);
    // The first range also takes the rows whose key is NULL, which no comparison matches.
    const upTo = request.range.upTo !== undefined ? `${key} <= ${keyLiteral(request.range.column, request.range.upTo)}` : undefined;
    if (upTo) conditions.push(request.range.after === undefined ? `(${upTo} OR ${key} IS NULL)` : upTo);
  }
  const order = request.orderBy.length ? ` ORDER BY ${request.orderBy.map(quoteSqlServerIdent).join(', ')}` : '';
  return `SELECT ${list || 'NULL AS [c0]'} FROM ${qualifySqlServer(request.table)}${whereClause(request.where, ...conditions)}${order}`;
}

/** COUNT_BIG: COUNT(*) is an int and fails past 2^31 − 1 rows. */
export function countSql(table: QualifiedName, where: string | undefined): string {
  return `SELECT COUNT_BIG(*) AS n FROM ${qualifySqlServer(table)}${whereClause(where)}`;
}

/** The smallest and largest key, each in the column's exact text form (sqlserver-values.ts). */
export function keyBoundsSql(table: QualifiedName, column: ReadColumn, where: string | undefined): string {
  const c = quoteSqlServerIdent(column.name);
  const min = selectExpression({ ...column, name: 'min_key' });
  const max = selectExpression({ ...column, name: 'max_key' });
  return `SELECT ${min} AS min_key, ${max} AS max_key FROM (SELECT MIN(${c}) AS [min_key], MAX(${c}) AS [max_key] FROM ${qualifySqlServer(table)}${whereClause(where)}) AS bounds`;
}

/** The largest key of each of `parts` tiles of equal row counts (the last is the maximum, dropped by the caller). */
export function splitPointsSql(table: QualifiedName, column: ReadColumn, where: string | undefined, parts: number): string {
  const c = quoteSqlServerIdent(column.name);
  const n = Math.max(2, Math.floor(parts));
  const point = selectExpression({ ...column, name: 'p' });
  // Ordered by the key itself ([points].[p]), not by its text (the alias `point`): '10' < '9'.
  return `SELECT ${point} AS point FROM (SELECT MAX(k) AS [p] FROM (SELECT ${c} AS k, NTILE(${n}) OVER (ORDER BY ${c}) AS tile FROM ${qualifySqlServer(table)}${whereClause(where, `${c} IS NOT NULL`)}) AS tiles GROUP BY tile) AS points ORDER BY [points].[p]`;
}

/** Distinct points in order, without the last one when it is the maximum (it would leave an empty final range). */
export function splitPointsOf(points: readonly string[], max: string | undefined): string[] {
  const out: string[] = [];
  for (const p of points) if (out[out.length - 1] !== p) out.push(p);
  if (out.length > 0 && out[out.length - 1] === max) out.pop();
  return out;
}

/**
 * A setting of the endpoint's `session { … }` block as T-SQL: `SET LOCK_TIMEOUT 5000`,
 * `SET DEADLOCK_PRIORITY LOW`. Numbers and bare words go as they are, anything else as N'…'.
 */
export function sessionSql(name: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new EngineError(`${name} is not a SQL Server SET option`, 'connect', undefined, '');
  const literal = /^-?\d+$/.test(value) || /^[A-Za-z_][A-Za-z0-9_]*$/.test(value) ? value : `N'${value.replace(/'/g, "''")}'`;
  return `SET ${name.toUpperCase()} ${literal}`;
}
