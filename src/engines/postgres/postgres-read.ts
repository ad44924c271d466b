/**
 * Reading a PostgreSQL source: one exported snapshot shared by `lanes` connections, rows streamed
 * with `COPY (SELECT …) TO STDOUT` and parsed incrementally into canonical values.
 *
 * Memory stays flat: the COPY stream reads the socket only when pulled, and the generator pulls
 * only when its consumer asks for the next batch (at most one batch plus one stream buffer in
 * flight). Each read runs under a savepoint: a consumer that stops early (an error in the writer,
 * a cancel) gets the COPY cancelled and the lane rolled back to the savepoint, so the same lane —
 * still on the same snapshot — can read again (the executor's careful mode does).
 */
import type { ClosingMode, CopyFormat, QualifiedName, ReadColumn, ReadRequest, SnapshotPosition, SourceSnapshot } from '../contract.js';
import { BATCH_BYTES } from '../batch-bytes.js';
import type { Row } from '../../types/logical.js';
import { denseIntegerSplits } from '../key-splits.js';
import { CopyTextRowParser, textDecoderFor } from './postgres-copy-text.js';
import { qualifyPostgres, quotePostgresIdent, quotePostgresString } from './postgres-ddl.js';
import type { PgSession, PgSessionSource } from './postgres-session.js';

/**
 * A lane's connection: its own, or one of the pool (`pooled`, a one-lane snapshot's; `broken` then
 * drops it instead of giving it back).
 */
type LaneSession = PgSession & { close(broken?: boolean): Promise<void>; readonly pooled?: true };

function whereClause(where: string | undefined, range: ReadRequest['range']): string {
  const conds: string[] = [];
  if (where !== undefined && where.trim() !== '') conds.push(`(${where})`);
  if (range) {
    const col = quotePostgresIdent(range.column.name);
    if (range.after !== undefined) conds.push(`${col} > ${quotePostgresString(range.after)}`);
    // The first range also takes the rows whose key is NULL (a `chunk … by` column may allow
    // them), which no comparison matches: every row falls in exactly one range.
    if (range.upTo !== undefined) conds.push(range.after === undefined ? `(${col} <= ${quotePostgresString(range.upTo)} OR ${col} IS NULL)` : `${col} <= ${quotePostgresString(range.upTo)}`);
  }
  return conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
}

/** How a read names a source table in its FROM clause. */
export type FromTable = (table: QualifiedName) => string;

/**
 * Plain tables that other tables inherit from (`CREATE TABLE … INHERITS`). A query of such a table
 * also returns its children's rows, and each child is a table of the source mapped on its own: read
 * without `ONLY`, a child's rows would be copied twice — into the parent's copy and the child's.
 * A partitioned table is not one of them: it holds no rows itself (`ONLY` would read none), and its
 * partitions are not mapped on their own.
 */
export const INHERITANCE_PARENTS_SQL = `
SELECT DISTINCT n.nspname AS schema, c.relname AS name
FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhparent JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'f')`;

/** Each table's own rows: `ONLY` for the tables of INHERITANCE_PARENTS_SQL's rows, the plain name for the rest. */
export function ownRowsFrom(parents: readonly Record<string, unknown>[]): FromTable {
  if (parents.length === 0) return qualifyPostgres;
  const keys = new Set(parents.map((p) => qualifyPostgres({ schema: String(p.schema), name: String(p.name) })));
  return (table) => {
    const qualified = qualifyPostgres(table);
    return keys.has(qualified) ? `ONLY ${qualified}` : qualified;
  };
}

/** The SELECT a read runs (also used by PGlite). */
export function selectSql(request: ReadRequest, from: FromTable = qualifyPostgres): string {
  const cols = request.columns.map((c) => quotePostgresIdent(c.name)).join(', ');
  const order = request.orderBy.length ? ` ORDER BY ${request.orderBy.map(quotePostgresIdent).join(', ')}` : '';
  return `SELECT ${cols} FROM ${from(request.table)}${whereClause(request.where, request.range)}${order}`;
}

export function countSql(table: QualifiedName, where: string | undefined, from: FromTable = qualifyPostgres): string {
  return `SELECT count(*)::text AS n FROM ${from(table)}${whereClause(where, undefined)}`;
}

export function keyBoundsSql(table: QualifiedName, column: ReadColumn, where: string | undefined, from: FromTable = qualifyPostgres): string {
  const col = quotePostgresIdent(column.name);
  return `SELECT min(${col})::text AS lo, max(${col})::text AS hi FROM ${from(table)}${whereClause(where, undefined)}`;
}

/**
 * The bounds of an integer key with the planner's row estimate of its table (-1 before the first
 * ANALYZE): enough to split a dense key arithmetically, with two index lookups and no sort.
 */
