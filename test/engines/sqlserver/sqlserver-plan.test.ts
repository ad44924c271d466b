/**
 * SQL Server → PostgreSQL at plan level: no SQL Server runs here, so the catalog is assembled from
 * hand-written sys.* rows (as introspection reads them) and checked as `plan` checks it.
 */
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../src/check/check-plan.js';
import { assembleCatalog, type CatalogRows } from '../../../src/engines/sqlserver/sqlserver-introspect.js';
import { compilePlan } from '../../../src/ir/load.js';
import { builtinTypeRules } from '../../../src/types/prelude.js';
import { buildGraph } from '../../../src/plan/build-graph.js';
import { renderPlanText } from '../../../src/plan/render-text.js';

type ColumnRow = Record<string, unknown>;

function column(table: string, id: number, name: string, type: string, extra: ColumnRow = {}): ColumnRow {
  return { schema_name: 'dbo', table_name: table, column_id: id, column_name: name, type_name: type, max_length: 4, precision: 10, scale: 0, is_nullable: true, is_identity: false, collation_name: null, seed_value: null, increment_value: null, last_value: null, default_definition: null, computed_definition: null, is_persisted: null, ...extra };
}

function pk(table: string, col: string): ColumnRow {
  return { schema_name: 'dbo', table_name: table, index_name: `PK_${table}`, is_primary_key: true, is_unique_constraint: false, is_unique: true, filter_definition: null, key_ordinal: 1, is_included_column: false, is_descending_key: false, column_name: col };
}

function rows(extraColumns: ColumnRow[] = []): CatalogRows {
  return {
    schemas: [{ schema_name: 'dbo' }],
    columns: [
      column('Customer', 1, 'CustomerId', 'int', { is_nullable: false, is_identity: true, seed_value: '1', increment_value: '1', last_value: '59' }),
      column('Customer', 2, 'FirstName', 'nvarchar', { max_length: 80, is_nullable: false }),
      column('Customer', 3, 'Notes', 'nvarchar', { max_length: -1 }),
      column('Customer', 4, 'Age', 'tinyint', { max_length: 1 }),
      column('Customer', 5, 'Balance', 'money', { max_length: 8 }),
      column('Customer', 6, 'Active', 'bit', { max_length: 1, default_definition: '((1))' }),
      column('Customer', 7, 'Guid', 'uniqueidentifier', { max_length: 16 }),
      column('Customer', 8, 'Created', 'datetime', { max_length: 8, default_definition: '(getdate())' }),
      column('Customer', 9, 'Version', 'timestamp', { max_length: 8, is_nullable: false }),
      column('Invoice', 1, 'InvoiceId', 'int', { is_nullable: false }),
      column('Invoice', 2, 'CustomerId', 'int', { is_nullable: false }),
      column('Invoice', 3, 'Total', 'numeric', { max_length: 5, precision: 10, scale: 2 }),
      column('Invoice', 4, 'Billed', 'datetime2', { max_length: 8, precision: 27, scale: 3 }),
      ...extraColumns,
    ],
    indexes: [
      pk('Customer', 'CustomerId'),
      pk('Invoice', 'InvoiceId'),
      { schema_name: 'dbo', table_name: 'Invoice', index_name: 'IX_Invoice_Customer', is_primary_key: false, is_unique_constraint: false, is_unique: false, filter_definition: null, key_ordinal: 1, is_included_column: false, is_descending_key: false, column_name: 'CustomerId' },
      { schema_name: 'dbo', table_name: 'Invoice', index_name: 'IX_Invoice_Customer', is_primary_key: false, is_unique_constraint: false, is_unique: false, filter_definition: null, key_ordinal: 0, is_included_column: true, is_descending_key: false, column_name: 'Total' },
    ],
    foreignKeys: [{ schema_name: 'dbo', table_name: 'Invoice', fk_name: 'FK_Invoice_Customer', column_name: 'CustomerId', ref_schema: 'dbo', ref_table: 'Customer', ref_column: 'CustomerId', on_delete: 'CASCADE', on_update: 'NO_ACTION' }],
    checks: [],
    rowEstimates: [{ schema_name: 'dbo', table_name: 'Customer', row_estimate: 59 }],
    others: [{ schema_name: 'dbo', object_name: 'vCustomers', object_type: 'V ' }],
  };
}

