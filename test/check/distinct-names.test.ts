import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/check/check-plan.js';
import type { TableMapping } from '../../src/check/checked-plan.js';
import { distinctNames } from '../../src/check/distinct-names.js';
import type { EngineModule, TargetTableDef } from '../../src/engines/contract.js';
import { mysqlEngine } from '../../src/engines/mysql/index.js';
import { postgresEngine } from '../../src/engines/postgres/index.js';
import { compilePlan } from '../../src/ir/load.js';
import type { Catalog, ColumnCatalog, TableCatalog } from '../../src/schema/catalog.js';
import { builtinTypeRules } from '../../src/types/prelude.js';

function def(name: string, objects: { pk?: string; unique?: string[]; indexes?: string[]; fks?: string[] }): TargetTableDef {
  return {
    schema: 'app',
    name,
    columns: [],
    primaryKey: objects.pk === undefined ? undefined : { name: objects.pk, columns: ['id'] },
    uniqueKeys: (objects.unique ?? []).map((n) => ({ name: n, columns: ['a'] })),
    indexes: (objects.indexes ?? []).map((n) => ({ name: n, unique: false, parts: [{ column: 'a', descending: false }], where: undefined, method: 'btree' })),
    foreignKeys: (objects.fks ?? []).map((n) => ({ name: n, columns: ['a'], referencedSchema: 'app', referencedTable: 't', referencedColumns: ['id'], onDelete: 'no_action', onUpdate: 'no_action' })),
    checks: [],
    comment: undefined,
  };
}

function mapping(targetDef: TargetTableDef, endpoint = 'dst'): TableMapping {
  return { id: targetDef.name, target: { endpoint, schema: targetDef.schema, table: targetDef.name }, targetDef } as unknown as TableMapping;
}

const engines: Record<string, EngineModule> = { dst: postgresEngine, my: mysqlEngine };
const engineOf = (endpoint: string): EngineModule | undefined => engines[endpoint];

const indexNamesOf = (d: TargetTableDef): string[] => [...(d.primaryKey ? [d.primaryKey.name] : []), ...d.uniqueKeys.map((k) => k.name), ...d.indexes.map((i) => i.name)];

