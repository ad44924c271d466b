import { describe, expect, it } from 'vitest';
import { check, errors, merge } from './support/merge-fixtures.js';

/** Foreign keys between merged tables, per strategy of the parent merge (see src/check/merge-foreign-keys.ts). */
const ordersOf = (r: ReturnType<typeof check>) => r.value.tables.filter((t) => t.merge?.name === 'orders');
const fkOf = (r: ReturnType<typeof check>) => ordersOf(r)[0]!.targetDef.foreignKeys.map((f) => `(${f.columns.join(', ')}) -> ${f.referencedTable} (${f.referencedColumns.join(', ')})`);

describe('foreign keys of child merges', () => {
  it('composite parent: the child keeps its values and takes the tag along', () => {
    const r = check(merge('customers', 'customers', '  key (region, id)') + merge('orders', 'orders', '  key (region, id)'));
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).not.toContain('DMS3406');
    expect(fkOf(r)).toEqual(['(region, customer_id) -> customers (region, id)']);
    expect(ordersOf(r).map((o) => o.columns.find((c) => c.target === 'customer_id')!.offset)).toEqual([undefined, undefined]);
  });

  it('composite parent with tags of other values, or none on the child: the foreign key is not kept (DMS3406)', () => {
    const other = check(merge('customers', 'customers', '  key (region, id)') + merge('orders', 'orders', '  key (region, id)').replace("tag region = 'us'", "tag region = 'usa'"));
    expect(fkOf(other)).toEqual([]);
    expect(other.diagnostics.map((d) => d.code)).toContain('DMS3406');
    const renamed = check(merge('customers', 'customers', '  key (region, id)') + merge('orders', 'orders', '  key (shard, id)').replaceAll('tag region', 'tag shard'));
    expect(fkOf(renamed)).toEqual([]);
  });

  it('offset parent: the child column is shifted by the parent source\'s offset, whatever the child\'s own offsets', () => {
    const parent = `merge customers into dw.crm.customers {\n  from eu.eu_shop.customers\n  from us.us_shop.customers offset 1000\n  key (id)\n  strategy = offset\n}\n`;
    const child = `merge orders into dw.crm.orders {\n  from eu.eu_shop.orders offset 5\n  from us.us_shop.orders offset 7000\n  key (id)\n  strategy = offset\n}\n`;
    const r = check(parent + child);
    expect(errors(r)).toEqual([]);
    expect(fkOf(r)).toEqual(['(customer_id) -> customers (id)']);
    expect(ordersOf(r).map((o) => [o.columns.find((c) => c.target === 'customer_id')!.offset, o.columns.find((c) => c.target === 'customer_id')!.targetType.text])).toEqual([
      ['0', 'bigint'],
      ['1000', 'bigint'],
    ]);
    expect(ordersOf(r).map((o) => o.columns.find((c) => c.target === 'id')!.offset)).toEqual(['5', '7000']);
  });

  it('offset parent whose keys may collide: the foreign key takes the tags, on a unique key made on the parent', () => {
    const r = check(merge('customers', 'customers', '  key (id)\n  strategy = offset\n  on_conflict = keep_last') + merge('orders', 'orders', '  key (region, id)'));
    expect(errors(r)).toEqual([]);
    expect(fkOf(r)).toEqual(['(region, customer_id) -> customers (region, id)']);
    const customers = r.value.tables.find((t) => t.merge?.name === 'customers')!;
    expect(customers.targetDef.uniqueKeys).toEqual([{ name: 'customers_region_id_key', columns: ['region', 'id'] }]);
    // With on_conflict = reject the ranges cannot overlap: the key alone names the row.
    const disjoint = check(merge('customers', 'customers', '  key (id)\n  strategy = offset') + merge('orders', 'orders', '  key (region, id)'));
    expect(fkOf(disjoint)).toEqual(['(customer_id) -> customers (id)']);
    expect(disjoint.value.tables.find((t) => t.merge?.name === 'customers')!.targetDef.uniqueKeys).toEqual([]);
  });

  it('surrogate parent: rewritten through the key map (as before)', () => {
    const r = check(merge('customers', 'customers', '  key (id)\n  strategy = surrogate') + merge('orders', 'orders', '  key (region, id)'));
    expect(fkOf(r)).toEqual(['(customer_id) -> customers (id)']);
    expect(ordersOf(r)[0]!.columns.find((c) => c.target === 'customer_id')!.keyMap?.lookup).toBe('column');
  });

  it('a foreign key of several columns: with a composite parent it takes the tag; with a surrogate parent it names the source key the parent keeps', () => {
    const invoices = merge('invoices', 'invoices', '  key (region, id)');
    const fkOfInvoices = (r: ReturnType<typeof check>) => r.value.tables.find((t) => t.merge?.name === 'invoices')!.targetDef.foreignKeys.map((f) => `(${f.columns.join(', ')}) -> ${f.referencedTable} (${f.referencedColumns.join(', ')})`);
    const composite = check(merge('accounts', 'accounts', '  key (region, org, no)') + invoices);
    expect(errors(composite)).toEqual([]);
    expect(fkOfInvoices(composite)).toEqual(['(region, org, account_no) -> accounts (region, org, no)']);
    const surrogate = check(merge('accounts', 'accounts', '  key (account_id)\n  strategy = surrogate') + invoices);
    expect(errors(surrogate)).toEqual([]);
    expect(fkOfInvoices(surrogate)).toEqual(['(region, org, account_no) -> accounts (region, org, no)']);
    expect(surrogate.value.tables.find((t) => t.merge?.name === 'accounts')!.targetDef.uniqueKeys).toEqual([{ name: 'accounts_region_org_no_key', columns: ['region', 'org', 'no'] }]);
  });
});

