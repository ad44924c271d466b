/** Shared helpers of the SQLite engine tests: throw-away files and direct better-sqlite3 access. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ConnectConfig, EngineConnection, ReadColumn, SourceSnapshot } from '../../../src/engines/contract.js';
import { sqliteEngine } from '../../../src/engines/sqlite/index.js';
import type { Row } from '../../../src/types/logical.js';

export interface TempDir {
  readonly dir: string;
  file(name: string): string;
  remove(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(path.join(tmpdir(), 'dmsplan-sqlite-'));
  return { dir, file: (name) => path.join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function config(url: string, role?: 'source' | 'target'): ConnectConfig {
  return { url, session: [], tls: undefined, poolSize: 2, applicationName: 'dmsplan-test', ...(role ? { role } : {}) };
}

export function connect(file: string, role?: 'source' | 'target'): Promise<EngineConnection> {
  return sqliteEngine.connect(config(`sqlite:${file}`, role));
}

/** Creates a file with SQL run directly (WAL when asked). */
export function createFile(file: string, sql: string, wal = false): void {
  const db = new Database(file);
  if (wal) db.pragma('journal_mode = WAL');
  db.exec(sql);
  db.close();
}

export async function readAll(snapshot: SourceSnapshot, table: string, columns: readonly ReadColumn[], options: { orderBy?: readonly string[]; batchRows?: number; where?: string } = {}): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const batch of snapshot.read(
    { table: { schema: 'main', name: table }, columns, where: options.where, range: undefined, orderBy: options.orderBy ?? [], batchRows: options.batchRows ?? 1000 },
    0,
  )) {
    rows.push(...batch);
  }
  return rows;
}

export async function* batchesOf(rows: readonly Row[], size: number): AsyncGenerator<readonly Row[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
