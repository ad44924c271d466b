/** Two MySQL shards (customers, orders referencing them) and a plan of merges over them, checked. */
import { expect } from 'vitest';
import { checkPlan } from '../../../src/check/check-plan.js';
import { mysqlEngine } from '../../../src/engines/mysql/index.js';
import { compilePlan } from '../../../src/ir/load.js';
import type { Catalog, ColumnCatalog, TableCatalog } from '../../../src/schema/catalog.js';
import { builtinTypeRules } from '../../../src/types/prelude.js';

export function col(name: string, type: string, extra: Partial<ColumnCatalog> = {}): ColumnCatalog {
  const nativeType = mysqlEngine.types.parseNative(type)!;
  return { name, ordinal: 1, nativeType, logical: mysqlEngine.types.toLogical(nativeType), nullable: true, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, collation: undefined, charset: undefined, comment: undefined, ...extra };
}

export function tbl(schema: string, name: string, columns: ColumnCatalog[], extra: Partial<TableCatalog> = {}): TableCatalog {
  return { schema, name, kind: 'table', columns, primaryKey: { name: 'PRIMARY', columns: [columns[0]!.name] }, uniqueKeys: [], indexes: [], foreignKeys: [], checks: [], rowEstimate: 10, comment: undefined, ...extra };
}

/** One shard: customers and orders referencing them, in database `schema`. */
export function shard(schema: string): Catalog {
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
      // A composite key, and a foreign key of two columns to it.
      tbl(schema, 'accounts', [col('org', 'int(11)', { nullable: false }), col('no', 'int(11)', { nullable: false }), col('label', 'varchar(20)')], { primaryKey: { name: 'PRIMARY', columns: ['org', 'no'] } }),
      tbl(schema, 'invoices', [col('id', 'int(11)', { nullable: false }), col('org', 'int(11)'), col('account_no', 'int(11)')], {
        foreignKeys: [{ name: 'invoices_account', columns: ['org', 'account_no'], referencedSchema: schema, referencedTable: 'accounts', referencedColumns: ['org', 'no'], onDelete: 'restrict', onUpdate: 'restrict' }],
      }),
      // A self-reference: each employee's manager is an employee of the same shard.
      tbl(schema, 'staff', [col('id', 'int(11)', { nullable: false }), col('manager_id', 'int(11)'), col('name', 'varchar(60)')], {
        foreignKeys: [{ name: 'staff_manager', columns: ['manager_id'], referencedSchema: schema, referencedTable: 'staff', referencedColumns: ['id'], onDelete: 'restrict', onUpdate: 'restrict' }],
      }),
    ],
    sequences: [],
    others: [],
  };
}

export function check(merges: string, mode = 'full_load') {
  const text = `migration m {\n  mode = ${mode}\n}\nsource eu mysql {\n  url = env("EU")\n}\nsource us mysql {\n  url = env("US")\n}\ntarget dw postgres {\n  url = env("DW")\n}\n${merges}`;
  const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
  expect(ir.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return checkPlan({ ir: ir.value!, catalogs: new Map([['eu', shard('eu_shop')], ['us', shard('us_shop')]]), builtinRules: builtinTypeRules });
}

export const merge = (name: string, table: string, body: string) => `merge ${name} into dw.crm.${table} {\n  from eu.eu_shop.${table} tag region = 'eu'\n  from us.us_shop.${table} tag region = 'us'\n${body}\n}\n`;
export const errors = (r: ReturnType<typeof check>) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);

