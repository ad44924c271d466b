import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineConnection } from '../../../src/engines/contract.js';
import type { Catalog, TableCatalog } from '../../../src/schema/catalog.js';
import { describeLogical } from '../../../src/types/logical.js';
import { parseDefault } from '../../../src/engines/sqlite/sqlite-introspect.js';
import { CHINOOK_SQLITE } from '../../support/servers.js';
import { connect, createFile, tempDir } from './helpers.js';

const table = (catalog: Catalog, name: string): TableCatalog => {
  const t = catalog.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
};

describe('SQLite introspection of Chinook', () => {
  let conn: EngineConnection;
  let catalog: Catalog;
  beforeAll(async () => {
    conn = await connect(CHINOOK_SQLITE, 'source');
    catalog = await conn.introspect({ schemas: undefined });
  });
  afterAll(() => conn.close());

  it('reads 11 tables in name order with 11 primary keys and 11 foreign keys', () => {
    expect(catalog.engine).toBe('sqlite');
    expect(catalog.database).toBe(CHINOOK_SQLITE);
    expect(catalog.schemas).toEqual(['main']);
    expect(catalog.serverVersion).toMatch(/^SQLite 3\./);
    expect(catalog.tables.map((t) => t.name)).toEqual(['Album', 'Artist', 'Customer', 'Employee', 'Genre', 'Invoice', 'InvoiceLine', 'MediaType', 'Playlist', 'PlaylistTrack', 'Track']);
    expect(catalog.tables.every((t) => t.schema === 'main' && t.kind === 'table')).toBe(true);
    expect(catalog.tables.filter((t) => t.primaryKey).length).toBe(11);
    expect(catalog.tables.flatMap((t) => t.foreignKeys).length).toBe(11);
  });

  it('keeps declared types and maps them to logical types', () => {
    const invoice = table(catalog, 'Invoice');
    const col = (n: string) => invoice.columns.find((c) => c.name === n)!;
    expect(col('InvoiceId').nativeType.text).toBe('INTEGER');
    expect(describeLogical(col('InvoiceId').logical)).toBe('int64');
    expect(col('BillingCity').nativeType).toMatchObject({ name: 'nvarchar', params: [40] });
    expect(describeLogical(col('BillingCity').logical)).toBe('varchar(40)');
    expect(describeLogical(col('Total').logical)).toBe('decimal(10,2)');
    expect(col('Total').nativeType.text).toBe('NUMERIC(10,2)');
    expect(describeLogical(col('InvoiceDate').logical)).toBe('timestamp(6)');
    expect(col('InvoiceDate').nullable).toBe(false);
    expect(col('BillingCity').nullable).toBe(true);
    expect(invoice.columns.map((c) => c.ordinal)).toEqual(invoice.columns.map((_, i) => i + 1));
  });

  it('reads primary keys with their constraint names, and the rowid alias as identity', () => {
    expect(table(catalog, 'Invoice').primaryKey).toEqual({ name: 'PK_Invoice', columns: ['InvoiceId'] });
    expect(table(catalog, 'PlaylistTrack').primaryKey).toEqual({ name: 'PK_PlaylistTrack', columns: ['PlaylistId', 'TrackId'] });
    expect(table(catalog, 'Invoice').columns[0]!.identity).toEqual({ kind: 'by_default' });
    expect(table(catalog, 'PlaylistTrack').columns[0]!.identity).toBeUndefined();
  });

  it('reads foreign keys with actions, and indexes', () => {
    const track = table(catalog, 'Track');
    expect(track.foreignKeys.map((f) => [f.columns, f.referencedTable, f.referencedColumns, f.onDelete, f.onUpdate])).toEqual([
      [['AlbumId'], 'Album', ['AlbumId'], 'no_action', 'no_action'],
      [['MediaTypeId'], 'MediaType', ['MediaTypeId'], 'no_action', 'no_action'],
      [['GenreId'], 'Genre', ['GenreId'], 'no_action', 'no_action'],
    ]);
    expect(track.indexes.map((i) => i.name)).toEqual(['IFK_TrackAlbumId', 'IFK_TrackGenreId', 'IFK_TrackMediaTypeId']);
    expect(track.indexes[0]).toEqual({ name: 'IFK_TrackAlbumId', unique: false, parts: [{ column: 'AlbumId', descending: false }], where: undefined, method: 'btree' });
    expect(catalog.tables.flatMap((t) => t.indexes).length).toBe(11);
    // The composite primary key's automatic index is the key itself, not a unique key.
    expect(table(catalog, 'PlaylistTrack').uniqueKeys).toEqual([]);
  });

  it('estimates rows by counting (no sqlite_stat1 in Chinook)', () => {
    expect(table(catalog, 'Track').rowEstimate).toBe(3503);
    expect(table(catalog, 'InvoiceLine').rowEstimate).toBe(2240);
  });
});

