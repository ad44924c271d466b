import { describe, expect, it } from 'vitest';
import { check, errors, merge } from './support/merge-fixtures.js';

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
    // One table twice: two copies the run could not tell apart (their steps had one id).
    const twice = `merge c into dw.crm.customers {\n  from eu.eu_shop.customers tag region = 'a'\n  from eu.eu_shop.customers tag region = 'b'\n  key (region, id)\n}\n`;
    expect(errors(check(twice))).toEqual([expect.stringMatching(/^DMS3446 .*eu\.eu_shop\.customers is a source twice \(1 and 2\)/)]);
  });
});
