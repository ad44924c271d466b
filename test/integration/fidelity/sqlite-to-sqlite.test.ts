/**
 * SQLite → SQLite keeps every column's declaration and every value as stored: its storage class
 * and its bytes, whatever the declared type says (SQLite is dynamically typed). Before, declared
 * types were respelt through logical types (INTEGER → BIGINT, no type → TEXT, ANY → DECIMAL_TEXT)
 * and values canonicalised or rejected: text in an INT column, a BLOB column holding text or an
 * integer, 500 characters in a VARCHAR(10), a date written with a 'T', an integer in a column
 * with no type (which arrived as text).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expectApplied, migrate } from './support.js';

const COLUMNS = ['id', 'untyped', 'anyc', 'v10', 'i', 'b', 'r', 'n', 'd5', 't', 'dt', 'bo'] as const;

/** Every column of every row as SQLite stores it: storage class and SQL literal. */
function stored(file: string, table: string): string[][] {
  const db = new Database(file, { readonly: true });
  try {
    const list = COLUMNS.map((c) => `typeof("${c}") || ':' || quote("${c}")`).join(', ');
    return db.prepare(`SELECT ${list} FROM "${table}" ORDER BY id`).raw(true).all() as string[][];
  } finally {
    db.close();
  }
}

describe('SQLite → SQLite', () => {
  let dir: string;
  let source: string;
  let target: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dmsplan-sqlite-sqlite-'));
    source = path.join(dir, 'source.sqlite');
    target = path.join(dir, 'target.sqlite');
    const db = new Database(source);
    db.exec(`CREATE TABLE dyn (id INTEGER PRIMARY KEY, untyped, anyc ANY, v10 VARCHAR(10), i INT, b BLOB, r REAL, n NUMERIC, d5 DECIMAL(5,2), t TEXT, dt DATETIME, bo BOOLEAN)`);
    const insert = db.prepare(`INSERT INTO dyn VALUES (${COLUMNS.map(() => '?').join(', ')})`);
    db.defaultSafeIntegers(true);
    insert.run(1n, 'text', 'x', 'short', 5n, Buffer.from([0, 255]), 1.5, 12n, 1.5, 'a', '2020-01-02T03:04:05.123Z', 1n);
    insert.run(2n, 42n, 42n, 'y'.repeat(500), 'not an int', 'text in a blob', 3n, 'abc', 1.234, '', 1600000000n, 2n);
    insert.run(3n, 1.5, Buffer.from([1, 2]), null, 9223372036854775807n, 7n, Number.POSITIVE_INFINITY, 0.1, 'n/a', '42', 2459000.5, 'yes');
    insert.run(4n, Buffer.from('deadbeef', 'hex'), 1e300, '', -9223372036854775808n, 2.5, Number.NEGATIVE_INFINITY, null, 3n, null, 'not a date', 0n);
    insert.run(5n, '42', '', 'ünï 😀', 1.25, '', -0, 1e20, null, '2020-01-02', '2020-01-02 03:04', null);
    // A REAL infinity in a column with no type: its text would read back as text.
    db.exec(`INSERT INTO dyn (id, untyped) VALUES (6, 9e999)`);
    // STRICT: ANY keeps text '5' as text (a plain table's ANY would make it 5); WITHOUT ROWID.
    db.exec(`CREATE TABLE st (id INTEGER PRIMARY KEY, a ANY, b TEXT) STRICT; INSERT INTO st VALUES (1, '5', 'x'), (2, 5, NULL), (3, '1.50', 'y'), (4, x'01', NULL), (5, 2.5, '')`);
    db.exec(`CREATE TABLE wr (k TEXT PRIMARY KEY, v) WITHOUT ROWID; INSERT INTO wr VALUES ('a', '1'), ('A', 1), ('b ', 1.5)`);
    // A collation decides what a unique key holds: 'X' and 'x' are one value under NOCASE.
    db.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT COLLATE nocase UNIQUE, tag TEXT COLLATE RTRIM, login TEXT); INSERT INTO users VALUES (1, 'X@example.com', 'a ', 'Ann')`);
    db.exec(`CREATE UNIQUE INDEX ux_login ON users (login COLLATE NOCASE)`);
    // A rowid alias with AUTOINCREMENT (sqlite_sequence keeps its largest value) and without (dyn, users).
    db.exec(`CREATE TABLE auto (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT); INSERT INTO auto (v) VALUES ('a'), ('b'); DELETE FROM auto WHERE id = 2`);
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps each declaration verbatim and each value with its storage class and bytes; checksums match; a second run has nothing to do', async () => {
    const run = await migrate({ engine: 'sqlite', url: `sqlite:${source}` }, 'main', { engine: 'sqlite', url: `sqlite:${target}` }, 'main');
    expectApplied(run);
    expect(run.stdout).toMatch(/checksums match/);
    expect(run.stdout).not.toMatch(/rejected:/);
    const declared = (file: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare(`SELECT name, type FROM pragma_table_info('dyn') ORDER BY cid`).all();
      } finally {
        db.close();
      }
    };
    expect(declared(target)).toEqual(declared(source));
    const expected = stored(source, 'dyn');
    // The fixture has what it means to have (SQLite's affinities applied on insert).
    expect(expected[1]![1]).toBe('integer:42');
    expect(expected[4]![1]).toBe("text:'42'");
    expect(stored(target, 'dyn')).toEqual(expected);
    // Table options are kept, and with STRICT what an ANY column stores.
    const schema = (file: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return {
          options: db.prepare(`SELECT name, strict, wr FROM pragma_table_list WHERE name IN ('st', 'wr') ORDER BY name`).all(),
          st: db.prepare(`SELECT typeof(a) || ':' || quote(a) FROM st ORDER BY id`).raw(true).all(),
          wr: db.prepare(`SELECT k, typeof(v) || ':' || quote(v) FROM wr ORDER BY k`).raw(true).all(),
          autoincrement: db.prepare(`SELECT name FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%' ORDER BY name`).raw(true).all(),
          // The counter too: the deleted row's number 2 is not handed out again (it was: the target's stood at 1).
          counters: db.prepare(`SELECT name, seq FROM sqlite_sequence ORDER BY name`).raw(true).all(),
          // A rowid alias has no index of its own for its key.
          keyIndexes: db.prepare(`SELECT name FROM pragma_index_list('dyn') WHERE origin = 'pk'`).all(),
        };
      } finally {
        db.close();
      }
    };
    expect(schema(source).st).toEqual([["text:'5'"], ['integer:5'], ["text:'1.50'"], ["blob:X'01'"], ['real:2.5']]);
    expect(schema(target)).toEqual(schema(source));
    const db = new Database(target);
    try {
      const uniques = db.prepare(`SELECT x.name, x.coll FROM pragma_index_list('users') AS l, pragma_index_xinfo(l.name) AS x WHERE l."unique" = 1 AND x.key = 1 ORDER BY x.name`).all();
      expect(uniques).toEqual([{ name: 'email', coll: 'NOCASE' }, { name: 'login', coll: 'NOCASE' }]);
      expect(() => db.prepare(`INSERT INTO users VALUES (2, 'x@EXAMPLE.com', NULL, NULL)`).run()).toThrow(/UNIQUE/);
      // A unique index comparing its column under another collation stays so.
      expect(() => db.prepare(`INSERT INTO users VALUES (3, NULL, NULL, 'ANN')`).run()).toThrow(/UNIQUE/);
      expect(db.prepare(`SELECT count(*) AS n FROM users WHERE tag = 'a'`).get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    const again = await migrate({ engine: 'sqlite', url: `sqlite:${source}` }, 'main', { engine: 'sqlite', url: `sqlite:${target}` }, 'main');
    expect(again.stdout).toMatch(/No changes/);
  });
});
