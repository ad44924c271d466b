/**
 * Consistent reads of a SQLite file. A snapshot is one connection holding one read transaction
 * (BEGIN, then a first read, which is when SQLite fixes the snapshot) until close. SQLite cannot
 * share a snapshot between connections, so every lane is served by that one connection
 * (capabilities.snapshot = 'single_connection'); lanes' reads interleave batch by batch, each
 * with its own prepared statement.
 *
 * In WAL mode other connections keep writing while we read; in the default rollback-journal mode
 * our read lock makes writers wait (SQLITE_BUSY) until the snapshot closes — the price of a
 * consistent copy without changing the source file's journal mode.
 *
 * Rows stream in batches of `batchRows`; between batches the generator hands the event loop a
 * turn (better-sqlite3 is synchronous) and reads nothing ahead of what the consumer pulls.
 */
import type { QualifiedName, ReadColumn, ReadRequest, SourceSnapshot } from '../contract.js';
import { BATCH_BYTES, rowBytes } from '../batch-bytes.js';
import { isUtf8 } from 'node:buffer';
import type { LogicalType, Row, Value } from '../../types/logical.js';
import { quoteSqliteIdent } from './sqlite-ddl.js';
import { sqliteError, yieldToEventLoop, type SqliteDatabase } from './sqlite-driver.js';
import { isStrictTable, keyBinder, readConverter, storedAffinity, storedReader, type SqliteValue } from './sqlite-values.js';
import { markInvalidText } from '../../types/values/invalid-text.js';

const SPLIT_SCAN_YIELD_EVERY = 20_000;

export class SqliteSnapshot implements SourceSnapshot {
  private closed = false;

  private constructor(
    private readonly db: SqliteDatabase,
    /** False for ':memory:', whose only connection is the EngineConnection's own. */
    private readonly ownsConnection: boolean,
    private readonly endpoint: string,
  ) {}

  /** Starts the read transaction now, so later writes by anyone are not seen. */
  static begin(db: SqliteDatabase, ownsConnection: boolean, endpoint: string): SqliteSnapshot {
    try {
      if (ownsConnection) {
        db.exec('BEGIN');
        db.prepare('SELECT count(*) FROM sqlite_master').get();
      }
      return new SqliteSnapshot(db, ownsConnection, endpoint);
    } catch (err) {
      if (ownsConnection) db.close();
      throw sqliteError(err, endpoint);
    }
  }

  private fail(err: unknown): never {
    throw sqliteError(err, this.endpoint);
  }

  async *read(request: ReadRequest, _lane: number): AsyncGenerator<readonly Row[]> {
    const checked = request.columns.flatMap((c, i) => (checksText(c) ? [i] : []));
    // Text is checked by its row's rowid (see READ_AS_BYTES); a table without one reads its text as bytes.
    const byRowid = checked.length > 0 && this.hasRowid(request.table);
    const { sql, params } = selectSql(request, byRowid ? 'rowid' : checked.length > 0 ? 'bytes' : 'plain');
    const strict = request.columns.some((c) => c.asStored) && isStrictTable(this.db, request.table.name);
    const converters = request.columns.map((c) => columnReader(c, !byRowid, strict));
    const recheck = byRowid ? this.textRecheck(request.table, request.columns, strict) : undefined;
    const batchRows = Math.max(1, request.batchRows);
    let iterator: IterableIterator<unknown[]>;
    try {
      iterator = this.db.prepare(sql).raw(true).safeIntegers(true).iterate(...params) as IterableIterator<unknown[]>;
    } catch (err) {
      this.fail(err);
    }
    try {
      for (;;) {
        const batch: Row[] = [];
        let bytes = 0;
        let done = false;
        try {
          while (batch.length < batchRows && bytes < BATCH_BYTES) {
            const next = iterator.next();
            if (next.done) {
              done = true;
              break;
            }
            const raw = next.value;
            const row: Row = new Array(converters.length);
            for (let i = 0, at = byRowid ? 1 : 0; i < converters.length; i++) {
              const c = converters[i]!;
              row[i] = c.slots === 2 ? c.convert(raw[at], raw[at + 1]) : c.convert(raw[at]);
              at += c.slots;
            }
            if (recheck) for (const i of checked) if (typeof row[i] === 'string' && (row[i] as string).includes('\uFFFD')) row[i] = recheck(i, raw[0]);
            batch.push(row);
            bytes += rowBytes(row);
          }
        } catch (err) {
          this.fail(err);
        }
        if (batch.length > 0) yield batch;
        if (done) return;
        await yieldToEventLoop();
      }
    } finally {
      iterator.return?.(); // frees the statement when the consumer stops early
    }
  }

