/**
 * EngineConnection over the driver (postgres-driver.ts, loaded lazily): introspection, snapshots,
 * statements and transactions with COPY writes. Every failure leaves as an EngineError.
 */
import { EngineError, type ClosingMode, type CopyFormat, type EngineConnection, type IntrospectScope, type QualifiedName, type RawTextWriter, type SourceSnapshot, type TargetTransaction, type WriteColumn } from '../contract.js';
import type { Catalog } from '../../schema/catalog.js';
import type { Row } from '../../types/logical.js';
import type { PostgresDriver } from './postgres-driver.js';
import { refusedCopyLine } from './postgres-errors.js';
import { CONSTRAINT_COLUMNS_SQL, postgresRefusal } from './postgres-refusal.js';
import { introspectPostgres } from './postgres-introspect.js';
import { PostgresSnapshot } from './postgres-read.js';
import type { PgSession } from './postgres-session.js';
import { CopyTextWriter } from './postgres-copy-bytes.js';
import { binaryLayouts, CopyBinaryWriter } from './postgres-copy-binary.js';
import { parsePostgresType } from './postgres-types.js';
import { qualifyPostgres } from './postgres-ddl.js';
import { copyInRaw, deleteRowsPostgres, upsertRowsPostgres, writeRowsWithCopy } from './postgres-write.js';

export class PostgresConnection implements EngineConnection {
  readonly engine = 'postgres' as const;

  constructor(private readonly driver: PostgresDriver) {}

  get endpoint(): string {
    return this.driver.endpoint;
  }

  get serverVersion(): string {
    return this.driver.serverVersion;
  }

  async introspect(scope: IntrospectScope): Promise<Catalog> {
    return introspectPostgres((sql, params) => this.driver.query(sql, params), 'postgres', scope.schemas);
  }

  snapshot(lanes: number): Promise<SourceSnapshot> {
    return PostgresSnapshot.open(this.driver, lanes, this.driver.fail);
  }

  /**
   * Binary when every column has a binary form here (postgres-copy-binary.ts): it takes the parsing
   * of numbers, dates and escapes off the server, the busiest part of the copy — if the table as it
   * stands can take it (binaryCompatible).
   */
  async rawTextWriter(table: QualifiedName, columns: readonly WriteColumn[]): Promise<RawTextWriter> {
    const qualified = qualifyPostgres(table);
    const layouts = binaryLayouts(columns);
    if (layouts && (await this.binaryCompatible(table, columns))) return new CopyBinaryWriter(layouts, columns, qualified, this.driver.endpoint);
    return new CopyTextWriter(columns, qualified);
  }

  /**
   * Whether each column of the table as it stands has the planned type (any typmod: the receive
   * functions apply the column's own, as text input does). Text is read by the column's own type,
   * whatever the plan thought it was; binary bytes sent to a column of another type (a table kept
   * by `prepare = do_nothing`) could be read as some other value.
   */
  async binaryCompatible(table: QualifiedName, columns: readonly WriteColumn[]): Promise<boolean> {
    const rows = await this.driver.query(
      // A domain is read as its base type (and then checked, as text would be): its base counts.
      `SELECT a.attname AS name, t.typtype AS kind,
              CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) ELSE format_type(a.atttypid, a.atttypmod) END AS type,
              CASE WHEN t.typtype = 'd' THEN bt.typtype ELSE t.typtype END AS basekind
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
       WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
      [qualifyPostgres(table)],
    );
    const actual = new Map(rows.map((r) => [String(r.name), { type: String(r.type), kind: String(r.basekind) }]));
    return columns.every((c) => {
      const column = actual.get(c.name);
      if (!column) return false;
      // An enum's binary form is its label, read by any enum that has it, as in text.
      if (column.kind === 'e') return c.native.values !== undefined && c.native.element === undefined;
      return column.kind === 'b' && c.native.values === undefined && parsePostgresType(column.type)?.name === c.native.name;
    });
  }

  async execute(statements: readonly string[]): Promise<void> {
    await this.driver.withSession(async (session) => {
      for (const sql of statements) {
        try {
          await session.query(sql);
        } catch (err) {
          throw this.driver.fail(err, 'statement failed on');
        }
      }
    });
  }

  query(sql: string, params?: readonly (string | number | null)[]): Promise<readonly Record<string, unknown>[]> {
    return this.driver.query(sql, params);
  }

  async transaction<T>(fn: (tx: TargetTransaction) => Promise<T>): Promise<T> {
    return this.driver.withSession(async (session) => {
      const fail = this.driver.fail;
      const tx = transactionOf(session, fail);
      try {
        await session.query('BEGIN');
      } catch (err) {
        throw fail(err, 'cannot begin a transaction on');
      }
      try {
        const result = await fn(tx);
        await session.query('COMMIT');
        return result;
      } catch (err) {
        await session.query('ROLLBACK').catch(() => undefined);
        throw fail(err, 'transaction failed on');
      }
    });
  }

  async close(mode: ClosingMode = 'now'): Promise<void> {
    await this.driver.end(mode);
  }
}

function transactionOf(session: PgSession, fail: (err: unknown, doing?: string) => Error): TargetTransaction {
  return {
    async query(sql: string, params?: readonly (string | number | null)[]) {
      try {
        return await session.query(sql, params);
      } catch (err) {
        throw fail(err, 'query failed on');
      }
    },
    async writeRows(table: QualifiedName, columns: readonly WriteColumn[], batches: AsyncIterable<readonly Row[]>) {
      try {
        return await writeRowsWithCopy(session, table, columns, batches);
      } catch (err) {
        const failure = fail(err, 'write failed on');
        if (!(failure instanceof EngineError) || failure.kind !== 'data') throw failure;
        // One COPY, one text line per row in the order given: line n is the (n-1)th row.
        const line = refusedCopyLine(err);
        const refusal = postgresRefusal(err, columns.map((c) => c.name));
        if (line === undefined && refusal === undefined) throw failure;
        throw new EngineError(failure.message, failure.kind, failure.dbCode, failure.endpoint, line === undefined ? undefined : line - 1, refusal);
      }
    },
    async constraintColumns(table: QualifiedName, name: string) {
      try {
        const rows = await session.query(CONSTRAINT_COLUMNS_SQL, [table.schema ?? null, table.name, name]);
        return rows.map((r) => String(r.name));
      } catch (err) {
        throw fail(err, 'query failed on');
      }
    },
    async copyIn(table: QualifiedName, columns: readonly string[], format: CopyFormat, data: AsyncIterable<Buffer>) {
      try {
        return await copyInRaw(session, table, columns, format, data);
      } catch (err) {
        throw fail(err, 'write failed on');
      }
    },
    async upsertRows(table: QualifiedName, columns: readonly WriteColumn[], keyColumns: readonly string[], rows: readonly Row[]) {
      try {
        return await upsertRowsPostgres(session, table, columns, keyColumns, rows);
      } catch (err) {
        const failure = fail(err, 'write failed on');
        const refusal = failure instanceof EngineError && failure.kind === 'data' ? postgresRefusal(err, columns.map((c) => c.name)) : undefined;
        if (!(failure instanceof EngineError) || refusal === undefined) throw failure;
        throw new EngineError(failure.message, failure.kind, failure.dbCode, failure.endpoint, undefined, refusal);
      }
    },
    async deleteRows(table: QualifiedName, keyColumns: readonly WriteColumn[], keys: readonly Row[]) {
      try {
        return await deleteRowsPostgres(session, table, keyColumns, keys);
      } catch (err) {
        throw fail(err, 'write failed on');
      }
    },
  };
}
