/**
 * Bulk writes into PGlite: canonical rows encoded as COPY text (the PostgreSQL encoder), handed to
 * `COPY … FROM '/dev/blob'` a few MB at a time inside the caller's transaction.
 */
import type { QualifiedName, WriteColumn } from '../contract.js';
import type { Row } from '../../types/logical.js';
import { qualifyPostgres } from '../postgres/postgres-ddl.js';
import { copyColumnList, copyTextChunks } from '../postgres/postgres-write.js';
import type { PgliteRunner } from './pglite-driver.js';

/** Per COPY statement: large enough to amortise a statement, small enough to keep memory flat. */
export const PGLITE_COPY_BYTES = 4 * 1024 * 1024;

export async function writeRowsIntoPglite(runner: PgliteRunner, table: QualifiedName, columns: readonly WriteColumn[], batches: AsyncIterable<readonly Row[]>): Promise<number> {
  const counter = { rows: 0 };
  const sql = `COPY ${qualifyPostgres(table)}${copyColumnList(columns.map((c) => c.name))} FROM '/dev/blob'`;
  for await (const chunk of copyTextChunks(table, columns, batches, counter, PGLITE_COPY_BYTES, false)) await runner.copyFrom(sql, chunk);
  return counter.rows;
}