describe('a self-referencing foreign key of merged sources (the merge is its own parent)', () => {
  const staff = (r: ReturnType<typeof check>) => r.value.tables.filter((t) => t.merge?.name === 'staff');
  const fkOfStaff = (r: ReturnType<typeof check>) => staff(r)[0]!.targetDef.foreignKeys.map((f) => `(${f.columns.join(', ')}) -> ${f.referencedTable} (${f.referencedColumns.join(', ')})`);

  it('composite: kept, with the tag, so a manager is looked for in the same source', () => {
    const r = check(merge('staff', 'staff', '  key (region, id)'));
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).not.toContain('DMS3406');
    expect(fkOfStaff(r)).toEqual(['(region, manager_id) -> staff (region, id)']);
  });

  it('surrogate: the manager column is rewritten through the merge\'s own key map, not left holding source ids', () => {
    const r = check(merge('staff', 'staff', '  key (id)\n  strategy = surrogate'));
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).not.toContain('DMS3406');
    expect(fkOfStaff(r)).toEqual(['(manager_id) -> staff (id)']);
    expect(staff(r).map((t) => t.columns.find((c) => c.target === 'manager_id')!.keyMap)).toEqual([
      { table: 'crm.staff', merge: 'staff', source: 'eu.eu_shop.staff', lookup: 'column' },
      { table: 'crm.staff', merge: 'staff', source: 'us.us_shop.staff', lookup: 'column' },
    ]);
  });

  it('offset: the manager column is shifted by its own source\'s offset', () => {
    const r = check(`merge staff into dw.crm.staff {\n  from eu.eu_shop.staff\n  from us.us_shop.staff offset 1000\n  key (id)\n  strategy = offset\n}\n`);
    expect(errors(r)).toEqual([]);
    expect(fkOfStaff(r)).toEqual(['(manager_id) -> staff (id)']);
    expect(staff(r).map((t) => t.columns.find((c) => c.target === 'manager_id')!.offset)).toEqual(['0', '1000']);
  });
});

describe('merge keys that keep rows apart (DMS3430)', () => {
  it('composite: the key holds every tag and every primary key column', () => {
    expect(errors(check(merge('c', 'customers', '  key (id)')))).toEqual([expect.stringMatching(/^DMS3430 merge c: strategy = composite: key \(id\) lacks region, so rows of different sources could share a key$/)]);
    expect(errors(check(merge('c', 'customers', '  key (region)')))).toEqual([expect.stringMatching(/^DMS3430 .*lacks id, so rows of eu\.eu_shop\.customers could share a key$/)]);
    expect(errors(check(merge('c', 'customers', '  key (id, region)')))).toEqual([]);
    expect(errors(check(merge('a', 'accounts', '  key (region, org)')))).toEqual([expect.stringMatching(/^DMS3430 .*lacks no/)]);
  });

  it('offset: besides tags, one integer column that is the primary key', () => {
    expect(errors(check(merge('c', 'customers', '  key (name)\n  strategy = offset')))).toEqual([expect.stringMatching(/^DMS3430 .*shifts one integer key column/)]);
    expect(errors(check(merge('a', 'accounts', '  key (region, org, no)\n  strategy = offset')))).toEqual([expect.stringMatching(/^DMS3430 .*primary key \(org, no\)/)]);
    expect(errors(check(merge('c', 'customers', '  key (region, id)\n  strategy = offset')))).toEqual([]);
  });
});

