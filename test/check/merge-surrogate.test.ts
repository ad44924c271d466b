import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/check/check-plan.js';
import { mysqlEngine } from '../../src/engines/mysql/index.js';
import { compilePlan } from '../../src/ir/load.js';
import type { Catalog, ColumnCatalog, TableCatalog } from '../../src/schema/catalog.js';
import { builtinTypeRules } from '../../src/types/prelude.js';

function col(name: string, type: string, extra: Partial<ColumnCatalog> = {}): ColumnCatalog {
  const nativeType = mysqlEngine.types.parseNative(type)!;
  return { name, ordinal: 1, nativeType, logical: mysqlEngine.types.toLogical(nativeType), nullable: true, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, collation: undefined, charset: undefined, comment: undefined, ...extra };
}

function tbl(schema: string, name: string, columns: ColumnCatalog[], extra: Partial<TableCatalog> = {}): TableCatalog {
  return { schema, name, kind: 'table', columns, primaryKey: { name: 'PRIMARY', columns: [columns[0]!.name] }, uniqueKeys: [], indexes: [], foreignKeys: [], checks: [], rowEstimate: 10, comment: undefined, ...extra };
}

/** One shard: customers and orders referencing them, in database `schema`. */
function shard(schema: string): Catalog {
  return {
    engine: 'mysql',
    database: schema,
    serverVersion: '10.11',
    schemas: [schema],
    tables: [
      tbl(schema, 'customers', [col('id', 'int(11)', { nullable: false, identity: { kind: 'auto_increment' } as never }), col('name', 'varchar(60)')]),
      tbl(schema, 'orders', [col('id', 'int(11)', { nullable: false }), col('customer_id', 'int(11)'), col('total', 'decimal(10,2)')], {
        foreignKeys: [{ name: 'orders_ibfk_1', columns: ['customer_id'], referencedSchema: schema, referencedTable: 'customers', referencedColumns: ['id'], onDelete: 'restrict', onUpdate: 'restrict' }],
      }),
    ],
    sequences: [],
    others: [],
  };
}

function check(merges: string, mode = 'full_load') {
  const text = `migration m {\n  mode = ${mode}\n}\nsource eu mysql {\n  url = env("EU")\n}\nsource us mysql {\n  url = env("US")\n}\ntarget dw postgres {\n  url = env("DW")\n}\n${merges}`;
  const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
  expect(ir.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return checkPlan({ ir: ir.value!, catalogs: new Map([['eu', shard('eu_shop')], ['us', shard('us_shop')]]), builtinRules: builtinTypeRules });
}

const merge = (name: string, table: string, body: string) => `merge ${name} into dw.crm.${table} {\n  from eu.eu_shop.${table} tag region = 'eu'\n  from us.us_shop.${table} tag region = 'us'\n${body}\n}\n`;
const errors = (r: ReturnType<typeof check>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);

describe('surrogate merges', () => {
  it('key the merged table with a new bigint identity, keep the source key, and rewrite a child merge\'s foreign key through the parent\'s key map', () => {
    const r = check(merge('customers', 'customers', '  key (id)\n  strategy = surrogate') + merge('orders', 'orders', '  key (id)\n  strategy = surrogate'));
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).not.toContain('DMS3406');
    const [eu, us] = r.value.tables.filter((t) => t.merge?.name === 'customers');
    expect(eu!.columns.map((c) => `${c.target}:${c.targetType.text}:${c.keyMap?.lookup ?? ''}`)).toEqual(['id:bigint:row_key', 'source_id:integer:', 'name:character varying(60):', 'region:text:']);
    expect(us!.columns[0]!.keyMap).toEqual({ table: 'crm.customers', merge: 'customers', source: 'us.us_shop.customers', lookup: 'row_key' });
    expect(eu!.targetDef.primaryKey!.columns).toEqual(['id']);
    expect(eu!.targetDef.columns.map((c) => [c.name, c.identity ?? null, c.nullable])).toEqual([
      ['id', 'by_default', false],
      ['source_id', null, false],
      ['name', null, true],
      ['region', null, true],
    ]);
    const orders = r.value.tables.filter((t) => t.merge?.name === 'orders');
    expect(orders.map((o) => o.columns.find((c) => c.target === 'customer_id'))).toEqual([
      expect.objectContaining({ targetType: expect.objectContaining({ text: 'bigint' }), keyMap: { table: 'crm.customers', merge: 'customers', source: 'eu.eu_shop.customers', lookup: 'column' } }),
      expect.objectContaining({ keyMap: { table: 'crm.customers', merge: 'customers', source: 'us.us_shop.customers', lookup: 'column' } }),
    ]);
    expect(orders[0]!.targetDef.foreignKeys).toEqual([expect.objectContaining({ columns: ['customer_id'], referencedSchema: 'crm', referencedTable: 'customers', referencedColumns: ['id'] })]);
  });

  it('a new column name keeps the source key columns as they are', () => {
    const r = check(merge('customers', 'customers', '  key (merged_id)\n  strategy = surrogate'));
    expect(errors(r)).toEqual([]);
    expect(r.value.tables[0]!.columns.map((c) => c.target)).toEqual(['merged_id', 'id', 'name', 'region']);
  });

  it('a child merged another way still gets its foreign key rewritten; one on other endpoints does not', () => {
    const composite = check(merge('customers', 'customers', '  key (id)\n  strategy = surrogate') + merge('orders', 'orders', '  key (region, id)'));
    expect(errors(composite)).toEqual([]);
    expect(composite.value.tables.find((t) => t.merge?.name === 'orders')!.columns.find((c) => c.target === 'customer_id')!.keyMap?.merge).toBe('customers');
    const swapped = check(merge('customers', 'customers', '  key (id)\n  strategy = surrogate') + `merge orders into dw.crm.orders {\n  from us.us_shop.orders tag region = 'us'\n  from eu.eu_shop.orders tag region = 'eu'\n  key (region, id)\n}\n`);
    expect(swapped.value.tables.find((t) => t.merge?.name === 'orders')!.columns.find((c) => c.target === 'customer_id')!.keyMap).toBeUndefined();
    expect(swapped.diagnostics.map((d) => d.code)).toContain('DMS3406');
  });

  it('refuses what cannot run, with a code', () => {
    expect(errors(check(merge('c', 'customers', '  key (id, name)\n  strategy = surrogate')))).toEqual([expect.stringMatching(/^DMS3424 .*one new key column/)]);
    expect(errors(check(merge('c', 'customers', '  key (name)\n  strategy = surrogate')))).toEqual([expect.stringMatching(/^DMS3424 .*not its primary key/)]);
    expect(errors(check(merge('c', 'customers', '  key (id)\n  strategy = surrogate'), 'full_load_and_cdc'))).toEqual([expect.stringMatching(/^DMS3424 .*mode = full_load only/)]);
    const untagged = `merge c into dw.crm.customers {\n  from eu.eu_shop.customers\n  from us.us_shop.customers offset 1000\n  key (id)\n  strategy = offset\n  on_conflict = keep_first\n}\n`;
    expect(errors(check(untagged))).toEqual([expect.stringMatching(/^DMS3425 .*on_conflict = keep_first needs a tag on every source/)]);
    expect(errors(check(untagged.replace('offset 1000', '').replace('strategy = offset', 'strategy = surrogate').replace('  on_conflict = keep_first\n', '')))).toEqual([expect.stringMatching(/^DMS3425 .*strategy = surrogate needs a tag/)]);
  });
});
