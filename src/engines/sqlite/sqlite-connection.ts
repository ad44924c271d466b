/**
 * One SQLite file as an EngineConnection. SQLite has one writer at a time, so the connection is a
 * single better-sqlite3 handle and every statement and transaction on it is serialised by a
 * mutex (better-sqlite3's own .transaction() cannot wrap an async function, so BEGIN IMMEDIATE /
 * COMMIT / ROLLBACK are issued by hand). Inside `transaction(fn)`, use the `tx` handed to `fn`:
 * calling the connection's own `query` there would wait for the mutex that `fn` holds.
 *
 * The file is opened lazily and as little as possible: read-only while only reads happen (so a
 * source file is never modified — not even its journal mode), read-write with WAL and
 * foreign_keys = OFF on the first write. A target file that does not exist yet introspects as an
 * empty database and is created by the first write (`plan` writes nothing, so it creates
 * nothing); a source (`role: 'source'`) that does not exist is a connect error.
 *
 * Snapshots open their own read-only handle (see sqlite-read.ts), except on ':memory:' where the
 * only handle is this one.
 */
import type { EngineConnection, SourceSnapshot, TargetTransaction, QualifiedName, WriteColumn, IntrospectScope } from '../contract.js';
import { EngineError } from '../contract.js';
import type { Catalog } from '../../schema/catalog.js';
import type { Row } from '../../types/logical.js';
import { fileExists, isDirectory, MEMORY, Mutex, openDatabase, sqliteError, sqliteVersion, type SqliteDatabase } from './sqlite-driver.js';
import { introspectSqlite, SQLITE_SCHEMA } from './sqlite-introspect.js';
import { SqliteSnapshot } from './sqlite-read.js';
import { writeSqliteRows } from './sqlite-write.js';

type Params = readonly (string | number | null)[];

/**
 * Statements that only read: a missing file cannot answer them, and they need no write handle.
 * A PRAGMA without `=` only reports (SQLite calls `PRAGMA journal_mode` a writer, and switching to
 * the write handle would turn on WAL — changing a source file).
 */
const READ_ONLY_SQL = /^\s*(SELECT|WITH|EXPLAIN|VALUES)\b|^\s*PRAGMA\s+[A-Za-z_.]+\s*(\([^)]*\))?\s*;?\s*$/i;

export class SqliteConnection implements EngineConnection {
  readonly engine = 'sqlite' as const;
  private db: SqliteDatabase | undefined;
  private writable = false;
  private readonly lock = new Mutex();

  private constructor(
    readonly endpoint: string,
    readonly serverVersion: string,
    private readonly file: string,
    db: SqliteDatabase | undefined,
  ) {
    this.db = db;
    this.writable = db !== undefined && file === MEMORY;
  }

  static async open(file: string, endpoint: string, role: 'source' | 'target' | undefined): Promise<SqliteConnection> {
    const exists = fileExists(file);
    if (exists && isDirectory(file)) {
      throw new EngineError(`${file} is a directory, not a SQLite database file: name the file in the URL (sqlite:${file.replace(/\/$/, '')}/app.db)`, 'connect', 'SQLITE_CANTOPEN', endpoint);
    }
    if (!exists && role === 'source') {
      throw new EngineError(`SQLite database file ${file} does not exist`, 'connect', 'SQLITE_CANTOPEN', endpoint);
    }
    if (!exists) {
      // Checks the directory (and loads the driver) without creating the file.
      const probe = await openDatabase(MEMORY, { readonly: false, mustExist: false }, endpoint);
      const version = sqliteVersion(probe);
      probe.close();
      await assertDirectory(file, endpoint);
      return new SqliteConnection(endpoint, version, file, undefined);
    }
    const db = await openDatabase(file, { readonly: file !== MEMORY, mustExist: true }, endpoint);
    if (file === MEMORY) prepareForWrites(db);
    return new SqliteConnection(endpoint, sqliteVersion(db), file, db);
  }

  /** The handle for reading, or undefined while the file does not exist. */
  private reader(): SqliteDatabase | undefined {
    return this.db;
  }

  /** The handle for writing: the file is created, or reopened read-write, on first use. */
  private async writer(): Promise<SqliteDatabase> {
    if (this.db && this.writable) return this.db;
    this.db?.close();
    this.db = undefined;
    const db = await openDatabase(this.file, { readonly: false, mustExist: false }, this.endpoint);
    prepareForWrites(db);
    this.db = db;
    this.writable = true;
    return db;
  }