export function denseKeyProbeSql(table: QualifiedName, column: ReadColumn, from: FromTable = qualifyPostgres): string {
  const col = quotePostgresIdent(column.name);
  // reltuples of a table with inheritance children counts its own rows, as `from` reads them.
  return `SELECT min(${col})::text AS lo, max(${col})::text AS hi, (SELECT c.reltuples FROM pg_class c WHERE c.oid = ${quotePostgresString(qualifyPostgres(table))}::regclass)::float8 AS est FROM ${from(table)}`;
}

/**
 * Split points for `parts` ranges: arithmetic on a dense integer key of a whole table, else real
 * percentiles. `query` runs one statement (a lane of a server snapshot, or PGlite).
 */
export async function postgresSplitPoints(
  query: (sql: string) => Promise<readonly Record<string, unknown>[]>,
  table: QualifiedName,
  column: ReadColumn,
  where: string | undefined,
  parts: number,
  from: FromTable = qualifyPostgres,
): Promise<readonly string[]> {
  if (parts < 2) return [];
  if (column.logical.kind === 'int' && where === undefined) {
    const [probe] = await query(denseKeyProbeSql(table, column, from));
    if (!probe || probe.lo === null || probe.lo === undefined) return []; // an empty table
    const splits = denseIntegerSplits(BigInt(String(probe.lo)), BigInt(String(probe.hi)), Number(probe.est), parts);
    if (splits) return splits;
  }
  const rows = await query(splitPointsSql(table, column, where, parts, from));
  return distinctPoints(column, rows.filter((r) => r.p !== null && r.p !== undefined).map((r) => String(r.p)));
}

/** `parts - 1` percentiles of the key in one sorted pass (exact, unlike pg_stats histograms). */
export function splitPointsSql(table: QualifiedName, column: ReadColumn, where: string | undefined, parts: number, from: FromTable = qualifyPostgres): string {
  const fractions = Array.from({ length: parts - 1 }, (_, i) => ((i + 1) / parts).toFixed(6));
  const col = quotePostgresIdent(column.name);
  return `SELECT unnest(percentile_disc(ARRAY[${fractions.join(', ')}]::float8[]) WITHIN GROUP (ORDER BY ${col}))::text AS p FROM ${from(table)}${whereClause(where, undefined)}`;
}

/** A key value as the server prints it → canonical text (timestamptz offsets, floats…). */
export function canonicalKeyText(column: ReadColumn, text: string): string {
  const v = textDecoderFor(column.logical)(text);
  return typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('hex') : String(v);
}

