import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteEngine } from '../../../src/engines/pglite/index.js';
import { dataDirOfUrl } from '../../../src/engines/pglite/pglite-driver.js';
import { PGLITE_LOCK_FILE } from '../../../src/engines/pglite/pglite-data-dir.js';
import type { EngineConnection, ReadColumn, TargetTableDef } from '../../../src/engines/contract.js';
import type { LogicalType, Row } from '../../../src/types/logical.js';

// PGlite runs in-process: no server needed, so this suite always runs.

function config(url: string) {
  return { url, session: [], tls: undefined, poolSize: 2, applicationName: 'dmsplan-test' };
}

async function* once<T>(value: T): AsyncGenerator<T> {
  yield value;
}

const types = pgliteEngine.types;
const col = (name: string, typeText: string, extra: Partial<TargetTableDef['columns'][number]> = {}): TargetTableDef['columns'][number] => ({
  name,
  type: types.parseNative(typeText)!,
  nullable: true,
  default: undefined,
  identity: undefined,
  generated: undefined,
  onUpdateCurrentTimestamp: false,
  comment: undefined,
  ...extra,
});

describe('PGlite engine', () => {
  let dir: string;
  let conn: EngineConnection;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dms-pglite-'));
    conn = await pgliteEngine.connect(config(`pglite:${path.join(dir, 'data')}`));
  }, 120_000);

  afterAll(async () => {
    await conn?.close();
    // Released with the last connection.
    expect(existsSync(path.join(dir, 'data', PGLITE_LOCK_FILE))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves data directories from URLs', () => {
    expect(dataDirOfUrl('pglite:memory:')).toBeUndefined();
    expect(dataDirOfUrl('pglite:/abs/dir')).toBe('/abs/dir');
    expect(dataDirOfUrl('pglite:///abs/dir')).toBe('/abs/dir');
    expect(dataDirOfUrl('pglite:rel/dir')).toBe(path.resolve('rel/dir'));
  });

  it('creates a table with every type, writes rows, reads them back equal, introspects it', async () => {
    const d = pgliteEngine.dialect;
    const enumType = types.fromLogical({ kind: 'enum', values: ['a', "b'c"], name: 'Weird Enum' });
    const def: TargetTableDef = {
      schema: 'Shop "X"',
      name: 'Order',
      columns: [
        col('id', 'bigint', { nullable: false, identity: 'by_default' }),
        col('i2', 'smallint'), col('i4', 'integer'), col('n20', 'numeric(20,0)'), col('n', 'numeric'),
        col('f4', 'real'), col('f8', 'double precision'), col('t', 'text', { default: { kind: 'literal', text: "it's" }, comment: 'a comment' }),
        col('vc', 'varchar(10)'), col('ch', 'char(2)'), col('b', 'bytea'), col('bo', 'boolean'), col('d', 'date'),
        col('tm', 'time(3)'), col('ts', 'timestamp(6)'), col('tstz', 'timestamptz', { default: { kind: 'current_timestamp', precision: undefined } }),
        col('iv', 'interval'), col('u', 'uuid'), col('j', 'json'), col('jb', 'jsonb'), col('bt', 'bit(3)'), col('vb', 'varbit(8)'),
        col('ta', 'text[]'), col('ia', 'integer[]'),
        { ...col('e', 'text'), type: enumType },
        col('select', 'integer'),
      ],
      primaryKey: { name: 'PRIMARY', columns: ['id'] },
      uniqueKeys: [],
      indexes: [],
      foreignKeys: [],
      checks: [{ name: 'pos', expression: '"i4" > 0' }],
      comment: 'orders',
    };
    const q = { schema: def.schema, name: def.name };
    await conn.execute([...d.createSchema(def.schema!), ...d.createTypes(def), ...d.createTypes(def), ...d.createTable(def, { withPrimaryKey: false })]);
    await conn.execute([...d.addPrimaryKey(q, def.primaryKey!), ...d.createIndex(q, { name: 'lower_t', unique: false, parts: [{ expression: 'lower(t)', descending: false }], where: 'i4 > 1', method: 'btree' })]);
    const columns = def.columns.map((c) => ({ name: c.name, native: c.type, logical: types.toLogical(c.type) }));
    const full: Row = [
      '1', '-32768', '2147483647', '18446744073709551615', 'NaN', '-Infinity', '-0', 'tab\there\\ 😀\nnl', 'ten chars!', 'ab',
      Buffer.from([0, 1, 255]), true, '2024-02-29', '23:59:59.999', '1999-12-31 23:59:59.999999', '2021-03-14 07:00:00+00:00',
      '3 days -04:00:00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"x": "é"}', '{"x": "é"}', '101', '1', ['a"b', null, 'NULL', ''], ['1', null], "b'c", '7',
    ];
    const rows: Row[] = [full];
    for (let i = 2; i <= 1200; i++) rows.push(columns.map((c, k) => (c.name === 'id' ? String(i) : c.name === 'i4' ? String(i) : c.name === 'e' ? 'a' : k > 20 ? null : null)));
    const written = await conn.transaction((tx) => tx.writeRows(q, columns, once(rows)));
    expect(written).toBe(1200);
    await conn.execute(d.resetIdentity(q, 'id'));
    const [next] = await conn.query(`INSERT INTO ${d.qualify(q)} (i4) VALUES (5) RETURNING id::text AS id, t, e::text AS e`);
    expect(next).toEqual({ id: '1201', t: "it's", e: null });

    const catalog = await conn.introspect({ schemas: [def.schema!] });
    expect(catalog.engine).toBe('pglite');
    const table = catalog.tables[0]!;
    expect(table.name).toBe('Order');
    expect(table.primaryKey).toEqual({ name: 'Order_pkey', columns: ['id'] });
    expect(table.checks).toEqual([{ name: 'pos', expression: '(i4 > 0)' }]);
    expect(table.comment).toBe('orders');
    expect(table.indexes.map((i) => [i.name, i.where])).toEqual([['lower_t', '(i4 > 1)']]);
    expect(table.columns.find((c) => c.name === 'id')?.identity).toEqual({ kind: 'by_default' });
    expect(table.columns.find((c) => c.name === 'e')?.logical).toEqual({ kind: 'enum', values: ['a', "b'c"], name: 'Weird Enum' });
    expect(table.columns.find((c) => c.name === 't')?.comment).toBe('a comment');
    expect(table.columns.map((c) => c.nativeType.text)).toEqual(def.columns.map((c) => c.type.text));

    const readColumns: ReadColumn[] = table.columns.map((c) => ({ name: c.name, native: c.nativeType, logical: c.logical }));
    const snap = await conn.snapshot(2);
    try {
      expect(await snap.count(q, undefined, 1)).toBe(1201);
      const idCol = readColumns[0]!;
      expect(await snap.keyBounds(q, idCol, undefined, 0)).toEqual({ min: '1', max: '1201' });
      expect(await snap.splitPoints(q, idCol, undefined, 4, 0)).toEqual(['301', '601', '901']);
      // Ordered, paged by key.
      const ordered: Row[] = [];
      for await (const b of snap.read({ table: q, columns: readColumns, where: undefined, range: undefined, orderBy: ['id'], batchRows: 250 }, 0)) {
        expect(b.length).toBeLessThanOrEqual(250);
        ordered.push(...b);
      }
      expect(ordered).toHaveLength(1201);
      expect(ordered[0]).toEqual(full);
      expect(ordered.map((r) => Number(r[0]))).toEqual(Array.from({ length: 1201 }, (_, i) => i + 1));
      // Unordered, paged by heap blocks; with a filter and a key range.
      const unordered: Row[] = [];
      for await (const b of snap.read({ table: q, columns: [idCol], where: '"i4" % 2 = 0', range: { column: idCol, after: '100', upTo: '200' }, orderBy: [], batchRows: 7 }, 1)) {
        expect(b.length).toBeLessThanOrEqual(7);
        unordered.push(...b);
      }
      expect(unordered.map((r) => Number(r[0])).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => 102 + 2 * i));
    } finally {
      await snap.close();
    }
  });

  it('reads a table that others inherit from as its own rows only, and a partitioned one as all of its partitions', async () => {
    await conn.execute([
      'CREATE TABLE inh_city (id int PRIMARY KEY, name text)',
      'CREATE TABLE inh_capital (state text) INHERITS (inh_city)',
      "INSERT INTO inh_city SELECT g, 'c' || g FROM generate_series(1, 30) g",
      "INSERT INTO inh_capital SELECT g, 'k' || g, 'S' FROM generate_series(101, 110) g",
      'CREATE TABLE inh_parts (id int) PARTITION BY RANGE (id)',
      'CREATE TABLE inh_parts_1 PARTITION OF inh_parts FOR VALUES FROM (0) TO (100)',
      'INSERT INTO inh_parts SELECT generate_series(1, 20)',
    ]);
    const tables = (await conn.introspect({ schemas: ['public'] })).tables;
    expect(tables.find((t) => t.name === 'inh_city')?.inheritance).toEqual({ parents: [], children: ['public.inh_capital'] });
    expect(tables.find((t) => t.name === 'inh_capital')?.inheritance).toEqual({ parents: ['public.inh_city'], children: [] });
    expect(tables.find((t) => t.name === 'inh_parts')?.inheritance).toBeUndefined();

    const city = { schema: 'public', name: 'inh_city' };
    const id: ReadColumn = { name: 'id', native: types.parseNative('integer')!, logical: { kind: 'int', bits: 32, unsigned: false } };
    const snap = await conn.snapshot(1);
    try {
      expect(await snap.count(city, undefined, 0)).toBe(30);
      expect(await snap.keyBounds(city, id, undefined, 0)).toEqual({ min: '1', max: '30' });
      for (const orderBy of [['id'], []]) {
        const ids: number[] = [];
        for await (const b of snap.read({ table: city, columns: [id], where: undefined, range: undefined, orderBy, batchRows: 7 }, 0)) ids.push(...b.map((r) => Number(r[0])));
        expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      }
      expect(await snap.count({ schema: 'public', name: 'inh_capital' }, undefined, 0)).toBe(10);
      expect(await snap.count({ schema: 'public', name: 'inh_parts' }, undefined, 0)).toBe(20);
    } finally {
      await snap.close();
    }
  });

  it('refuses NUL as a data error, rolls back, and reports SQL errors as EngineError', async () => {
    await conn.execute(['CREATE TABLE nul_t (s text)']);
    const logical: LogicalType = { kind: 'text', length: undefined, fixed: false };
    const columns = [{ name: 's', native: types.fromLogical(logical), logical }];
    await expect(conn.transaction((tx) => tx.writeRows({ schema: 'public', name: 'nul_t' }, columns, once([['ok'], ['a\u0000b']])))).rejects.toMatchObject({ kind: 'data' });
    expect(await conn.query('SELECT count(*)::int AS n FROM nul_t')).toEqual([{ n: 0 }]);
    await expect(conn.query('SELECT * FROM missing_table')).rejects.toMatchObject({ name: 'EngineError', kind: 'query', dbCode: '42P01' });
    await expect(conn.transaction((tx) => tx.query(`INSERT INTO nul_t VALUES ('x'::int::text)`))).rejects.toMatchObject({ kind: 'data', dbCode: '22P02' });
  });

  it('shares one instance per data directory and keeps the data across reopenings', async () => {
    const url = `pglite:${path.join(dir, 'data')}`;
    const second = await pgliteEngine.connect(config(url));
    expect(second.serverVersion).toBe(conn.serverVersion);
    await second.execute(['CREATE TABLE shared_t (id int)', 'INSERT INTO shared_t VALUES (1)']);
    expect(await conn.query('SELECT id FROM shared_t')).toEqual([{ id: 1 }]);
    await second.close();
    expect(await conn.query('SELECT id FROM shared_t')).toEqual([{ id: 1 }]);
    // The directory stays claimed for this process while a connection is open (pglite-data-dir.ts).
    expect(readFileSync(path.join(dir, 'data', PGLITE_LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));

    const memory = await pgliteEngine.connect(config('pglite:memory:'));
    try {
      expect((await memory.introspect({ schemas: undefined })).tables).toEqual([]);
    } finally {
      await memory.close();
    }
  }, 60_000);

  it('reads a target directory not made yet as an empty database without creating it, when only reading (plan)', async () => {
    const missing = path.join(dir, 'not-yet');
    const reader = await pgliteEngine.connect({ ...config(`pglite:${missing}`), role: 'target', readOnly: true });
    try {
      const catalog = await reader.introspect({ schemas: undefined });
      expect(catalog.tables).toEqual([]);
      expect(catalog.schemas).toContain('public');
      expect(reader.serverVersion).toBe(conn.serverVersion);
    } finally {
      await reader.close();
    }
    // `plan` initialised a whole data directory here before.
    expect(existsSync(missing)).toBe(false);
  }, 60_000);
});
