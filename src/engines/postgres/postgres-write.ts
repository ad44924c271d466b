/**
 * Bulk writes into PostgreSQL: canonical rows encoded as COPY text, about 64 KB per write() (one
 * CopyData message each), with backpressure: when write() returns false the source is not pulled
 * again until 'drain' — or until the stream fails, since a failing or ending Writable never drains.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { CopyFormat, QualifiedName, WriteColumn } from '../contract.js';
import type { Row } from '../../types/logical.js';
import { CopyTextRowEncoder } from './postgres-copy-text.js';
import { qualifyPostgres, quotePostgresIdent } from './postgres-ddl.js';
import type { PgSession } from './postgres-session.js';

export const COPY_CHUNK_BYTES = 64 * 1024;

/**
 * ` (a, b)` after `COPY table`: the columns written. A table without columns (PostgreSQL allows
 * them, and rows in them) takes none: `()` is a syntax error.
 */
export function copyColumnList(columns: readonly string[]): string {
  return columns.length ? ` (${columns.map(quotePostgresIdent).join(', ')})` : '';
}

export function copyFromSql(table: QualifiedName, columns: readonly string[], format: CopyFormat): string {
  return `COPY ${qualifyPostgres(table)}${copyColumnList(columns)} FROM STDIN${format === 'binary' ? ' (FORMAT binary)' : ''}`;
}

/** Resolves when the stream can take more, rejects when it fails first. */
async function drained(stream: Writable, failed: Promise<never>): Promise<void> {
  const ac = new AbortController();
  try {
    await Promise.race([once(stream, 'drain', { signal: ac.signal }), failed]);
  } finally {
    ac.abort();
  }
}

/**
 * Streams `chunks` into an open COPY FROM STDIN. On any failure (the source's, the encoder's or the
 * server's) the COPY is aborted with CopyFail and the first error is rethrown.
 */
export async function pumpIntoCopy(stream: Writable, chunks: AsyncIterable<string | Buffer>): Promise<void> {
  let streamError: unknown;
  const failed = new Promise<never>((_, reject) => {
    // `on`, not `once`: after the server's error (say, a trigger raising mid-COPY) pg-copy-streams
    // can emit a second one (ending a stream whose connection it dropped), and an 'error' without a
    // listener kills the process. The first one is the one that counts.
    stream.on('error', (err) => {
      streamError ??= err;
      reject(streamError);
    });
  });
  failed.catch(() => undefined);
  const finished = new Promise<void>((resolve) => stream.once('finish', () => resolve()));
  try {
    for await (const chunk of chunks) {
      if (streamError !== undefined) throw streamError;
      if (!stream.write(chunk)) await drained(stream, failed);
    }
    if (streamError !== undefined) throw streamError; // ending a failed COPY is what errs again
    stream.end();
    await Promise.race([finished, failed]);
  } catch (err) {
    const first = streamError ?? err;
    if (!stream.destroyed && streamError === undefined) {
      stream.destroy(err instanceof Error ? err : new Error(String(err)));
      // destroy() sends CopyFail; wait for the server's answer so the connection is usable again.
      await new Promise((resolve) => stream.once('close', resolve));
    }
    throw first;
  }
}

/** Canonical rows → COPY text chunks of about COPY_CHUNK_BYTES; counts rows into `counter`. */
/**
 * Canonical rows as COPY text, about `chunkBytes` per piece. With `splitRows` (one COPY fed by many
 * writes, where a row may span CopyData messages) a row with a binary value or a text larger than a
 * piece is written a piece at a time; without it (PGlite: each piece is a COPY statement of its own) every
 * piece ends at a row's end.
 */
