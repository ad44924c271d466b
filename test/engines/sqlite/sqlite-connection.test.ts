import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError, type WriteColumn } from '../../../src/engines/contract.js';
import { sqliteEngine } from '../../../src/engines/sqlite/index.js';
import { sqlitePathOfUrl } from '../../../src/engines/sqlite/sqlite-driver.js';
import { parseSqliteType, sqliteToLogical } from '../../../src/engines/sqlite/sqlite-types.js';
import { batchesOf, config, connect, tempDir } from './helpers.js';

async function failure(p: Promise<unknown>): Promise<EngineError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EngineError);
  return err as EngineError;
}

const intColumn = (name: string): WriteColumn => {
  const native = parseSqliteType('INTEGER')!;
  return { name, native, logical: sqliteToLogical(native) };
};

describe('SQLite connections', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('resolves the URL forms to absolute paths', () => {
    expect(sqlitePathOfUrl('sqlite:/abs/x.sqlite')).toBe('/abs/x.sqlite');
    expect(sqlitePathOfUrl('sqlite:///abs/x.sqlite')).toBe('/abs/x.sqlite');
    expect(sqlitePathOfUrl('sqlite:rel/x.sqlite')).toBe(path.resolve(process.cwd(), 'rel/x.sqlite'));
    expect(sqlitePathOfUrl('sqlite::memory:')).toBe(':memory:');
    expect(sqlitePathOfUrl('sqlite:///abs/with%20space.sqlite')).toBe('/abs/with space.sqlite');
  });

  it('refuses a missing source file with a connect error naming it, and does not create it', async () => {
    const file = tmp.file('missing-source.sqlite');
    const err = await failure(connect(file, 'source'));
    expect(err.kind).toBe('connect');
    expect(err.message).toContain(file);
    expect(err.endpoint).toBe(`sqlite:${file}`);
    expect(existsSync(file)).toBe(false);
    // Without a role the connection opens, but a snapshot of the missing file is still a connect error.
    const conn = await connect(file);
    expect((await failure(conn.snapshot(1))).kind).toBe('connect');
    expect((await conn.introspect({ schemas: undefined })).tables).toEqual([]);
    expect((await failure(conn.query('SELECT 1 FROM x'))).message).toContain('does not exist');
    await conn.close();
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a directory as the database, source or target, saying to name a file in it', async () => {
    const dir = path.dirname(tmp.file('x.sqlite'));
    for (const role of ['source', 'target'] as const) {
      const err = await failure(connect(dir, role));
      expect(err.kind).toBe('connect');
      expect(err.message).toBe(`${dir} is a directory, not a SQLite database file: name the file in the URL (sqlite:${dir}/app.db)`);
    }
  });

  it('creates a missing target file on the first write, not before', async () => {
    const file = tmp.file('new-target.sqlite');
    const conn = await connect(file, 'target');
    const catalog = await conn.introspect({ schemas: undefined });
    expect(catalog).toMatchObject({ engine: 'sqlite', database: file, schemas: ['main'], tables: [] });
    expect(existsSync(file)).toBe(false);
    await conn.execute(['CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)']);
    expect(existsSync(file)).toBe(true);
    expect(await conn.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await conn.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 0 }]);
    await conn.close();
  });

  it('names the problem when the directory is missing or the file is not a database', async () => {
    const noDir = await failure(connect(tmp.file('no/such/dir.sqlite'), 'target'));
    expect(noDir.kind).toBe('connect');
    expect(noDir.message).toContain('directory');
    const junk = tmp.file('junk.sqlite');
    writeFileSync(junk, 'this is not a database, just text that is long enough to have a header'.repeat(20));
    const notDb = await failure(connect(junk, 'source'));
    expect(notDb.kind).toBe('connect');
    expect(notDb.dbCode).toBe('SQLITE_NOTADB');
    expect(notDb.message).not.toMatch(/\n\s+at /); // no stack
  });

  it('reads a source without changing it (read-only handle, journal mode kept)', async () => {
    const file = tmp.file('untouched.sqlite');
    const setup = await connect(file, 'target');
    await setup.execute(['PRAGMA journal_mode = DELETE', 'CREATE TABLE t (id INTEGER PRIMARY KEY)', 'INSERT INTO t VALUES (1)']);
    await setup.close();
    const conn = await connect(file, 'source');
    await conn.introspect({ schemas: undefined });
    expect(await conn.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 1 }]);
    const snap = await conn.snapshot(1);
    await snap.close();
    expect(await conn.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'delete' }]);
    await conn.close();
  });

  it('serialises concurrent transactions on the one connection and rolls back a failing one', async () => {
    const conn = await sqliteEngine.connect(config('sqlite::memory:'));
    await conn.execute(['CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)']);
    const cols = [intColumn('id'), intColumn('v')];
    const slowWrite = (start: number) =>
      conn.transaction(async (tx) => {
        async function* slow() {
          for (let i = 0; i < 5; i++) {
            await new Promise((r) => setTimeout(r, 2));
            yield [[String(start + i), String(i)]];
          }
        }
        return tx.writeRows({ schema: undefined, name: 't' }, cols, slow());
      });
    const failing = conn.transaction(async (tx) => {
      await tx.writeRows({ schema: undefined, name: 't' }, cols, batchesOf([['100', '1']], 1));
      throw new Error('boom');
    });
    const results = await Promise.allSettled([slowWrite(0), failing, slowWrite(10)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('boom');
    expect(await conn.query('SELECT count(*) AS n, sum(id >= 100) AS rolled_back FROM t')).toEqual([{ n: 10, rolled_back: 0 }]);
    // A constraint violation inside writeRows is a data error (the executor isolates such rows).
    const dup = await failure(conn.transaction((tx) => tx.writeRows({ schema: undefined, name: 't' }, cols, batchesOf([['1', '1']], 1))));
    expect(dup.kind).toBe('data');
    expect(dup.dbCode).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    const nul = await failure(conn.transaction((tx) => tx.writeRows({ schema: undefined, name: 't' }, cols, batchesOf([['50', null]], 1))));
    expect(nul.kind).toBe('data');
    expect(await conn.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 10 }]);
    // A wide table: rows per INSERT shrink to stay under SQLite's bound-variable limit.
    const wide = Array.from({ length: 1500 }, (_, i) => intColumn(`c${i}`));
    await conn.execute([`CREATE TABLE w (${wide.map((c) => `"${c.name}" INTEGER`).join(', ')})`]);
    const rows = Array.from({ length: 250 }, (_, r) => wide.map((_, c) => String(r * c)));
    expect(await conn.transaction((tx) => tx.writeRows({ schema: undefined, name: 'w' }, wide, batchesOf(rows, 250)))).toBe(250);
    expect(await conn.query('SELECT count(*) AS n, sum(c1499) AS s FROM w')).toEqual([{ n: 250, s: 1499 * ((249 * 250) / 2) }]);
    await conn.close();
  });

  it('says which file is locked, and by what, when a source cannot be opened for another process\'s write lock', async () => {
    const file = tmp.file('locked-source.sqlite');
    const Database = (await import('better-sqlite3')).default;
    const holder = new Database(file, { timeout: 0 });
    holder.exec('PRAGMA journal_mode = DELETE; CREATE TABLE t (id INTEGER); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)');
    try {
      const err = await failure(sqliteEngine.connect(config(`sqlite:${file}`, 'source')));
      expect(err.kind).toBe('transient');
      expect(err.dbCode).toMatch(/^SQLITE_BUSY/);
      expect(err.message).toContain(`cannot open SQLite database ${file}: another process holds a write lock on it`);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  }, 20_000);

  it('reports a busy file as transient', async () => {
    const file = tmp.file('busy.sqlite');
    const a = await connect(file, 'target');
    await a.execute(['PRAGMA journal_mode = DELETE', 'CREATE TABLE t (id INTEGER)']);
    const b = await sqliteEngine.connect(config(`sqlite:${file}`, 'target'));
    await b.execute(['CREATE TABLE IF NOT EXISTS t (id INTEGER)']); // b holds its write handle
    const Database = (await import('better-sqlite3')).default;
    const holder = new Database(file, { timeout: 0 });
    holder.exec('BEGIN EXCLUSIVE');
    try {
      // The driver's busy timeout is 5 s; the exclusive lock outlives a short statement.
      const err = await failure(
        Promise.race([b.execute(['INSERT INTO t VALUES (1)']), new Promise((_r, reject) => setTimeout(() => reject(new Error('still waiting')), 8000))]),
      ).catch((e: unknown) => e as EngineError);
      expect(err.kind).toBe('transient');
      expect(err.dbCode).toMatch(/^SQLITE_BUSY/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
      await a.close();
      await b.close();
    }
  }, 20_000);
});