function check(catalogRows: CatalogRows, extra = '', mode = 'full_load') {
  const text = `migration m {\n  mode = ${mode}\n}\nsource src sqlserver {\n  url = env("S")\n}\ntarget dst postgres {\n  url = env("D")\n}\nmap src.dbo.* -> dst.app.* {\n  names = snake_case\n}\n${extra}`;
  const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
  expect(ir.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const catalog = assembleCatalog(catalogRows, 'shop', 'SQL Server 16.0', undefined);
  return checkPlan({ ir: ir.value!, catalogs: new Map([['src', catalog]]), builtinRules: builtinTypeRules });
}

describe('SQL Server → PostgreSQL, checked', () => {
  it('types every column by the built-in rules, keeps keys, identity, indexes and foreign keys', () => {
    const r = check(rows());
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const customer = r.value.tables.find((t) => t.source.table === 'Customer')!;
    expect(customer.columns.map((c) => `${c.target}:${c.targetType.text}:${c.conversion}`)).toEqual([
      'customer_id:integer:none',
      'first_name:character varying(40):none',
      'notes:text:none',
      'age:smallint:none',
      'balance:numeric(19,4):none',
      'active:boolean:none',
      'guid:uuid:none',
      'created:timestamp(3) without time zone:none',
      'version:bytea:none',
    ]);
    expect(customer.targetDef.columns[0]).toMatchObject({ identity: 'by_default', identityNext: '60' });
    const invoice = r.value.tables.find((t) => t.source.table === 'Invoice')!;
    expect(invoice.columns.map((c) => `${c.target}:${c.targetType.text}`)).toEqual(['invoice_id:integer', 'customer_id:integer', 'total:numeric(10,2)', 'billed:timestamp(3) without time zone']);
    expect(invoice.targetDef.foreignKeys).toEqual([expect.objectContaining({ referencedTable: 'customer', columns: ['customer_id'], onDelete: 'cascade' })]);
    // INCLUDE columns are kept between servers of one dialect only (check/target-table.ts indexExtras).
    expect(invoice.targetDef.indexes).toEqual([expect.objectContaining({ name: 'invoice_ix_invoice_customer', parts: [{ column: 'customer_id', descending: false }] })]);
    expect(r.value.notMigrated.map((n) => n.name)).toEqual(['vCustomers']);
  });

  it('refuses a sql_variant column (DMS3530) instead of copying it as something else', () => {
    const r = check(rows([column('Invoice', 5, 'Payload', 'sql_variant', { max_length: 8016 })]));
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual(['DMS3530']);
    expect(errors[0]!.message).toContain('dbo.Invoice.Payload');
    expect(errors[0]!.hint).toContain('drop Payload');
  });

  it('refuses a CLR user-defined type it does not know (DMS3530), and takes the column once the plan drops it', () => {
    const withUdt = rows([column('Invoice', 5, 'Shape', 'MyCompany.Polygon', { max_length: -1 })]);
    expect(check(withUdt).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['DMS3530']);
    const text = `source src sqlserver {\n  url = env("S")\n}\ntarget dst postgres {\n  url = env("D")\n}\nmap src.dbo.* -> dst.app.* {\n  table Invoice {\n    drop Shape\n  }\n}\n`;
    const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
    const dropped = checkPlan({ ir: ir.value!, catalogs: new Map([['src', assembleCatalog(withUdt, 'shop', '16', undefined)]]), builtinRules: builtinTypeRules });
    expect(dropped.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('refuses datetime2(7) into timestamp(6) until the plan says lossy: the seventh digit (100 ns) would be cut', () => {
    const seven = rows([column('Invoice', 5, 'At', 'datetime2', { max_length: 8, precision: 27, scale: 7 })]);
    const refused = check(seven);
    expect(refused.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['DMS3005']);
    const accepted = check(seven, 'types sqlserver -> postgres {\n  datetime2(7) -> timestamp(6) lossy\n}\n');
    expect(accepted.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(accepted.value.tables.find((t) => t.source.table === 'Invoice')!.columns.find((c) => c.target === 'at')!.lossless).toBe(false);
  });

  it('refuses full_load_and_cdc from a SQL Server source (DMS2061): its changes are not followed', () => {
    const text = `migration m {\n  mode = full_load_and_cdc\n}\nsource src sqlserver {\n  url = env("S")\n}\ntarget dst postgres {\n  url = env("D")\n}\nmap src.dbo.* -> dst.app.* {\n}\n`;
    const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
    const errors = ir.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual(['DMS2061']);
    expect(errors[0]!.message).toContain('sqlserver source src cannot be captured');
  });

  it('plans the copy: tables created on PostgreSQL, decoded rows into COPY, keys and the foreign key after the data', () => {
    const r = check(rows());
    const target = { catalog: { engine: 'postgres' as const, database: 'dw', serverVersion: '15', schemas: [], tables: [], sequences: [], others: [] }, completedSteps: new Set<string>(), recordedStepIds: new Set<string>(), startedCopies: new Set<string>(), nonEmptyTables: new Set<string>() };
    const source = assembleCatalog(rows(), 'shop', 'SQL Server 16.0', undefined);
    const g = buildGraph({ checked: r.value, planFile: 'p.dmsplan', toolVersion: 'test', targets: new Map([['dst', target]]), sources: new Map([['src', source]]), merges: [] });
    expect(g.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const text = renderPlanText(g.value, { color: false });
    expect(text).toContain('copy: decoded rows → COPY text');
    expect(text).toMatch(/Plan: 2 tables to create, 2 to load .*2 primary keys, 1 index, 1 foreign key[.,]/);
    const create = g.value.steps.find((s) => s.id === 'create_table:dst.app.customer')!;
    expect(create.sql.join('\n')).toContain('"customer_id" integer GENERATED BY DEFAULT AS IDENTITY');
    const fk = g.value.steps.find((s) => s.kind === 'add_foreign_key')!;
    expect(fk.dependsOn).toEqual(expect.arrayContaining(['copy:dst.app.invoice', 'add_primary_key:dst.app.customer']));
  });
});
