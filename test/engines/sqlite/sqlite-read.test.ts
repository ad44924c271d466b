import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { EngineConnection, ReadColumn } from '../../../src/engines/contract.js';
import type { Catalog } from '../../../src/schema/catalog.js';
import { parseSqliteType, sqliteToLogical } from '../../../src/engines/sqlite/sqlite-types.js';
import { CHINOOK_SQLITE } from '../../support/servers.js';
import { BATCH_BYTES } from '../../../src/engines/batch-bytes.js';
import { connect, createFile, readAll, tempDir } from './helpers.js';
import { isInvalidText } from '../../../src/types/values/invalid-text.js';

function columnsOf(catalog: Catalog, table: string): ReadColumn[] {
  return catalog.tables.find((t) => t.name === table)!.columns.map((c) => ({ name: c.name, native: c.nativeType, logical: c.logical }));
}

function readColumn(name: string, declared: string): ReadColumn {
  const native = parseSqliteType(declared)!;
  return { name, native, logical: sqliteToLogical(native) };
}

describe('SQLite reads of Chinook', () => {
  let conn: EngineConnection;
  let catalog: Catalog;
  const direct = new Database(CHINOOK_SQLITE, { readonly: true, fileMustExist: true });
  beforeAll(async () => {
    conn = await connect(CHINOOK_SQLITE, 'source');
    catalog = await conn.introspect({ schemas: undefined });
  });
  afterAll(async () => {
    await conn.close();
    direct.close();
  });

  it('reads every table with the same count and values as a direct read', async () => {
    const snapshot = await conn.snapshot(2);
    try {
      for (const table of catalog.tables) {
        const columns = columnsOf(catalog, table.name);
        const key = table.primaryKey!.columns;
        const rows = await readAll(snapshot, table.name, columns, { orderBy: key, batchRows: 333 });
        const q = (n: string) => `"${n}"`;
        const expected = direct.prepare(`SELECT ${columns.map((c) => q(c.name)).join(', ')} FROM ${q(table.name)} ORDER BY ${key.map(q).join(', ')}`).raw(true).all() as unknown[][];
        expect(rows.length, table.name).toBe((direct.prepare(`SELECT count(*) AS n FROM ${q(table.name)}`).get() as { n: number }).n);
        expect(await snapshot.count({ schema: 'main', name: table.name }, undefined, 1)).toBe(rows.length);
        for (const [i, row] of rows.entries()) {
          for (const [c, column] of columns.entries()) {
            const raw = expected[i]![c];
            const value = row[c];
            if (raw === null) expect(value).toBeNull();
            else if (column.logical.kind === 'decimal') expect(Number(value)).toBe(raw);
            else expect(value, `${table.name}.${column.name}`).toBe(String(raw));
          }
        }
      }
    } finally {
      await snapshot.close();
    }
  });

  it('gives canonical values: integers as digit strings, NUMERIC(10,2) padded to its scale, timestamps as text', async () => {
    const snapshot = await conn.snapshot(1);
    try {
      const rows = await readAll(snapshot, 'Invoice', columnsOf(catalog, 'Invoice'), { orderBy: ['InvoiceId'], batchRows: 10 });
      expect(rows[0]).toEqual(['1', '2', '2021-01-01 00:00:00', 'Theodor-Heuss-Straße 34', 'Stuttgart', null, 'Germany', '70174', '1.98']);
      expect(rows.every((r) => typeof r[8] === 'string' && /^\d+\.\d\d$/.test(r[8]))).toBe(true);
    } finally {
      await snapshot.close();
    }
  });

  it('splits a key into ranges that cover every row once, and reads ranges and filters', async () => {
    const snapshot = await conn.snapshot(2);
    try {
      const table = { schema: 'main', name: 'Track' };
      const columns = columnsOf(catalog, 'Track');
      const key = columns[0]!;
      expect(await snapshot.keyBounds(table, key, undefined, 0)).toEqual({ min: '1', max: '3503' });
      expect(await snapshot.keyBounds(table, key, '"TrackId" > 5000', 0)).toBeUndefined();
      const points = await snapshot.splitPoints(table, key, undefined, 4, 0);
      expect(points).toEqual(['876', '1752', '2628']);
      const bounds = [undefined, ...points, undefined];
      let total = 0;
      const seen = new Set<string>();
      for (let i = 0; i + 1 < bounds.length; i++) {
        for await (const batch of snapshot.read({ table, columns: [key], where: undefined, range: { column: key, after: bounds[i], upTo: bounds[i + 1] }, orderBy: ['TrackId'], batchRows: 500 }, i % 2)) {
          for (const row of batch) seen.add(row[0] as string);
          total += batch.length;
        }
      }
      expect(total).toBe(3503);
      expect(seen.size).toBe(3503);
      expect(await snapshot.count(table, '"GenreId" = 1', 0)).toBe(1297);
      expect(await snapshot.splitPoints(table, key, '"TrackId" <= 10', 3, 0)).toEqual(['4', '8']);
    } finally {
      await snapshot.close();
    }
  });

  it('serves lanes interleaved on the one connection', async () => {
    const snapshot = await conn.snapshot(2);
    try {
      const request = (name: string, lane: number) =>
        snapshot.read({ table: { schema: 'main', name }, columns: columnsOf(catalog, name).slice(0, 1), where: undefined, range: undefined, orderBy: [], batchRows: 100 }, lane)[Symbol.asyncIterator]();
      const a = request('Track', 0);
      const b = request('InvoiceLine', 1);
      let rows = 0;
      for (;;) {
        const [x, y] = await Promise.all([a.next(), b.next()]);
        rows += (x.done ? 0 : x.value.length) + (y.done ? 0 : y.value.length);
        if (x.done && y.done) break;
      }
      expect(rows).toBe(3503 + 2240);
      // A consumer that stops early frees its statement.
      const c = request('Track', 0);
      await c.next();
      await c.return?.();
      expect(await snapshot.count({ schema: 'main', name: 'Track' }, undefined, 0)).toBe(3503);
    } finally {
      await snapshot.close();
    }
  });
});

