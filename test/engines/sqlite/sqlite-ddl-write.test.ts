import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { EngineError, type TargetColumnDef, type TargetTableDef, type WriteColumn } from '../../../src/engines/contract.js';
import { sqliteDialect } from '../../../src/engines/sqlite/sqlite-ddl.js';
import { sqliteFromLogical, sqliteToLogical } from '../../../src/engines/sqlite/sqlite-types.js';
import { ControlSchema } from '../../../src/exec/control-schema.js';
import { normaliserFor } from '../../../src/exec/checksum.js';
import type { ExprIR, LiteralValue } from '../../../src/ir/ir.js';
import type { LogicalType, Row, Value } from '../../../src/types/logical.js';
import { batchesOf, connect, readAll, tempDir } from './helpers.js';

const span = { file: 't', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } as never;

function column(name: string, logical: LogicalType, extra: Partial<TargetColumnDef> = {}): TargetColumnDef {
  return { name, type: sqliteFromLogical(logical), nullable: true, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, comment: undefined, ...extra };
}

/** Every logical type with values at its edges, in canonical form. */
const TYPES: readonly { readonly name: string; readonly logical: LogicalType; readonly values: readonly Value[] }[] = [
  { name: 'b', logical: { kind: 'bool' }, values: [true, false] },
  { name: 'i8', logical: { kind: 'int', bits: 8, unsigned: false }, values: ['-128', '127'] },
  { name: 'u32', logical: { kind: 'int', bits: 32, unsigned: true }, values: ['0', '4294967295'] },
  { name: 'i64', logical: { kind: 'int', bits: 64, unsigned: false }, values: ['-9223372036854775808', '9223372036854775807'] },
  { name: 'u64', logical: { kind: 'int', bits: 64, unsigned: true }, values: ['18446744073709551615', '0'] },
  { name: 'dec', logical: { kind: 'decimal', precision: 10, scale: 2 }, values: ['-99999999.99', '0.10'] },
  { name: 'dec38', logical: { kind: 'decimal', precision: 38, scale: 10 }, values: ['1234567890123456789012345678.0123456789', '-0.0000000001'] },
  { name: 'decu', logical: { kind: 'decimal', precision: undefined, scale: undefined }, values: ['123456789012345678901234567890.5', 'NaN'] },
  { name: 'f32', logical: { kind: 'float', bits: 32 }, values: ['3.4028234663852886e+38', '1.5'] },
  { name: 'f64', logical: { kind: 'float', bits: 64 }, values: ['1.7976931348623157e+308', '5e-324'] },
  // SQLite turns a NaN REAL into NULL: it must be written so that it comes back NaN.
  { name: 'fsp', logical: { kind: 'float', bits: 64 }, values: ['NaN', '-Infinity'] },
  { name: 'vc', logical: { kind: 'text', length: 40, fixed: false }, values: ['😀 4-byte ü', "it's \"quoted\""] },
  { name: 'ch', logical: { kind: 'text', length: 3, fixed: true }, values: ['abc', ''] },
  { name: 'tx', logical: { kind: 'text', length: undefined, fixed: false }, values: ['a\u0000b', '12'] },
  { name: 'bin', logical: { kind: 'binary', length: undefined, fixed: false }, values: [Buffer.from([0, 255, 0]), Buffer.alloc(0)] },
  { name: 'vb', logical: { kind: 'binary', length: 16, fixed: false }, values: [Buffer.from('00ff', 'hex'), Buffer.from('x')] },
  { name: 'd', logical: { kind: 'date' }, values: ['0001-01-01', '9999-12-31'] },
  { name: 't', logical: { kind: 'time', precision: 6, withTimeZone: false }, values: ['23:59:59.999999', '00:00:00'] },
  { name: 'iv', logical: { kind: 'interval', precision: 6 }, values: ['-838:59:59', '1 year 2 mons 3 days 04:05:06.5'] },
  { name: 'ts', logical: { kind: 'timestamp', precision: 6 }, values: ['2020-02-29 23:59:59.999999', '0001-01-01 00:00:00'] },
  { name: 'tz', logical: { kind: 'timestamptz', precision: 3 }, values: ['2020-02-29 10:00:00.123+00:00', '1970-01-01 00:00:00+00:00'] },
  { name: 'y', logical: { kind: 'year' }, values: ['1901', '2155'] },
  // A YEAR column has NUMERIC affinity, which stores the zero year '0000' as 0.
  { name: 'y0', logical: { kind: 'year' }, values: ['0000', '1901'] },
  { name: 'u', logical: { kind: 'uuid' }, values: ['123e4567-e89b-12d3-a456-426614174000', '00000000-0000-0000-0000-000000000000'] },
  { name: 'j', logical: { kind: 'json', binary: false }, values: ['{"a":[1,2,{"b":null}]}', '"0012"'] },
  // Documents that are numbers: NUMERIC affinity would store them as INTEGER/REAL, digits lost.
  { name: 'jn', logical: { kind: 'json', binary: false }, values: ['1.000000000000000000001', ' 42 '] },
  { name: 'jbn', logical: { kind: 'json', binary: true }, values: ['12345678901234567890123', '1e400'] },
  { name: 'bits', logical: { kind: 'bit', length: 8, varying: false }, values: ['00001010', '11111111'] },
];

