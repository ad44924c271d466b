/**
 * DEFERRABLE on the target table definition: kept where the target can declare it, dropped with
 * DMS3431 where it cannot — MySQL, SQLite keys, and a PostgreSQL primary key that change capture
 * upserts by (ON CONFLICT takes no deferrable key).
 */
import { describe, expect, it } from 'vitest';
import { buildTargetTable, mapForeignKey } from '../../src/check/target-table.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { mysqlEngine } from '../../src/engines/mysql/index.js';
import { postgresEngine } from '../../src/engines/postgres/index.js';
import { sqliteEngine } from '../../src/engines/sqlite/index.js';
import type { EngineModule } from '../../src/engines/contract.js';
import type { ForeignKeyCatalog, TableCatalog } from '../../src/schema/catalog.js';

const TABLE = {
  schema: 'public',
  name: 'tag',
  columns: [],
  primaryKey: { name: 'tag_pkey', columns: ['id'], deferrable: 'initially_immediate' },
  uniqueKeys: [{ name: 'tag_label_key', columns: ['label'], deferrable: 'initially_deferred' }],
  foreignKeys: [],
  indexes: [],
  checks: [],
} as unknown as TableCatalog;
const RENAMED = new Map([
  ['id', 'id'],
  ['label', 'label'],
]);

function build(target: EngineModule, followsChanges: boolean) {
  const diagnostics: Diagnostic[] = [];
  const def = buildTargetTable({ table: TABLE, columns: [], renamed: RENAMED, source: postgresEngine, target, schema: 'public', name: 'tag', naming: (n) => n, span: undefined, followsChanges }, diagnostics);
  return { def, warnings: diagnostics.filter((d) => d.code === 'DMS3431').map((d) => d.message) };
}

describe('deferrable keys on the target', () => {
  it('PostgreSQL keeps both, and warns of nothing', () => {
    const { def, warnings } = build(postgresEngine, false);
    expect(def.primaryKey?.deferrable).toBe('initially_immediate');
    expect(def.uniqueKeys[0]?.deferrable).toBe('initially_deferred');
    expect(warnings).toEqual([]);
  });

  it('PostgreSQL with change capture keeps the unique key deferrable but not the primary key', () => {
    const { def, warnings } = build(postgresEngine, true);
    expect(def.primaryKey?.deferrable).toBeUndefined();
    expect(def.uniqueKeys[0]?.deferrable).toBe('initially_deferred');
    expect(warnings).toEqual([expect.stringMatching(/key tag_pkey is DEFERRABLE on the source; postgres checks it at once: change capture upserts by this key/)]);
  });

  it('MySQL and SQLite keep neither key deferrable, each with a warning', () => {
    for (const target of [mysqlEngine, sqliteEngine]) {
      const { def, warnings } = build(target, false);
      expect(def.primaryKey?.deferrable).toBeUndefined();
      expect(def.uniqueKeys[0]?.deferrable).toBeUndefined();
      expect(warnings).toHaveLength(2);
    }
  });
});

describe('deferrable foreign keys on the target', () => {
  const fk: ForeignKeyCatalog = { name: 'book_author_fk', columns: ['author_id'], referencedSchema: 'public', referencedTable: 'author', referencedColumns: ['id'], onDelete: 'no_action', onUpdate: 'no_action', deferrable: 'initially_deferred' };
  const map = (target: EngineModule) => {
    const diagnostics: Diagnostic[] = [];
    const mapped = mapForeignKey(fk, new Map([['author_id', 'author_id']]), { schema: 'public', name: 'author', renamed: new Map([['id', 'id']]) }, (n) => n, { source: postgresEngine, target, table: 'book' }, { what: 'public.book', span: undefined, diagnostics });
    return { mapped, warnings: diagnostics.filter((d) => d.code === 'DMS3431') };
  };

  it('is kept on PostgreSQL and SQLite, dropped with a warning on MySQL', () => {
    expect(map(postgresEngine)).toMatchObject({ mapped: { deferrable: 'initially_deferred' }, warnings: [] });
    expect(map(sqliteEngine)).toMatchObject({ mapped: { deferrable: 'initially_deferred' }, warnings: [] });
    const mysql = map(mysqlEngine);
    expect(mysql.mapped?.deferrable).toBeUndefined();
    expect(mysql.warnings).toHaveLength(1);
  });

  it('keeps its name where it starts with its table\'s, and prefixes it where a per-table name meets a per-schema scope (PostgreSQL → MySQL)', () => {
    expect(map(mysqlEngine).mapped?.name).toBe('book_author_fk');
    const diagnostics: Diagnostic[] = [];
    const named = (target: EngineModule) => mapForeignKey({ ...fk, name: 'fk_author' }, new Map([['author_id', 'author_id']]), { schema: 'public', name: 'author', renamed: new Map([['id', 'id']]) }, (n) => n, { source: postgresEngine, target, table: 'book' }, { what: 'public.book', span: undefined, diagnostics })?.name;
    expect(named(mysqlEngine)).toBe('book_fk_author');
    expect(named(postgresEngine)).toBe('fk_author');
  });
});