describe('SQLite edge values and storage classes', () => {
  const tmp = tempDir();
  const file = tmp.file('edges.sqlite');
  let conn: EngineConnection;
  const blobWithNul = Buffer.from([0, 1, 0, 255]);
  beforeAll(async () => {
    createFile(file, `CREATE TABLE e (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, d NUMERIC(10,2), big DECIMAL(38,10), flag BOOLEAN, ts DATETIME, tz TIMESTAMPTZ, j JSON, u UUID, untyped)`);
    const db = new Database(file);
    const insert = db.prepare('INSERT INTO e VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)');
    db.defaultSafeIntegers(true);
    insert.run(1n, 9223372036854775807n, 1.7976931348623157e308, '😀 4-byte', blobWithNul, 1.5, '12345678901234567890.1234567891', 1n, '2020-02-29T10:11:12.123Z', '2020-02-29 10:11:12Z', '{"a":1}', '123e4567-e89b-12d3-a456-426614174000', 42n);
    insert.run(2n, -9223372036854775808n, -0, 'a\u0000b', Buffer.alloc(0), 3n, '1.5', 0n, '2020-02-29 10:11', null, '[1,2]', null, 'text');
    insert.run(3n, 'abc', 'not a number', 7n, 'text in a blob column', 'x', 'y', 2n, 1577836800n, null, 12n, null, Buffer.from('hi'));
    insert.run(4n, 1.5, 5e-324, 1.25, null, 1.234, null, 'true', null, null, null, null, 1.5);
    insert.run(5n, null, Number.NaN, null, null, null, null, null, null, null, null, null, null);
    insert.run(6n, null, Number.POSITIVE_INFINITY, null, null, null, null, null, null, null, null, null, null);
    // TEXT that is not UTF-8 (SQLite does not check), and a BLOB of valid UTF-8 in a TEXT column.
    db.exec(`INSERT INTO e (id, t, j) VALUES (7, CAST(x'61ff62' AS TEXT), CAST(x'7b2261223a22ff227d' AS TEXT)), (8, x'616263', NULL), (9, 'a real \uFFFD', NULL)`);
    // The same in a column with no declared type, which also holds BLOBs: the two must stay apart.
    db.exec(`INSERT INTO e (id, untyped) VALUES (10, CAST(x'c328' AS TEXT))`);
    // The same without a rowid to read a value again by: its text is read as bytes.
    db.exec(`CREATE TABLE w (k TEXT PRIMARY KEY, t TEXT) WITHOUT ROWID; INSERT INTO w VALUES ('a', CAST(x'61ff62' AS TEXT)), ('b', 'ünï \uFFFD'), ('c', 'ascii'), ('d', x'00'), ('e', 42)`);
    db.close();
    conn = await connect(file, 'source');
  });
  afterAll(async () => {
    await conn.close();
    tmp.remove();
  });

  it('emits exact canonical values, and mismatched storage classes in their own text form', async () => {
    const catalog = await conn.introspect({ schemas: undefined });
    const snapshot = await conn.snapshot(1);
    try {
      const rows = await readAll(snapshot, 'e', columnsOf(catalog, 'e'), { orderBy: ['id'] });
      expect(rows[0]).toEqual([
        '1', '9223372036854775807', '1.7976931348623157e+308', '😀 4-byte', blobWithNul, '1.50',
        // DECIMAL(38,10) has NUMERIC affinity: SQLite itself turned the text into a REAL (15 digits) — documented.
        '12345678901234567000.0000000000', true, '2020-02-29 10:11:12.123', '2020-02-29 10:11:12+00:00', '{"a":1}', '123e4567-e89b-12d3-a456-426614174000', '42',
      ]);
      // -0 in a REAL column comes back 0: SQLite stores integral REALs as integers on disk (documented).
      expect(rows[1]).toEqual(['2', '-9223372036854775808', '0', 'a\u0000b', Buffer.alloc(0), '3.00', '1.5000000000', false, '2020-02-29 10:11:00', null, '[1,2]', null, 'text']);
      // Text in INTEGER and BLOB columns, a non-0/1 boolean, a BLOB in an untyped column: never coerced.
      expect(rows[2]).toEqual(['3', 'abc', 'not a number', '7', 'text in a blob column', 'x', 'y', '2', '1577836800', null, '12', null, Buffer.from('hi')]);
      expect(rows[3]).toEqual(['4', '1.5', '5e-324', '1.25', null, '1.234', null, 'true', null, null, null, null, '1.5']);
      // SQLite stores NaN as NULL.
      expect(rows[4]![2]).toBeNull();
      expect(rows[5]![2]).toBe('Infinity');
      // Invalid UTF-8 stays bytes (the converter rejects them), not text with U+FFFD in place of a byte.
      expect([rows[6]![3], rows[6]![10]]).toEqual([Buffer.from('61ff62', 'hex'), Buffer.from('7b2261223a22ff227d', 'hex')]);
      expect(rows[7]![3]).toEqual(Buffer.from('abc'));
      expect(rows[8]![3]).toBe('a real \uFFFD');
      // Marked as text that is not UTF-8, so that no converter takes it for a BLOB (see invalid-text.ts).
      expect([rows[6]![3], rows[6]![10], rows[9]![12]].map((v) => isInvalidText(v!))).toEqual([true, true, true]);
      expect(rows[9]![12]).toEqual(Buffer.from('c328', 'hex'));
      expect([rows[7]![3], rows[2]![12], rows[0]![4]].map((v) => isInvalidText(v!))).toEqual([false, false, false]);
      const w = await readAll(snapshot, 'w', columnsOf(catalog, 'w'), { orderBy: ['k'] });
      expect(w).toEqual([
        ['a', Buffer.from('61ff62', 'hex')],
        ['b', 'ünï \uFFFD'],
        ['c', 'ascii'],
        ['d', Buffer.from([0])],
        ['e', '42'],
      ]);
      expect(w.map((r) => isInvalidText(r[1]!))).toEqual([true, false, false, false, false]);
    } finally {
      await snapshot.close();
    }
  });

  it('a snapshot does not see writes committed after it started (WAL file)', async () => {
    const walFile = tmp.file('wal.sqlite');
    createFile(walFile, 'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES (\'a\'), (\'b\');', true);
    const source = await connect(walFile, 'source');
    const snapshot = await source.snapshot(2);
    const other = new Database(walFile);
    try {
      other.prepare("INSERT INTO t (v) VALUES ('c')").run();
      other.prepare("UPDATE t SET v = 'changed' WHERE id = 1").run();
      const cols = [readColumn('id', 'INTEGER'), readColumn('v', 'TEXT')];
      expect(await readAll(snapshot, 't', cols, { orderBy: ['id'] })).toEqual([
        ['1', 'a'],
        ['2', 'b'],
      ]);
      expect(await snapshot.count({ schema: 'main', name: 't' }, undefined, 1)).toBe(2);
      const later = await source.snapshot(1);
      expect(await later.count({ schema: 'main', name: 't' }, undefined, 0)).toBe(3);
      await later.close();
    } finally {
      await snapshot.close();
      other.close();
      await source.close();
    }
  });
});

describe('SQLite reads of wide rows', () => {
  const tmp = tempDir();
  const file = tmp.file('wide.sqlite');

  it('ends a batch after about BATCH_BYTES of values: multi-megabyte rows come a few at a time, not batchRows at once', async () => {
    createFile(file, `CREATE TABLE w (id INTEGER PRIMARY KEY, b BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9) INSERT INTO w SELECT i, zeroblob(3 * 1024 * 1024) FROM n`);
    const conn = await connect(file);
    const snapshot = await conn.snapshot(1);
    try {
      const sizes: number[] = [];
      const columns = [readColumn('id', 'INTEGER'), readColumn('b', 'BLOB')];
      for await (const batch of snapshot.read({ table: { schema: 'main', name: 'w' }, columns, where: undefined, range: undefined, orderBy: ['id'], batchRows: 2000 }, 0)) sizes.push(batch.length);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(9);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(Math.ceil(BATCH_BYTES / (3 * 1024 * 1024)));
    } finally {
      await snapshot.close();
      await conn.close();
    }
  });
});