describe('SQLite introspection of every construct', () => {
  const tmp = tempDir();
  let catalog: Catalog;
  beforeAll(async () => {
    const file = tmp.file('constructs.sqlite');
    createFile(
      file,
      `
      CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL CONSTRAINT uq_code UNIQUE, a INT, b INT, UNIQUE (a, b));
      CREATE TABLE "odd ""name""" (
        k1 TEXT NOT NULL, k2 INT NOT NULL,
        qty INT DEFAULT 0 CHECK (qty >= 0),
        price NUMERIC(10,2) DEFAULT -1.5,
        label VARCHAR(20) DEFAULT 'it''s' COLLATE NOCASE,
        created DATETIME DEFAULT CURRENT_TIMESTAMP,
        day DATE DEFAULT (date('now')),
        expr TEXT DEFAULT (lower('X') || 'y'),
        total INT GENERATED ALWAYS AS (qty * 2) VIRTUAL,
        stored_total INT AS (qty * 3) STORED,
        parent_id INTEGER CONSTRAINT fk_named REFERENCES parent (id) ON DELETE CASCADE ON UPDATE SET NULL,
        parent_code TEXT,
        untyped,
        CONSTRAINT pk_odd PRIMARY KEY (k1, k2),
        CONSTRAINT price_positive CHECK (price > 0),
        FOREIGN KEY (parent_code) REFERENCES parent (code) ON DELETE RESTRICT
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX ix_partial ON "odd ""name""" (label DESC) WHERE qty > 0;
      CREATE INDEX ix_expr ON "odd ""name""" (lower(label), k2);
      CREATE VIEW v_parent AS SELECT id, code FROM parent;
      CREATE TRIGGER trg AFTER INSERT ON parent BEGIN SELECT 1; END;
      CREATE TABLE _dmsplan_runs (run_id TEXT);
      CREATE TABLE deferred (
        id INTEGER PRIMARY KEY,
        a INT REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED,
        b INT NOT NULL REFERENCES parent (id) NOT DEFERRABLE,
        c INT REFERENCES parent (id) DEFERRABLE,
        x INT, y INT,
        FOREIGN KEY (x, y) REFERENCES parent (a, b) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        FOREIGN KEY (y) REFERENCES parent (id) DEFERRABLE INITIALLY IMMEDIATE
      ) STRICT;
      CREATE UNIQUE INDEX ux_deferred_b ON deferred (b COLLATE NOCASE);
      INSERT INTO parent (code) VALUES ('a'), ('b'), ('c');
      DELETE FROM parent WHERE code = 'c';
      `,
    );
    const conn = await connect(file, 'source');
    catalog = await conn.introspect({ schemas: undefined });
    await conn.close();
  });
  afterAll(() => tmp.remove());

  it('lists tables and views, not control tables, and triggers as others', () => {
    expect(catalog.tables.map((t) => [t.name, t.kind])).toEqual([
      ['deferred', 'table'],
      ['odd "name"', 'table'],
      ['parent', 'table'],
      ['v_parent', 'view'],
    ]);
    expect(catalog.others).toEqual([{ schema: 'main', name: 'trg', kind: 'trigger' }]);
  });

  it('reads AUTOINCREMENT with its counter, unique constraints (named and not) and row estimates', () => {
    const parent = table(catalog, 'parent');
    // sqlite_sequence stands at 3 (the deleted row's number): 4 is handed out next, not 3.
    expect(parent.columns[0]!.identity).toEqual({ kind: 'auto_increment', next: '4' });
    expect(parent.uniqueKeys).toEqual([
      { name: 'parent_a_b_key', columns: ['a', 'b'] },
      { name: 'uq_code', columns: ['code'] },
    ]);
    expect(parent.rowEstimate).toBe(2);
    expect(table(catalog, 'v_parent').columns.map((c) => c.name)).toEqual(['id', 'code']);
  });

  it('reads defaults, generated columns, collations, checks, keys of a WITHOUT ROWID table', () => {
    const odd = table(catalog, 'odd "name"');
    const col = (n: string) => odd.columns.find((c) => c.name === n)!;
    expect(odd.primaryKey).toEqual({ name: 'pk_odd', columns: ['k1', 'k2'] });
    expect(col('k1').nullable).toBe(false);
    expect(col('qty').default).toEqual({ kind: 'literal', text: '0' });
    expect(col('price').default).toEqual({ kind: 'literal', text: '-1.5' });
    expect(col('label').default).toEqual({ kind: 'literal', text: "it's" });
    expect(col('label').collation).toBe('NOCASE');
    expect(col('created').default).toEqual({ kind: 'current_timestamp', precision: undefined });
    expect(col('day').default).toEqual({ kind: 'current_date' });
    expect(col('expr').default).toEqual({ kind: 'expression', sql: "lower('X') || 'y'" });
    expect(col('total').generated).toEqual({ expression: 'qty * 2', stored: false });
    expect(col('stored_total').generated).toEqual({ expression: 'qty * 3', stored: true });
    expect(describeLogical(col('untyped').logical)).toBe('other()');
    expect(odd.checks).toEqual([
      { name: 'odd "name"_check', expression: 'qty >= 0' },
      { name: 'price_positive', expression: 'price > 0' },
    ]);
    expect(odd.foreignKeys).toEqual([
      { name: 'fk_named', columns: ['parent_id'], referencedSchema: 'main', referencedTable: 'parent', referencedColumns: ['id'], onDelete: 'cascade', onUpdate: 'set_null' },
      { name: 'fk_odd "name"_parent_code', columns: ['parent_code'], referencedSchema: 'main', referencedTable: 'parent', referencedColumns: ['code'], onDelete: 'restrict', onUpdate: 'no_action' },
    ]);
    expect(odd.indexes).toEqual([
      { name: 'ix_expr', unique: false, parts: [{ expression: 'lower(label)', descending: false }, { column: 'k2', descending: false }], where: undefined, method: 'btree' },
      { name: 'ix_partial', unique: true, parts: [{ column: 'label', descending: true }], where: 'qty > 0', method: 'btree' },
    ]);
  });

  it('reads DEFERRABLE foreign keys (only the CREATE text says so) and the table options STRICT and WITHOUT ROWID', () => {
    const deferred = table(catalog, 'deferred');
    expect(deferred.foreignKeys.map((fk) => [fk.columns.join(','), fk.deferrable])).toEqual([
      ['a', 'initially_deferred'],
      ['b', undefined],
      ['c', 'initially_immediate'],
      ['x,y', 'initially_deferred'],
      ['y', 'initially_immediate'],
    ]);
    expect(deferred.tableOptions).toEqual(['STRICT']);
    // Not a unique key on b: it compares b without case.
    expect(deferred.uniqueKeys).toEqual([]);
    expect(deferred.indexes).toEqual([{ name: 'ux_deferred_b', unique: true, parts: [{ column: 'b', descending: false, collation: 'NOCASE' }], where: undefined, method: 'btree' }]);
    expect(table(catalog, 'odd "name"').tableOptions).toEqual(['WITHOUT ROWID']);
    expect(table(catalog, 'parent').tableOptions).toBeUndefined();
  });

  it('parses default texts', () => {
    expect(parseDefault(null)).toBeUndefined();
    expect(parseDefault('NULL')).toBeUndefined();
    expect(parseDefault('TRUE')).toEqual({ kind: 'literal', text: '1' });
    expect(parseDefault("X'00FF'")).toEqual({ kind: 'expression', sql: "X'00FF'" });
    expect(parseDefault('(+5)')).toEqual({ kind: 'literal', text: '5' });
    expect(parseDefault("(datetime('now'))")).toEqual({ kind: 'current_timestamp', precision: undefined });
  });
});