  private missing(): EngineError {
    return new EngineError(`SQLite database file ${this.file} does not exist yet`, 'query', 'SQLITE_CANTOPEN', this.endpoint);
  }

  async introspect(_scope: IntrospectScope): Promise<Catalog> {
    return this.lock.run(async () => {
      const db = this.reader();
      if (!db) return { engine: 'sqlite', database: this.file, serverVersion: this.serverVersion, schemas: [SQLITE_SCHEMA], tables: [], sequences: [], others: [] };
      try {
        return introspectSqlite(db, this.file, this.serverVersion);
      } catch (err) {
        throw sqliteError(err, this.endpoint);
      }
    });
  }

  async snapshot(_lanes: number): Promise<SourceSnapshot> {
    if (this.file === MEMORY) {
      return this.lock.run(async () => SqliteSnapshot.begin(this.db!, false, this.endpoint));
    }
    if (!fileExists(this.file)) throw new EngineError(`SQLite database file ${this.file} does not exist`, 'connect', 'SQLITE_CANTOPEN', this.endpoint);
    const db = await openDatabase(this.file, { readonly: true, mustExist: true }, this.endpoint);
    return SqliteSnapshot.begin(db, true, this.endpoint);
  }

  async execute(statements: readonly string[]): Promise<void> {
    await this.lock.run(async () => {
      const db = await this.writer();
      for (const sql of statements) {
        try {
          db.exec(sql);
        } catch (err) {
          throw sqliteError(err, this.endpoint);
        }
      }
    });
  }

  async query(sql: string, params?: Params): Promise<readonly Record<string, unknown>[]> {
    return this.lock.run(async () => {
      let db = this.reader();
      if (!db) {
        if (READ_ONLY_SQL.test(sql)) throw this.missing();
        db = await this.writer();
      } else if (!this.writable && !READ_ONLY_SQL.test(sql) && !isReadOnlyStatement(db, sql)) db = await this.writer();
      return runQuery(db, sql, params, this.endpoint);
    });
  }

  async transaction<T>(fn: (tx: TargetTransaction) => Promise<T>): Promise<T> {
    return this.lock.run(async () => {
      const db = await this.writer();
      try {
        db.exec('BEGIN IMMEDIATE');
      } catch (err) {
        throw sqliteError(err, this.endpoint);
      }
      const tx: TargetTransaction = {
        query: async (sql, params) => runQuery(db, sql, params, this.endpoint),
        writeRows: (table: QualifiedName, columns: readonly WriteColumn[], batches: AsyncIterable<readonly Row[]>) => writeSqliteRows(db, table, columns, batches, this.endpoint),
      };
      try {
        const result = await fn(tx);
        db.exec('COMMIT');
        return result;
      } catch (err) {
        if (db.inTransaction) {
          try {
            db.exec('ROLLBACK');
          } catch {
            // the original failure is the one worth reporting
          }
        }
        throw err instanceof EngineError ? err : err instanceof Error && /^SQLITE_/.test(String((err as { code?: unknown }).code)) ? sqliteError(err, this.endpoint) : err;
      }
    });
  }

  async close(): Promise<void> {
    await this.lock.run(async () => {
      this.db?.close();
      this.db = undefined;
    });
  }
}

/**
 * Settings of a handle that writes: WAL lets snapshots read while we write (and survives a crash
 * like the default journal); foreign keys are not enforced during the load, where tables fill in
 * any order (better-sqlite3 turns them on by default).
 */
function prepareForWrites(db: SqliteDatabase): void {
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = OFF');
}

function isReadOnlyStatement(db: SqliteDatabase, sql: string): boolean {
  try {
    return db.prepare(sql).readonly;
  } catch {
    return true; // let the real run report the error
  }
}

function runQuery(db: SqliteDatabase, sql: string, params: Params | undefined, endpoint: string): readonly Record<string, unknown>[] {
  try {
    const stmt = db.prepare(sql);
    const args = params ? [...params] : [];
    if (stmt.reader) return stmt.all(args) as Record<string, unknown>[];
    stmt.run(args);
    return [];
  } catch (err) {
    throw sqliteError(err, endpoint);
  }
}

async function assertDirectory(file: string, endpoint: string): Promise<void> {
  const { dirname } = await import('node:path');
  const { existsSync, statSync } = await import('node:fs');
  const dir = dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new EngineError(`cannot create SQLite database ${file}: the directory ${dir} does not exist`, 'connect', 'SQLITE_CANTOPEN', endpoint);
  }
}