  /** Whether the table has a rowid to find a row again by (not a WITHOUT ROWID table, nor a view). */
  private hasRowid(table: QualifiedName): boolean {
    try {
      this.db.prepare(`SELECT rowid FROM ${quoteSqliteIdent(table.name)} LIMIT 0`).raw(true).all();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * A text value that came back with U+FFFD in it, read again as the bytes SQLite holds (a read
   * statement may run while the row's iterator is open, in the same snapshot): valid UTF-8 (a real
   * U+FFFD) stays the text, anything else the bytes, which the converter rejects with the value.
   */
  private textRecheck(table: QualifiedName, columns: readonly ReadColumn[], strict: boolean): (column: number, rowid: unknown) => Value {
    const statements = new Map<number, { get(...params: unknown[]): unknown }>();
    return (column, rowid) => {
      let statement = statements.get(column);
      if (!statement) {
        statement = this.db.prepare(`SELECT CAST(${quoteSqliteIdent(columns[column]!.name)} AS BLOB) FROM ${quoteSqliteIdent(table.name)} WHERE rowid = ?`).raw(true).safeIntegers(true) as unknown as { get(...params: unknown[]): unknown };
        statements.set(column, statement);
      }
      const [bytes] = (statement.get(rowid) as unknown[] | undefined) ?? [];
      if (!Buffer.isBuffer(bytes)) return null;
      return isUtf8(bytes) ? valueReader(columns[column]!, strict)(bytes.toString('utf8')) : markInvalidText(bytes);
    };
  }

  async count(table: QualifiedName, where: string | undefined, _lane: number): Promise<number> {
    try {
      const row = this.db.prepare(`SELECT count(*) AS n FROM ${quoteSqliteIdent(table.name)}${whereClause(where)}`).get() as { n: number };
      return row.n;
    } catch (err) {
      this.fail(err);
    }
  }

  async keyBounds(table: QualifiedName, column: ReadColumn, where: string | undefined, _lane: number): Promise<{ readonly min: string; readonly max: string } | undefined> {
    const col = quoteSqliteIdent(column.name);
    let row: unknown[] | undefined;
    try {
      row = this.db
        .prepare(`SELECT min(${col}), max(${col}) FROM ${quoteSqliteIdent(table.name)}${whereClause(where)}`)
        .raw(true)
        .safeIntegers(true)
        .get() as unknown[] | undefined;
    } catch (err) {
      this.fail(err);
    }
    if (!row || row[0] === null || row[1] === null) return undefined;
    const text = keyText(column);
    return { min: text(row[0]), max: text(row[1]) };
  }

  /**
   * SQLite keeps no histogram, so the split points come from one ordered scan of the key column
   * (an index or the rowid order makes that a sequential read): every n/parts-th value. Equal
   * neighbours are merged so ranges never overlap.
   */
  async splitPoints(table: QualifiedName, column: ReadColumn, where: string | undefined, parts: number, lane: number): Promise<readonly string[]> {
    if (parts <= 1) return [];
    const total = await this.count(table, where, lane);
    if (total === 0) return [];
    const step = Math.max(1, Math.ceil(total / parts));
    const col = quoteSqliteIdent(column.name);
    const text = keyText(column);
    const points: string[] = [];
    let iterator: IterableIterator<unknown[]>;
    try {
      iterator = this.db
        .prepare(`SELECT ${col} FROM ${quoteSqliteIdent(table.name)}${whereClause(where, `${col} IS NOT NULL`)} ORDER BY ${col}`)
        .raw(true)
        .safeIntegers(true)
        .iterate() as IterableIterator<unknown[]>;
    } catch (err) {
      this.fail(err);
    }
    try {
      let seen = 0;
      let last: unknown;
      for (;;) {
        let next: IteratorResult<unknown[]>;
        try {
          next = iterator.next();
        } catch (err) {
          this.fail(err);
        }
        if (next.done) break;
        seen++;
        last = next.value[0];
        if (seen % step === 0 && seen < total) {
          const p = text(last);
          if (points[points.length - 1] !== p) points.push(p);
        }
        if (seen % SPLIT_SCAN_YIELD_EVERY === 0) await yieldToEventLoop();
      }
      // A last point equal to the maximum would leave an empty final range.
      if (points.length > 0 && last !== undefined && points[points.length - 1] === text(last)) points.pop();
      return points;
    } finally {
      iterator.return?.();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.ownsConnection) return;
    try {
      if (this.db.inTransaction) this.db.exec('COMMIT');
    } finally {
      this.db.close();
    }
  }
}

function keyText(column: ReadColumn): (raw: unknown) => string {
  const convert = readConverter(column.logical);
  return (raw) => {
    const v = convert(raw);
    if (typeof v === 'string') return v;
    if (Buffer.isBuffer(v)) return v.toString('hex');
    return String(v);
  };
}

function whereClause(where: string | undefined, ...more: readonly string[]): string {
  const parts = [...(where !== undefined && where.trim() !== '' ? [`(${where})`] : []), ...more];
  return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
}

/**
 * SQLite does not check that TEXT is UTF-8, and better-sqlite3 turns the bytes of an invalid
 * sequence into U+FFFD without a word. The values of these kinds are checked, so that invalid
 * UTF-8 stays bytes, which the converter rejects with the value, instead of arriving silently
 * changed: a value read with U+FFFD in it is read again as bytes by its rowid (cheap: U+FFFD is
 * rare). A table without a rowid reads every non-ASCII TEXT value of them as bytes, with a flag
 * saying it was TEXT (a CASE per value: reads about twice as slow).
 */
const READ_AS_BYTES: ReadonlySet<LogicalType['kind']> = new Set(['text', 'json', 'enum', 'uuid', 'other']);

interface ColumnReader {
  /** How many selected values the column takes: 2 for text read as bytes (the bytes, the TEXT flag). */
  readonly slots: 1 | 2;
  readonly convert: (raw: unknown, isText?: unknown) => Value;
}

/**
 * Whether a column's TEXT values are checked for UTF-8: those of the kinds above, and every column
 * read as stored, whose text is written as text whatever the column's kind.
 */
function checksText(column: ReadColumn): boolean {
  return column.asStored === true || READ_AS_BYTES.has(column.logical.kind);
}

function valueReader(column: ReadColumn, strictTable: boolean): (raw: unknown) => Value {
  return column.asStored ? storedReader(storedAffinity(column.native, strictTable)) : readConverter(column.logical);
}

function columnReader(column: ReadColumn, asBytes: boolean, strictTable: boolean): ColumnReader {
  const convert = valueReader(column, strictTable);
  if (!asBytes || !checksText(column)) return { slots: 1, convert };
  return {
    slots: 2,
    convert: (raw, isText) => {
      if (!(isText === 1n || isText === 1) || !Buffer.isBuffer(raw)) return convert(raw);
      return isUtf8(raw) ? convert(raw.toString('utf8')) : markInvalidText(raw);
    },
  };
}

function selectList(columns: readonly ReadColumn[], asBytes: boolean): string {
  return columns
    .map((c) => {
      const q = quoteSqliteIdent(c.name);
      // Printable ASCII cannot hold an invalid sequence: read as text.
      return asBytes && checksText(c) ? `CASE WHEN typeof(${q}) = 'text' AND ${q} GLOB '*[^ -~]*' THEN CAST(${q} AS BLOB) ELSE ${q} END, typeof(${q}) = 'text'` : q;
    })
    .join(', ');
}

/** The SELECT of a read request, with the range bounds as parameters. */
export function selectSql(request: ReadRequest, text: 'plain' | 'rowid' | 'bytes' = 'plain'): { sql: string; params: SqliteValue[] } {
  const columns = `${text === 'rowid' ? 'rowid, ' : ''}${selectList(request.columns, text === 'bytes')}`;
  const conditions: string[] = [];
  const params: SqliteValue[] = [];
  if (request.range) {
    const col = quoteSqliteIdent(request.range.column.name);
    const bind = keyBinder(request.range.column.logical);
    if (request.range.after !== undefined) {
      conditions.push(`${col} > ?`);
      params.push(bind(request.range.after));
    }
    if (request.range.upTo !== undefined) {
      // NULL keys sort first in SQLite: the first range takes them, so no row falls between ranges.
      conditions.push(request.range.after === undefined ? `(${col} <= ? OR ${col} IS NULL)` : `${col} <= ?`);
      params.push(bind(request.range.upTo));
    }
  }
  const order = request.orderBy.length ? ` ORDER BY ${request.orderBy.map(quoteSqliteIdent).join(', ')}` : '';
  return { sql: `SELECT ${columns || 'NULL'} FROM ${quoteSqliteIdent(request.table.name)}${whereClause(request.where, ...conditions)}${order}`, params };
}
