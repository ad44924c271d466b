/**
 * The queries of a SQL Server read, as text (pure): the streamed SELECT of a chunk, counts, key
 * bounds and split points. Key ranges are on integer keys only (capabilities.orderedKeyRanges is
 * false): their bounds are written as validated integer literals, so no parameter type (and no
 * collation, for text) decides what a range holds.
 */
import type { QualifiedName, ReadColumn, ReadRequest } from '../contract.js';
import { qualifySqlServer, quoteSqlServerIdent } from './sqlserver-ddl.js';
import { selectExpression } from './sqlserver-values.js';

const INTEGER = /^-?\d+$/;

/** A range bound as a literal; only integers are split points here (see the file comment). */
export function keyLiteral(column: ReadColumn, text: string): string {
  if (!INTEGER.test(text)) throw new Error(`bug: SQL Server key range on ${column.name} with a non-integer bound ${text}`);
  return text;
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

export function keyBoundsSql(table: QualifiedName, column: ReadColumn, where: string | undefined): string {
  const c = quoteSqlServerIdent(column.name);
  return `SELECT CONVERT(varchar(50), MIN(${c})) AS min_key, CONVERT(varchar(50), MAX(${c})) AS max_key FROM ${qualifySqlServer(table)}${whereClause(where)}`;
}

/** The largest key of each of `parts` tiles of equal row counts (the last is the maximum, dropped by the caller). */
export function splitPointsSql(table: QualifiedName, column: ReadColumn, where: string | undefined, parts: number): string {
  const c = quoteSqlServerIdent(column.name);
  const n = Math.max(2, Math.floor(parts));
  return `SELECT CONVERT(varchar(50), MAX(k)) AS point FROM (SELECT ${c} AS k, NTILE(${n}) OVER (ORDER BY ${c}) AS tile FROM ${qualifySqlServer(table)}${whereClause(where, `${c} IS NOT NULL`)}) AS tiles GROUP BY tile ORDER BY MAX(k)`;
}

/** Distinct points in order, without the last one when it is the maximum (it would leave an empty final range). */
export function splitPointsOf(points: readonly string[], max: string | undefined): string[] {
  const out: string[] = [];
  for (const p of points) if (out[out.length - 1] !== p) out.push(p);
  if (out.length > 0 && out[out.length - 1] === max) out.pop();
  return out;
}
