/**
 * Reading a PGlite source. PGlite is one in-process backend whose queries and transactions are
 * serialised by PGlite itself: a snapshot cannot hold a transaction open for its lifetime without
 * blocking every other statement (the control tables, the writes of another table), so a snapshot
 * here holds none. The source is an embedded database only this process writes to, so the pages
 * of a read see one state ('single_connection' in the capabilities); every lane is served by the
 * same backend, one statement at a time.
 *
 * Rows come in pages, each one `COPY (SELECT …) TO '/dev/blob'`, so memory holds about one page:
 * ordered reads page by key (keyset: `(k1, k2) > (last1, last2)`), unordered reads by ranges of
 * heap blocks (`ctid` ranges, a TID range scan), never with OFFSET over the whole table.
 */
import type { QualifiedName, ReadColumn, ReadRequest, SourceSnapshot } from '../contract.js';
import type { Row, Value } from '../../types/logical.js';
import { CopyTextRowParser } from '../postgres/postgres-copy-text.js';
import { qualifyPostgres, quotePostgresIdent, quotePostgresString } from '../postgres/postgres-ddl.js';
import { canonicalKeyText, countSql, INHERITANCE_PARENTS_SQL, keyBoundsSql, ownRowsFrom, postgresSplitPoints, selectSql, type FromTable } from '../postgres/postgres-read.js';
import type { PgliteRunner } from './pglite-driver.js';

/** A key value (canonical) as a SQL literal the server coerces to the column's type; undefined when it cannot be one. */
function keyLiteral(v: Value): string | undefined {
  if (typeof v === 'string') return quotePostgresString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Buffer.isBuffer(v)) return quotePostgresString(`\\x${v.toString('hex')}`);
  return undefined;
}

function andWhere(where: string | undefined, extra: string): string {
  return where === undefined || where.trim() === '' ? extra : `(${where}) AND ${extra}`;
}

export class PgliteSnapshot implements SourceSnapshot {
  /** Tables named as their own rows (`ONLY` where others inherit from them), read once. */
  private fromTable: Promise<FromTable> | undefined;

  constructor(private readonly runner: PgliteRunner) {}

  private from(): Promise<FromTable> {
    this.fromTable ??= this.runner.query(INHERITANCE_PARENTS_SQL).then(ownRowsFrom);
    return this.fromTable;
  }

  read(request: ReadRequest, _lane: number): AsyncIterable<readonly Row[]> {
    const keyIndexes = request.orderBy.map((k) => request.columns.findIndex((c) => c.name === k));
    if (request.orderBy.length > 0 && keyIndexes.every((i) => i >= 0)) return this.readByKey(request, keyIndexes);
    if (request.orderBy.length > 0) return this.readByOffset(request);
    return this.readByBlocks(request);
  }

  private async *page(sql: string, request: ReadRequest): AsyncGenerator<Row[]> {
    const text = await this.runner.copyTo(`COPY (${sql}) TO '/dev/blob'`);
    const rows: Row[] = [];
    const parser = new CopyTextRowParser(request.columns.map((c) => c.logical));
    parser.push(Buffer.from(text, 'utf8'), rows);
    parser.finish(rows);
    yield rows;
  }

  private async *readByKey(request: ReadRequest, keyIndexes: readonly number[]): AsyncGenerator<Row[]> {
    const size = Math.max(1, request.batchRows);
    const keys = `(${request.orderBy.map(quotePostgresIdent).join(', ')})`;
    const from = await this.from();
    let after: string | undefined;
    let read = 0;
    for (;;) {
      const sql = `${selectSql(after === undefined ? request : { ...request, where: andWhere(request.where, `${keys} > (${after})`) }, from)} LIMIT ${size}`;
      let rows: Row[] = [];
      for await (const r of this.page(sql, request)) rows = r;
      if (rows.length) yield rows;
      read += rows.length;
      if (rows.length < size) return;
      const last = rows[rows.length - 1]!;
      const literals = keyIndexes.map((i) => keyLiteral(last[i]!));
      if (literals.some((l) => l === undefined)) {
        // A NULL (or array) in the key: go on by position from here.
        yield* this.readByOffset(request, read);
        return;
      }
      after = literals.join(', ');
    }
  }

  private async *readByOffset(request: ReadRequest, start = 0): AsyncGenerator<Row[]> {
    const size = Math.max(1, request.batchRows);
    const from = await this.from();
    for (let offset = start; ; offset += size) {
      let rows: Row[] = [];
      for await (const r of this.page(`${selectSql(request, from)} LIMIT ${size} OFFSET ${offset}`, request)) rows = r;
      if (rows.length) yield rows;
      if (rows.length < size) return;
    }
  }

  private async *readByBlocks(request: ReadRequest): AsyncGenerator<Row[]> {
    const size = Math.max(1, request.batchRows);
    const from = await this.from();
    const [info] = await this.runner.query(
      `SELECT c.relkind::text AS kind, (pg_relation_size(c.oid) / current_setting('block_size')::int)::text AS blocks, c.reltuples::float8::text AS tuples, c.relpages::text AS pages FROM pg_class c WHERE c.oid = ${quotePostgresString(qualifyPostgres(request.table))}::regclass`,
    );
    const blocks = Number(info?.blocks ?? 0);
    if (info?.kind !== 'r' && info?.kind !== 'm') {
      for await (const rows of this.page(selectSql(request, from), request)) for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
      return;
    }
    const tuples = Number(info?.tuples ?? -1);
    const pages = Number(info?.pages ?? 0);
    const perBlock = tuples > 0 && pages > 0 ? Math.max(1, tuples / pages) : 50;
    const step = Math.max(1, Math.floor(size / perBlock));
    for (let b = 0; b < blocks; b += step) {
      const range = `ctid >= '(${b},0)'::tid AND ctid < '(${b + step},0)'::tid`;
      for await (const rows of this.page(selectSql({ ...request, where: andWhere(request.where, range) }, from), request)) {
        for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
      }
    }
  }

  async count(table: QualifiedName, where: string | undefined): Promise<number> {
    const [row] = await this.runner.query(countSql(table, where, await this.from()));
    return Number(row?.n ?? 0);
  }

  async keyBounds(table: QualifiedName, column: ReadColumn, where: string | undefined): Promise<{ readonly min: string; readonly max: string } | undefined> {
    const [row] = await this.runner.query(keyBoundsSql(table, column, where, await this.from()));
    if (!row || row.lo === null || row.lo === undefined) return undefined;
    return { min: canonicalKeyText(column, String(row.lo)), max: canonicalKeyText(column, String(row.hi)) };
  }

  async splitPoints(table: QualifiedName, column: ReadColumn, where: string | undefined, parts: number): Promise<readonly string[]> {
    return postgresSplitPoints((sql) => this.runner.query(sql), table, column, where, parts, await this.from());
  }

  async close(): Promise<void> {
    // nothing held
  }
}
