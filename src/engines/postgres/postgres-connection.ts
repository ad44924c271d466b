/**
 * EngineConnection over the driver (postgres-driver.ts, loaded lazily): introspection, snapshots,
 * statements and transactions with COPY writes. Every failure leaves as an EngineError.
 */
import type { CopyFormat, EngineConnection, IntrospectScope, QualifiedName, RawTextWriter, SourceSnapshot, TargetTransaction, WriteColumn } from '../contract.js';
import type { Catalog } from '../../schema/catalog.js';
import type { Row } from '../../types/logical.js';
import type { PostgresDriver } from './postgres-driver.js';
import { introspectPostgres } from './postgres-introspect.js';
import { PostgresSnapshot } from './postgres-read.js';
import type { PgSession } from './postgres-session.js';
import { CopyTextWriter } from './postgres-copy-bytes.js';
import { binaryLayoutOf, binaryLayouts, CopyBinaryWriter, type BinaryLayout } from './postgres-copy-binary.js';
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
   * of numbers, dates and escapes off the server, the busiest part of the copy. Only if each column
   * of the table as it stands takes the same binary form as the plan's type, though: text is read
   * by the column's own type, whatever the plan thought it was, but binary bytes sent to a column
   * of another type (a table kept by `prepare = do_nothing`) could be read as some other value.
   */
  async rawTextWriter(table: QualifiedName, columns: readonly WriteColumn[]): Promise<RawTextWriter> {
    const qualified = qualifyPostgres(table);
    const planned = binaryLayouts(columns);
    if (planned) {
      const actual = await this.driver.query(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, t.typtype AS kind
         FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
         WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
        [qualified],
      );
      const layoutOf = new Map(actual.map((r) => [String(r.name), actualLayout(String(r.type), String(r.kind))]));
      if (columns.every((c, i) => layoutOf.get(c.name) === planned[i])) return new CopyBinaryWriter(planned, columns, qualified, this.driver.endpoint);
    }
    return new CopyTextWriter(columns, qualified);
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

  async close(): Promise<void> {
    await this.driver.end();
  }
}

/** The binary layout of a column as the catalog describes it: an enum's labels travel as text; a domain or any other kind of type has none. */
function actualLayout(type: string, kind: string): BinaryLayout | undefined {
  if (kind === 'e') return 'text';
  if (kind !== 'b') return undefined;
  const native = parsePostgresType(type);
  return native ? binaryLayoutOf(native) : undefined;
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
        throw fail(err, 'write failed on');
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
        throw fail(err, 'write failed on');
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
