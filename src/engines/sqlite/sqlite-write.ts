/**
 * Bulk writes into SQLite: multi-row INSERTs of up to ROWS_PER_STATEMENT rows (fewer when the
 * columns would pass SQLite's bound-variable limit), prepared once per shape and run inside the
 * caller's transaction — inside one transaction SQLite inserts ~10⁵–10⁶ rows/s, the statement
 * count matters more than anything else. Values are bound per the target column's logical type
 * (see writeBinder in sqlite-values.ts).
 */
import { EngineError, type QualifiedName, type WriteColumn } from '../contract.js';
import type { Row } from '../../types/logical.js';
import { quoteSqliteIdent } from './sqlite-ddl.js';
import { sqliteError, type SqliteDatabase, type SqliteStatement } from './sqlite-driver.js';
import { sqliteRefusal } from './sqlite-refusal.js';
import { isStrictTable, storedAffinity, storedBinder, writeBinder, type SqliteValue } from './sqlite-values.js';

export const ROWS_PER_STATEMENT = 100;
/** SQLITE_MAX_VARIABLE_NUMBER's default since SQLite 3.32. */
export const SQLITE_MAX_VARIABLES = 32766;

export async function writeSqliteRows(
  db: SqliteDatabase,
  table: QualifiedName,
  columns: readonly WriteColumn[],
  batches: AsyncIterable<readonly Row[]>,
  endpoint: string,
): Promise<number> {
  if (columns.length === 0) throw sqliteError(new Error(`writeRows on ${table.name} without columns`), endpoint);
  const strict = columns.some((c) => c.asStored) && isStrictTable(db, table.name);
  const binders = columns.map((c) => (c.asStored ? storedBinder(storedAffinity(c.native, strict)) : writeBinder(c.logical)));
  const width = columns.length;
  const rowsPerStatement = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(SQLITE_MAX_VARIABLES / width)));
  const head = `INSERT INTO ${quoteSqliteIdent(table.name)} (${columns.map((c) => quoteSqliteIdent(c.name)).join(', ')}) VALUES `;
  const tuple = `(${new Array<string>(width).fill('?').join(', ')})`;
  const statements = new Map<number, SqliteStatement>();
  const statementFor = (rows: number): SqliteStatement => {
    let stmt = statements.get(rows);
    if (!stmt) {
      stmt = db.prepare(head + new Array<string>(rows).fill(tuple).join(', '));
      statements.set(rows, stmt);
    }
    return stmt;
  };

  let written = 0;
  const full: SqliteValue[] = new Array(rowsPerStatement * width);
  for await (const batch of batches) {
    try {
      let i = 0;
      while (i < batch.length) {
        const n = Math.min(rowsPerStatement, batch.length - i);
        const params = n === rowsPerStatement ? full : new Array<SqliteValue>(n * width);
        let k = 0;
        for (let r = i; r < i + n; r++) {
          const row = batch[r]!;
          for (let c = 0; c < width; c++) params[k++] = binders[c]!(row[c] ?? null);
        }
        statementFor(n).run(params);
        i += n;
      }
    } catch (err) {
      const failure = sqliteError(err, endpoint);
      const refusal = failure.kind === 'data' ? sqliteRefusal(failure.dbCode, failure.message, table.name, columns.map((c) => c.name)) : undefined;
      throw refusal === undefined ? failure : new EngineError(failure.message, failure.kind, failure.dbCode, failure.endpoint, failure.refusedRow, refusal);
    }
    written += batch.length;
  }
  return written;
}
