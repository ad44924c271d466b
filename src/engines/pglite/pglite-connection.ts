/**
 * EngineConnection over PGlite (pglite-driver.ts, loaded lazily): the PostgreSQL introspection,
 * dialect and COPY text codec, with PGlite's in-process backend underneath.
 */
import { EngineError, type EngineConnection, type IntrospectScope, type QualifiedName, type SourceSnapshot, type TargetTransaction, type WriteColumn } from '../contract.js';
import type { Catalog } from '../../schema/catalog.js';
import type { Row } from '../../types/logical.js';
import { introspectPostgres } from '../postgres/postgres-introspect.js';
import type { PgliteDriver, PgliteRunner } from './pglite-driver.js';
import { PgliteSnapshot } from './pglite-read.js';
import { CONSTRAINT_COLUMNS_SQL, postgresRefusal } from '../postgres/postgres-refusal.js';
import { writeRowsIntoPglite } from './pglite-write.js';

export class PgliteConnection implements EngineConnection {
  readonly engine = 'pglite' as const;

  constructor(private readonly driver: PgliteDriver) {}

  get endpoint(): string {
    return this.driver.endpoint;
  }

  get serverVersion(): string {
    return this.driver.serverVersion;
  }

  introspect(scope: IntrospectScope): Promise<Catalog> {
    return introspectPostgres((sql, params) => this.driver.query(sql, params), 'pglite', scope.schemas);
  }

  async snapshot(_lanes: number): Promise<SourceSnapshot> {
    return new PgliteSnapshot(this.driver);
  }

  async execute(statements: readonly string[]): Promise<void> {
    for (const sql of statements) await this.driver.exec(sql);
  }

  query(sql: string, params?: readonly (string | number | null)[]): Promise<readonly Record<string, unknown>[]> {
    return this.driver.query(sql, params);
  }

  transaction<T>(fn: (tx: TargetTransaction) => Promise<T>): Promise<T> {
    const fail = this.driver.fail;
    return this.driver.transaction((runner) => fn(transactionOf(runner, fail)));
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}

function transactionOf(runner: PgliteRunner, fail: (err: unknown, doing?: string) => Error): TargetTransaction {
  return {
    async query(sql: string, params?: readonly (string | number | null)[]) {
      try {
        return await runner.query(sql, params);
      } catch (err) {
        throw fail(err, 'query failed on');
      }
    },
    async writeRows(table: QualifiedName, columns: readonly WriteColumn[], batches: AsyncIterable<readonly Row[]>) {
      try {
        return await writeRowsIntoPglite(runner, table, columns, batches);
      } catch (err) {
        const failure = fail(err, 'write failed on');
        const refusal = failure instanceof EngineError && failure.kind === 'data' ? postgresRefusal(err, columns.map((c) => c.name)) : undefined;
        if (!(failure instanceof EngineError) || refusal === undefined) throw failure;
        throw new EngineError(failure.message, failure.kind, failure.dbCode, failure.endpoint, failure.refusedRow, refusal);
      }
    },
    async constraintColumns(table: QualifiedName, name: string) {
      try {
        const rows = await runner.query(CONSTRAINT_COLUMNS_SQL, [table.schema ?? null, table.name, name]);
        return rows.map((r) => String(r.name));
      } catch (err) {
        throw fail(err, 'query failed on');
      }
    },
  };
}