describe('distinct names in a target schema', () => {
  it('prefixes the names that meet with their table names, and leaves the others alone', () => {
    const out = distinctNames([mapping(def('a', { pk: 'a_pkey', unique: ['email'], indexes: ['idx_x', 'only_here'] })), mapping(def('b', { pk: 'b_pkey', unique: ['email'], indexes: ['idx_x'] }))], engineOf);
    expect(out.map((t) => indexNamesOf(t.targetDef))).toEqual([
      ['a_pkey', 'a_email', 'a_idx_x', 'only_here'],
      ['b_pkey', 'b_email', 'b_idx_x'],
    ]);
  });

  it('renames an index named like a table of the schema (they share PostgreSQL\'s namespace)', () => {
    const out = distinctNames([mapping(def('users', { unique: ['email'] })), mapping(def('email', { pk: 'email_pkey' }))], engineOf);
    expect(indexNamesOf(out[0]!.targetDef)).toEqual(['users_email']);
    expect(indexNamesOf(out[1]!.targetDef)).toEqual(['email_pkey']);
  });

  it('makes foreign key names distinct on MySQL, where they are per schema, and leaves them on PostgreSQL', () => {
    const tables = (endpoint: string) => [mapping(def('a', { fks: ['fk_p'] }), endpoint), mapping(def('b', { fks: ['fk_p'] }), endpoint)];
    expect(distinctNames(tables('my'), engineOf).map((t) => t.targetDef.foreignKeys[0]!.name)).toEqual(['a_fk_p', 'b_fk_p']);
    expect(distinctNames(tables('dst'), engineOf).map((t) => t.targetDef.foreignKeys[0]!.name)).toEqual(['fk_p', 'fk_p']);
    // Index names are per table on MySQL: the same name on two tables is fine there.
    expect(distinctNames([mapping(def('a', { indexes: ['ix'] }), 'my'), mapping(def('b', { indexes: ['ix'] }), 'my')], engineOf).map((t) => t.targetDef.indexes[0]!.name)).toEqual(['ix', 'ix']);
  });

  it('property: every index-like name ends up distinct in its schema and from its tables, and names that met nothing are kept', () => {
    const ident = fc.constantFrom('a', 'b', 'ab', 'a_b', 'email', 'idx', 'a_idx', 'b_a', 'pk', 'A', 'Email');
    const table = fc.record({ name: ident, pk: fc.option(ident, { nil: undefined }), unique: fc.array(ident, { maxLength: 3 }), indexes: fc.array(ident, { maxLength: 3 }) });
    fc.assert(
      fc.property(fc.uniqueArray(table, { selector: (t) => t.name.toLowerCase(), maxLength: 6 }), (specs) => {
        const input = specs.map((s) => mapping(def(s.name, s)));
        const out = distinctNames(input, engineOf);
        const names = out.flatMap((t) => indexNamesOf(t.targetDef).map((n) => n.toLowerCase()));
        expect(new Set(names).size).toBe(names.length);
        const tableNames = new Set(specs.map((s) => s.name.toLowerCase()));
        for (const n of names) expect(tableNames.has(n)).toBe(false);
        const before = input.flatMap((t) => indexNamesOf(t.targetDef));
        const after = out.flatMap((t) => indexNamesOf(t.targetDef));
        before.forEach((n, i) => {
          const meets = before.filter((m) => m.toLowerCase() === n.toLowerCase()).length > 1 || tableNames.has(n.toLowerCase());
          if (!meets) expect(after[i]).toBe(n);
        });
      }),
    );
  });
});

describe('names through the checker', () => {
  const col = (name: string, type: string): ColumnCatalog => {
    const nativeType = mysqlEngine.types.parseNative(type)!;
    return { name, ordinal: 1, nativeType, logical: mysqlEngine.types.toLogical(nativeType), nullable: false, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, collation: undefined, charset: undefined, comment: undefined };
  };
  const tbl = (name: string, extra: Partial<TableCatalog>): TableCatalog => ({
    schema: 'shop',
    name,
    kind: 'table',
    columns: [col('id', 'int(11)'), col('email', 'varchar(60)')],
    primaryKey: { name: 'PRIMARY', columns: ['id'] },
    uniqueKeys: [{ name: 'email', columns: ['email'] }],
    indexes: [{ name: 'idx_email', unique: false, parts: [{ column: 'email', descending: false }], where: undefined, method: 'btree' }],
    foreignKeys: [],
    checks: [],
    rowEstimate: 10,
    comment: undefined,
    ...extra,
  });

  it('MySQL → PostgreSQL: per-table key and index names get their table\'s prefix; MySQL → MySQL keeps them', () => {
    const catalog: Catalog = { engine: 'mysql', database: 'shop', serverVersion: '10.11', schemas: ['shop'], tables: [tbl('users', {}), tbl('admins', {})], sequences: [], others: [] };
    for (const [engine, expected] of [
      ['postgres', [['users_pkey', 'users_email', 'users_idx_email'], ['admins_pkey', 'admins_email', 'admins_idx_email']]],
      ['mysql', [['users_pkey', 'email', 'idx_email'], ['admins_pkey', 'email', 'idx_email']]],
    ] as const) {
      const text = `source src mysql {\n  url = env("S")\n}\ntarget dst ${engine} {\n  url = env("D")\n}\nmap src.shop.* -> dst.app.* {\n}\n`;
      const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
      const r = checkPlan({ ir: ir.value!, catalogs: new Map([['src', catalog]]), builtinRules: builtinTypeRules });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.value.tables.map((t) => indexNamesOf(t.targetDef))).toEqual(expected);
    }
  });
});