export async function* copyTextChunks(
  table: QualifiedName,
  columns: readonly WriteColumn[],
  batches: AsyncIterable<readonly Row[]>,
  counter: { rows: number },
  chunkBytes = COPY_CHUNK_BYTES,
  splitRows = true,
): AsyncGenerator<string> {
  const encoder = new CopyTextRowEncoder(columns, qualifyPostgres(table));
  let buf = '';
  for await (const batch of batches) {
    for (const row of batch) {
      if (splitRows && encoder.hasValueOver(row, chunkBytes)) {
        if (buf.length) yield buf;
        buf = '';
        yield* encoder.encodeRowPieces(row, chunkBytes);
      } else buf += encoder.encodeRow(row);
      counter.rows++;
      if (buf.length >= chunkBytes) {
        yield buf;
        buf = '';
      }
    }
  }
  if (buf.length) yield buf;
}

export async function writeRowsWithCopy(session: PgSession, table: QualifiedName, columns: readonly WriteColumn[], batches: AsyncIterable<readonly Row[]>): Promise<number> {
  const counter = { rows: 0 };
  const stream = session.copyIn(copyFromSql(table, columns.map((c) => c.name), 'text'));
  await pumpIntoCopy(stream, copyTextChunks(table, columns, batches, counter));
  return counter.rows;
}

export async function copyInRaw(session: PgSession, table: QualifiedName, columns: readonly string[], format: CopyFormat, data: AsyncIterable<Buffer>): Promise<number> {
  const stream = session.copyIn(copyFromSql(table, columns, format));
  await pumpIntoCopy(stream, data);
  return Number((stream as unknown as { rowCount?: number }).rowCount ?? 0);
}

// ───────────────────────────── change data capture: upsert and delete by key ─────────────────────────────

let stageCounter = 0;

async function* single(rows: readonly Row[]): AsyncGenerator<readonly Row[]> {
  yield rows;
}

/** A temporary table shaped like `columns` of `table`, filled by COPY; dropped by the caller. */
async function stageRows(session: PgSession, table: QualifiedName, columns: readonly WriteColumn[], rows: readonly Row[]): Promise<QualifiedName> {
  const stage = { schema: 'pg_temp', name: `dmsplan_stage_${++stageCounter}` };
  await session.query(`CREATE TEMPORARY TABLE ${qualifyPostgres(stage)} AS SELECT ${columns.map((c) => quotePostgresIdent(c.name)).join(', ')} FROM ${qualifyPostgres(table)} WITH NO DATA`);
  await writeRowsWithCopy(session, stage, columns, single(rows));
  return stage;
}

/** INSERT … ON CONFLICT (key) DO UPDATE from a COPY-filled stage: replaying the same rows is harmless. */
export async function upsertRowsPostgres(session: PgSession, table: QualifiedName, columns: readonly WriteColumn[], keyColumns: readonly string[], rows: readonly Row[]): Promise<number> {
  if (rows.length === 0) return 0;
  const stage = await stageRows(session, table, columns, rows);
  const cols = columns.map((c) => quotePostgresIdent(c.name)).join(', ');
  const others = columns.filter((c) => !keyColumns.includes(c.name));
  const onConflict = others.length ? `DO UPDATE SET ${others.map((c) => `${quotePostgresIdent(c.name)} = EXCLUDED.${quotePostgresIdent(c.name)}`).join(', ')}` : 'DO NOTHING';
  await session.query(`INSERT INTO ${qualifyPostgres(table)} (${cols}) SELECT ${cols} FROM ${qualifyPostgres(stage)} ON CONFLICT (${keyColumns.map(quotePostgresIdent).join(', ')}) ${onConflict}`);
  await session.query(`DROP TABLE ${qualifyPostgres(stage)}`);
  return rows.length;
}

export async function deleteRowsPostgres(session: PgSession, table: QualifiedName, keyColumns: readonly WriteColumn[], keys: readonly Row[]): Promise<number> {
  if (keys.length === 0) return 0;
  const stage = await stageRows(session, table, keyColumns, keys);
  const match = keyColumns.map((c) => `t.${quotePostgresIdent(c.name)} = s.${quotePostgresIdent(c.name)}`).join(' AND ');
  await session.query(`DELETE FROM ${qualifyPostgres(table)} t USING ${qualifyPostgres(stage)} s WHERE ${match}`);
  await session.query(`DROP TABLE ${qualifyPostgres(stage)}`);
  return keys.length;
}
