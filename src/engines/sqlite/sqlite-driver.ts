/**
 * The only file that touches better-sqlite3 (loaded lazily, on the first open). better-sqlite3 is
 * synchronous: every call blocks the event loop for its duration, so callers keep calls short
 * (batches) and yield between them. This file also owns the mapping of SQLite errors to
 * EngineError and the one-connection serialisation (a mutex) that SQLite's single writer needs.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { EngineError } from '../contract.js';
import { filePathOfUrl } from '../url.js';

export type SqliteDatabase = BetterSqlite3.Database;
export type SqliteStatement = BetterSqlite3.Statement<unknown[], unknown>;

type DatabaseConstructor = typeof BetterSqlite3;
let loaded: Promise<DatabaseConstructor> | undefined;

async function driver(): Promise<DatabaseConstructor> {
  loaded ??= import('better-sqlite3').then((m) => m.default);
  return loaded;
}

export const MEMORY = ':memory:';

/** The file a `sqlite:` URL names, absolute (relative paths are resolved against the process cwd). */
export function sqlitePathOfUrl(url: string): string {
  const raw = filePathOfUrl(url).replace(/\?.*$/s, '');
  if (raw === MEMORY) return MEMORY;
  const decoded = /^sqlite:\/\//i.test(url.trim()) ? safeDecode(raw) : raw;
  return path.resolve(process.cwd(), decoded);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function fileExists(file: string): boolean {
  return file === MEMORY || existsSync(file);
}

export function isDirectory(file: string): boolean {
  return file !== MEMORY && existsSync(file) && statSync(file).isDirectory();
}

export interface OpenOptions {
  readonly readonly: boolean;
  /** Refuse to create the file (reading a source must never leave an empty database behind). */
  readonly mustExist: boolean;
}

/** How long a statement waits for another connection's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/** Opens a database file; failures become EngineError('connect') naming the file. */
export async function openDatabase(file: string, options: OpenOptions, endpoint: string): Promise<SqliteDatabase> {
  if (file !== MEMORY) {
    if (options.mustExist && !existsSync(file)) {
      throw new EngineError(`SQLite database file ${file} does not exist`, 'connect', 'SQLITE_CANTOPEN', endpoint);
    }
    const dir = path.dirname(file);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new EngineError(`cannot open SQLite database ${file}: the directory ${dir} does not exist`, 'connect', 'SQLITE_CANTOPEN', endpoint);
    }
  }
  const Database = await driver();
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(file, { readonly: options.readonly && file !== MEMORY, fileMustExist: options.mustExist && file !== MEMORY, timeout: BUSY_TIMEOUT_MS });
    // Reading the schema fails here, not later, when the file is not a database.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (err) {
    db?.close();
    throw sqliteError(err, endpoint, file);
  }
}

export function sqliteVersion(db: SqliteDatabase): string {
  const row = db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
  return `SQLite ${row.v}`;
}

/**
 * SQLite result codes → EngineError kinds. CANTOPEN/NOTADB: the endpoint is wrong (connect);
 * BUSY/LOCKED: another process holds the file, worth a retry (transient); CONSTRAINT*, MISMATCH,
 * TOOBIG: the row is refused (data — the executor isolates such rows); PERM/AUTH: auth.
 */
export function sqliteError(err: unknown, endpoint: string, file?: string): EngineError {
  if (err instanceof EngineError) return err;
  const code = typeof (err as { code?: unknown })?.code === 'string' ? ((err as { code: string }).code) : undefined;
  const message = err instanceof Error ? err.message : String(err);
  const kind = kindOfCode(code);
  if (file !== undefined && kind === 'transient') {
    // 'database is locked' alone says neither which file nor why: another connection is writing it.
    return new EngineError(`cannot open SQLite database ${file}: another process holds a write lock on it (waited ${BUSY_TIMEOUT_MS / 1000} s); run again when its transaction has ended`, kind, code, endpoint);
  }
  const where = file !== undefined && kind === 'connect' ? `cannot open SQLite database ${file}: ` : '';
  return new EngineError(`${where}${message.split('\n')[0]}`, kind, code, endpoint);
}

function kindOfCode(code: string | undefined): EngineError['kind'] {
  if (code === undefined) return 'query';
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_NOTADB')) return 'connect';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'transient';
  if (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG' || code === 'SQLITE_RANGE') return 'data';
  if (code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') return 'auth';
  return 'query';
}

/** Serialises async critical sections on the one connection (FIFO). */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/** Gives the event loop a turn (between batches of synchronous SQLite work). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