/** Distinct split points in key order (percentiles repeat on skewed keys). */
export function distinctPoints(column: ReadColumn, texts: readonly string[]): readonly string[] {
  const out: string[] = [];
  for (const t of texts) {
    const v = canonicalKeyText(column, t);
    if (out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

/**
 * Parsed rows in batches of `batchRows` (the last one shorter), or fewer once they came in about
 * BATCH_BYTES of COPY data (wide rows); a chunk may hold many rows.
 */
export async function* batchesOf(parser: CopyTextRowParser, chunks: AsyncIterable<Buffer>, batchRows: number): AsyncGenerator<Row[]> {
  let pending: Row[] = [];
  let bytes = 0;
  for await (const chunk of chunks) {
    parser.push(chunk, pending);
    bytes += chunk.length;
    if (bytes >= BATCH_BYTES && pending.length > 0) {
      yield pending;
      pending = [];
      bytes = 0;
    } else if (pending.length >= batchRows) {
      let start = 0;
      while (pending.length - start >= batchRows) {
        yield pending.slice(start, start + batchRows);
        start += batchRows;
      }
      pending = pending.slice(start);
    }
  }
  parser.finish(pending);
  if (pending.length) yield pending;
}

export class PostgresSnapshot implements SourceSnapshot {
  private closed = false;

  private constructor(
    private readonly lanes: readonly LaneSession[],
    private readonly source: PgSessionSource,
    private readonly fail: (err: unknown, doing?: string) => Error,
    readonly position: SnapshotPosition | undefined,
    /** Tables named as their own rows (`ONLY` where others inherit from them), as of the snapshot. */
    private readonly from: FromTable,
  ) {}

  /**
   * Lane 0 exports its snapshot; the others import it. Every lane is a REPEATABLE READ, READ ONLY
   * transaction on a connection of its own.
   */
  /**
   * Every lane imports a snapshot exported elsewhere — by CREATE_REPLICATION_SLOT for change data
   * capture, so the full load reads exactly the state the slot's stream starts after.
   */
  static async openImported(source: PgSessionSource, lanes: number, fail: (err: unknown, doing?: string) => Error, snapshotId: string, position: SnapshotPosition): Promise<PostgresSnapshot> {
    const sessions: LaneSession[] = [];
    try {
      await Promise.all(
        Array.from({ length: Math.max(1, lanes) }, async () => {
          const s = await source.open();
          sessions.push(s);
          await s.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
          await s.query(`SET TRANSACTION SNAPSHOT ${quotePostgresString(snapshotId)}`);
        }),
      );
      return new PostgresSnapshot(sessions, source, fail, position, ownRowsFrom(await sessions[0]!.query(INHERITANCE_PARENTS_SQL)));
    } catch (err) {
      await Promise.all(sessions.map((s) => s.close()));
      throw fail(err, 'cannot open a snapshot on');
    }
  }

  static async open(source: PgSessionSource, lanes: number, fail: (err: unknown, doing?: string) => Error): Promise<PostgresSnapshot> {
    const sessions: LaneSession[] = [];
    try {
      // One lane (a validation's view of a target table, a one-worker read) is a connection of the
      // pool for as long as it lives, and exports nothing: no other lane imports it. A new
      // connection per validation cost a connect, a login and the session settings every table.
      const single = Math.max(1, lanes) === 1;
      const first = single ? await source.lease() : await source.open();
      sessions.push(first);
      await first.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const snapshotId = single ? '' : String((await first.query('SELECT pg_export_snapshot() AS snapshot'))[0]?.snapshot);
      let position: SnapshotPosition | undefined;
      try {
        // Fails on a standby (recovery): the position is then unknown, the snapshot still good.
        await first.query('SAVEPOINT dmsplan_lsn');
        const [lsn] = await first.query('SELECT pg_current_wal_lsn()::text AS lsn');
        await first.query('RELEASE SAVEPOINT dmsplan_lsn');
        if (lsn?.lsn) position = { kind: 'pg_lsn', lsn: String(lsn.lsn) };
      } catch {
        await first.query('ROLLBACK TO SAVEPOINT dmsplan_lsn; RELEASE SAVEPOINT dmsplan_lsn');
      }
      const others = await Promise.all(
        Array.from({ length: Math.max(1, lanes) - 1 }, async () => {
          const s = await source.open();
          sessions.push(s);
          await s.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
          await s.query(`SET TRANSACTION SNAPSHOT ${quotePostgresString(snapshotId)}`);
          return s;
        }),
      );
      return new PostgresSnapshot([first, ...others], source, fail, position, ownRowsFrom(await first.query(INHERITANCE_PARENTS_SQL)));
    } catch (err) {
      await Promise.all(sessions.map((s) => s.close()));
      throw fail(err, 'cannot open a snapshot on');
    }
  }

  private lane(lane: number): LaneSession {
    if (this.closed) throw new Error('snapshot is closed');
    const s = this.lanes[lane];
    if (!s) throw new Error(`snapshot has ${this.lanes.length} lanes, lane ${lane} asked`);
    return s;
  }

  /**
   * The raw chunks of a COPY TO STDOUT, under a savepoint; stopping early cancels the COPY on the
   * server and rolls the lane back to the savepoint (the snapshot stays).
   *
   * A key-range read (a chunk) runs without plain index scans: the planner picks one for a range of
   * a correlated key, and it fetches the heap a row at a time — reading half of a 1M-row table took
   * 1.18 s that way against 0.84 s as a bitmap heap scan, which reads each page once and in order.
   * The setting is local to the savepoint, which is rolled back after the read (a read-only one:
   * nothing else is undone), so the lane's other queries (min/max on the key) keep their plans.
   */
  private async *copyChunks(session: LaneSession, copySql: string, keyRange: boolean): AsyncGenerator<Buffer> {
    // Every statement here leaves as an EngineError: a lane whose connection was lost (the server
    // restarted, its backend terminated) fails its next statement with pg's own 'not queryable',
    // which reached the run as an internal error.
    await this.queryOn(session, keyRange ? 'SAVEPOINT dmsplan_read; SET LOCAL enable_indexscan = off' : 'SAVEPOINT dmsplan_read');
    const stream = session.copyOut(copySql);
    let finished = false;
    let failed = false;
    try {
      // Not the default iterator: that one destroys the stream on an early stop, which leaves the
      // connection inside the COPY for good. The COPY is ended on the server instead (below).
      for await (const chunk of stream.iterator({ destroyOnReturn: false })) yield chunk as Buffer;
      finished = true;
    } catch (err) {
      failed = true;
      throw this.fail(err, 'read failed on');
    } finally {
      if (finished) await this.queryOn(session, keyRange ? 'ROLLBACK TO SAVEPOINT dmsplan_read; RELEASE SAVEPOINT dmsplan_read' : 'RELEASE SAVEPOINT dmsplan_read');
      else if (failed) {
        // The read's own error is the one to report; a lane that lost its connection cannot roll
        // back either, and a live one is left for the snapshot's close.
        await session.query('ROLLBACK TO SAVEPOINT dmsplan_read; RELEASE SAVEPOINT dmsplan_read').catch(() => undefined);
      } else {
        if (!stream.readableEnded && !stream.errored) {
          // Listening before the cancel goes out: the stopped iterator took its listeners away, and
          // the server's error may come at once (an 'error' nobody hears ends the process). The
          // stream emits it without being destroyed, so it is awaited as an event, not by iterating.
          const settled = new Promise<void>((resolve) => {
            stream.once('error', () => resolve()); // the cancel's error, expected
            stream.once('end', () => resolve()); // or the COPY had already sent everything
            stream.once('close', () => resolve());
          });
          stream.resume(); // what is still in flight is dropped
          await this.source.cancel(session.pid);
          await settled;
        }
        // Released too: a savepoint left behind after each early stop would pile up in the lane.
        await this.queryOn(session, 'ROLLBACK TO SAVEPOINT dmsplan_read; RELEASE SAVEPOINT dmsplan_read');
      }
    }
  }

  async *read(request: ReadRequest, lane: number): AsyncIterable<readonly Row[]> {
    const session = this.lane(lane);
    const parser = new CopyTextRowParser(request.columns.map((c) => c.logical));
    const batchRows = Math.max(1, request.batchRows);
    yield* batchesOf(parser, this.copyChunks(session, `COPY (${selectSql(request, this.from)}) TO STDOUT`, request.range !== undefined), batchRows);
  }

  copyOut(request: ReadRequest, lane: number, format: CopyFormat): AsyncIterable<Buffer> {
    const session = this.lane(lane);
    return this.copyChunks(session, `COPY (${selectSql(request, this.from)}) TO STDOUT${format === 'binary' ? ' (FORMAT binary)' : ''}`, request.range !== undefined);
  }

  private async queryOn(lane: number | LaneSession, sql: string): Promise<readonly Record<string, unknown>[]> {
    try {
      return await (typeof lane === 'number' ? this.lane(lane) : lane).query(sql);
    } catch (err) {
      throw this.fail(err, 'query failed on');
    }
  }

  /**
   * Without parallel workers: a count runs beside the table's index builds (validation) or its
   * copy's other chunks, which already keep the server's cores busy; its workers only took cores
   * from them (1M rows on 2 cores: the index builds 1.4–1.7 s beside a serial count, 1.6–1.9 s
   * beside a parallel one). The setting is local to a savepoint rolled back after the count, which
   * also leaves the lane usable if the count fails.
   */
  async count(table: QualifiedName, where: string | undefined, lane: number): Promise<number> {
    await this.queryOn(lane, 'SAVEPOINT dmsplan_count; SET LOCAL max_parallel_workers_per_gather = 0');
    try {
      const [row] = await this.queryOn(lane, countSql(table, where, this.from));
      return Number(row?.n ?? 0);
    } finally {
      await this.queryOn(lane, 'ROLLBACK TO SAVEPOINT dmsplan_count; RELEASE SAVEPOINT dmsplan_count');
    }
  }

  async keyBounds(table: QualifiedName, column: ReadColumn, where: string | undefined, lane: number): Promise<{ readonly min: string; readonly max: string } | undefined> {
    const [row] = await this.queryOn(lane, keyBoundsSql(table, column, where, this.from));
    if (!row || row.lo === null || row.lo === undefined) return undefined;
    return { min: canonicalKeyText(column, String(row.lo)), max: canonicalKeyText(column, String(row.hi)) };
  }

  splitPoints(table: QualifiedName, column: ReadColumn, where: string | undefined, parts: number, lane: number): Promise<readonly string[]> {
    return postgresSplitPoints((sql) => this.queryOn(lane, sql), table, column, where, parts, this.from);
  }

  async close(mode: ClosingMode = 'now'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.lanes.map(async (s) => {
        const ended = await s.query('COMMIT').then(
          () => true,
          () => false,
        );
        if (ended && mode === 'at_exit' && !s.pooled) return; // its transaction is over: the exit closes it
        // Not awaited: the connection's end is sent at once, and waiting for the server to close its
        // side of the socket only delays the end of a run (~50 ms) — its read-only work is over. A
        // pooled lane whose COMMIT failed is dropped, not given back in a transaction.
        void s.close(!ended);
      }),
    );
  }
}