describe('SQLite as a target: DDL and writes', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('creates a table for every logical type and round-trips edge values exactly', async () => {
    const file = tmp.file('target.sqlite');
    const conn = await connect(file, 'target');
    const def: TargetTableDef = {
      schema: 'ignored',
      name: 'all_types',
      columns: [column('id', { kind: 'int', bits: 64, unsigned: false }, { nullable: false, identity: 'by_default' }), ...TYPES.map((t) => column(t.name, t.logical))],
      primaryKey: { name: 'all_types_pkey', columns: ['id'] },
      uniqueKeys: [],
      indexes: [],
      foreignKeys: [],
      checks: [],
      comment: undefined,
    };
    const ddl = sqliteDialect.createTable(def, { withPrimaryKey: false });
    expect(ddl[0]).toContain('"id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL');
    await conn.execute(ddl);
    const catalog = await conn.introspect({ schemas: undefined });
    const table = catalog.tables.find((t) => t.name === 'all_types')!;
    expect(table.primaryKey?.columns).toEqual(['id']);
    expect(table.columns[0]!.identity).toEqual({ kind: 'auto_increment' });
    for (const t of TYPES) expect(table.columns.find((c) => c.name === t.name)!.logical, t.name).toEqual(sqliteToLogical(sqliteFromLogical(t.logical)));

    const columns: WriteColumn[] = table.columns.map((c) => ({ name: c.name, native: c.nativeType, logical: c.logical }));
    const rows: Row[] = [0, 1].map((i) => [String(i + 1), ...TYPES.map((t) => t.values[i]!)]);
    rows.push([String(3), ...TYPES.map(() => null)]);
    const written = await conn.transaction((tx) => tx.writeRows({ schema: undefined, name: 'all_types' }, columns, batchesOf(rows, 2)));
    expect(written).toBe(3);

    const snapshot = await conn.snapshot(1);
    const back = await readAll(snapshot, 'all_types', columns, { orderBy: ['id'] });
    await snapshot.close();
    // What validation compares: values equal after the checksum's per-type normalisation.
    for (const [r, row] of rows.entries()) {
      for (const [c, col] of columns.entries()) {
        const norm = normaliserFor(col.logical);
        expect(norm(back[r]![c]!), `${col.name} row ${r}`).toEqual(norm(row[c]!));
      }
    }
    // Exact storage where NUMERIC affinity would round, and float32 widened to float64 exactly.
    expect(back[0]![TYPES.findIndex((t) => t.name === 'dec38') + 1]).toBe('1234567890123456789012345678.0123456789');
    expect(back[0]![TYPES.findIndex((t) => t.name === 'u64') + 1]).toBe('18446744073709551615');
    expect(back[0]![TYPES.findIndex((t) => t.name === 'bits') + 1]).toBe('00001010');
    // JSON documents keep their text (the checksum's JSON comparison would not see lost digits).
    for (const name of ['jn', 'jbn']) {
      const at = TYPES.findIndex((t) => t.name === name);
      expect([back[0]![at + 1], back[1]![at + 1]], name).toEqual(TYPES[at]!.values);
    }
    await conn.close();
  });

  it('declares keys, foreign keys, checks, defaults and generated columns in CREATE TABLE; indexes after', async () => {
    const file = tmp.file('keys.sqlite');
    const conn = await connect(file, 'target');
    const nasty = 'we"ird tab;le ü';
    const parent: TargetTableDef = {
      schema: undefined,
      name: 'parent',
      columns: [column('id', { kind: 'int', bits: 32, unsigned: false }, { nullable: false }), column('code', { kind: 'text', length: 10, fixed: false })],
      primaryKey: { name: 'parent_pk', columns: ['id'] },
      uniqueKeys: [],
      indexes: [],
      foreignKeys: [],
      checks: [],
      comment: undefined,
    };
    const child: TargetTableDef = {
      schema: undefined,
      name: nasty,
      columns: [
        column('a', { kind: 'text', length: undefined, fixed: false }, { nullable: false }),
        column('"; DROP TABLE parent; --', { kind: 'int', bits: 32, unsigned: false }, { nullable: false, default: { kind: 'literal', text: '7' } }),
        column('parent_id', { kind: 'int', bits: 32, unsigned: false }),
        column('label', { kind: 'text', length: 20, fixed: false }, { default: { kind: 'literal', text: "it's\u0000" } }),
        column('at', { kind: 'timestamp', precision: 6 }, { default: { kind: 'current_timestamp', precision: undefined } }),
        column('twice', { kind: 'int', bits: 64, unsigned: false }, { generated: { expression: '"parent_id" * 2', stored: false } }),
      ],
      primaryKey: { name: 'pk child', columns: ['a', '"; DROP TABLE parent; --'] },
      uniqueKeys: [{ name: 'uq label', columns: ['label'] }],
      indexes: [{ name: 'ix partial', unique: false, parts: [{ column: 'label', descending: true }, { expression: 'lower("a")', descending: false }], where: '"parent_id" > 0', method: 'btree' }],
      foreignKeys: [{ name: 'fk parent', columns: ['parent_id'], referencedSchema: '', referencedTable: 'parent', referencedColumns: ['id'], onDelete: 'cascade', onUpdate: 'restrict' }],
      checks: [{ name: 'positive', expression: '"parent_id" >= 0' }],
      comment: undefined,
    };
    const q = { schema: undefined, name: nasty };
    expect(sqliteDialect.addPrimaryKey(q, child.primaryKey!)).toEqual([]);
    expect(sqliteDialect.addForeignKey(q, child.foreignKeys[0]!, undefined)).toEqual([]);
    expect(sqliteDialect.resetIdentity(q, 'a')).toEqual([]);
    expect(sqliteDialect.qualify({ schema: 'main', name: nasty })).toBe('"we""ird tab;le ü"');
    await conn.execute([...sqliteDialect.createTable(parent, { withPrimaryKey: false }), ...sqliteDialect.createTable(child, { withPrimaryKey: false })]);
    await conn.execute([...sqliteDialect.addUniqueKey(q, child.uniqueKeys[0]!), ...sqliteDialect.createIndex(q, child.indexes[0]!)]);
    await conn.query(`INSERT INTO ${sqliteDialect.qualify(q)} (a, parent_id) VALUES (?, ?)`, ['x', 5]);
    const rows = await conn.query(`SELECT * FROM ${sqliteDialect.qualify(q)}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ a: 'x', '"; DROP TABLE parent; --': 7, parent_id: 5, label: "it's\u0000", twice: 10 });
    expect(String(rows[0]!.at)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    const catalog = await conn.introspect({ schemas: undefined });
    const t = catalog.tables.find((x) => x.name === nasty)!;
    expect(t.primaryKey).toEqual({ name: 'pk child', columns: ['a', '"; DROP TABLE parent; --'] });
    expect(t.foreignKeys).toEqual([{ name: 'fk parent', columns: ['parent_id'], referencedSchema: 'main', referencedTable: 'parent', referencedColumns: ['id'], onDelete: 'cascade', onUpdate: 'restrict' }]);
    expect(t.checks).toEqual([{ name: 'positive', expression: '"parent_id" >= 0' }]);
    expect(t.indexes.map((i) => [i.name, i.where, i.parts])).toEqual([['ix partial', '"parent_id" > 0', [{ column: 'label', descending: true }, { expression: 'lower("a")', descending: false }]]]);
    expect(t.uniqueKeys).toEqual([{ name: 'uq label', columns: ['label'] }]); // CREATE UNIQUE INDEX on columns reads back as a unique key
    expect(catalog.tables.map((x) => x.name).sort()).toEqual(['parent', nasty].sort());

    // CHECK enforced → EngineError of kind data.
    const err = await conn.query(`INSERT INTO ${sqliteDialect.qualify(q)} (a, parent_id) VALUES ('y', -1)`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).kind).toBe('data');
    expect((err as EngineError).dbCode).toBe('SQLITE_CONSTRAINT_CHECK');
    await conn.close();
  });

  it('compiles filters to SQLite SQL that selects the right rows', async () => {
    const file = tmp.file('filters.sqlite');
    const conn = await connect(file, 'target');
    await conn.execute([`CREATE TABLE f (id INTEGER PRIMARY KEY, name TEXT, at DATETIME, n INTEGER)`]);
    await conn.execute([`INSERT INTO f VALUES (1, 'Alpha', '2009-01-01 00:00:00', 5), (2, 'alpha%', '2010-06-01 12:00:00', NULL), (3, 'beta_x', '2011-01-01 00:00:00', 7)`]);
    const col = (name: string): ExprIR => ({ kind: 'column', name, span });
    const lit = (value: LiteralValue): ExprIR => ({ kind: 'literal', value, span });
    const ids = async (expr: ExprIR) => (await conn.query(`SELECT id FROM f WHERE ${sqliteDialect.compileFilter(expr)} ORDER BY id`)).map((r) => r.id);
    expect(await ids({ kind: 'compare', op: '>=', left: col('at'), right: lit({ kind: 'timestamp', value: '2010-01-01T00:00:00' }), span })).toEqual([2, 3]);
    expect(await ids({ kind: 'like', negated: false, operand: col('name'), pattern: lit({ kind: 'string', value: 'alpha%' }), span })).toEqual([2]); // case-sensitive
    expect(await ids({ kind: 'like', negated: false, operand: col('name'), pattern: lit({ kind: 'string', value: 'alpha\\%' }), span })).toEqual([2]);
    expect(await ids({ kind: 'like', negated: false, operand: col('name'), pattern: lit({ kind: 'string', value: 'beta\\_%' }), span })).toEqual([3]);
    expect(await ids({ kind: 'is_null', negated: false, operand: col('n'), span })).toEqual([2]);
    expect(await ids({ kind: 'in', negated: true, operand: col('id'), list: [lit({ kind: 'number', text: '1' })], span })).toEqual([2, 3]);
    expect(
      await ids({ kind: 'logical', op: 'or', left: { kind: 'compare', op: '!=', left: col('n'), right: lit({ kind: 'number', text: '5' }), span }, right: { kind: 'between', negated: false, operand: col('at'), low: lit({ kind: 'date', value: '2009-01-01' }), high: lit({ kind: 'date', value: '2009-12-31' }), span }, span }),
    ).toEqual([1, 3]);
    expect(sqliteDialect.renderLiteral({ kind: 'string', value: "a'b\u0000c" })).toBe("('a''b' || char(0) || 'c')");
    expect(sqliteDialect.renderLiteral({ kind: 'number', text: '1; DROP TABLE f' })).toBe("'1; DROP TABLE f'");
    expect(sqliteDialect.renderLiteral({ kind: 'bool', value: true })).toBe('1');
    await conn.close();
  });

  it('keeps the control tables in main and runs the executor\'s control statements', async () => {
    const file = tmp.file('control.sqlite');
    const conn = await connect(file, 'target');
    const control = new ControlSchema(sqliteDialect);
    expect(await control.exists(conn)).toBe(false);
    await control.ensure(conn);
    await control.ensure(conn); // idempotent
    expect(await control.exists(conn)).toBe(true);
    await control.startRun(conn, { id: 'r1', planName: 'p', fingerprint: 'f', toolVersion: '0', at: 'now' });
    await control.planChunks(conn, 'step', [{ lower: undefined, upper: '10' }, { lower: '10', upper: undefined }]);
    await conn.transaction(async (tx) => {
      await tx.query('SAVEPOINT sp');
      await control.finishChunk(tx, { stepFingerprint: 'step', chunkNo: 0, rows: 10, rejected: 0, checksum: 'c', runId: 'r1', at: 'now' });
      await tx.query('RELEASE SAVEPOINT sp');
    });
    const chunks = await control.chunks(conn, 'step');
    expect(chunks.map((c) => [c.chunkNo, c.lower, c.upper, c.done, c.rowsWritten])).toEqual([
      [0, undefined, '10', true, 10],
      [1, '10', undefined, false, 0],
    ]);
    expect((await conn.introspect({ schemas: undefined })).tables).toEqual([]); // control tables are not the user's
    const direct = new Database(file, { readonly: true });
    expect(direct.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all()).toEqual(['_dmsplan_cdc_streams', '_dmsplan_chunks', '_dmsplan_key_map', '_dmsplan_rejects', '_dmsplan_runs', '_dmsplan_steps', '_dmsplan_validations']);
    direct.close();
    await conn.close();
  });
});
