/** Assembling the catalog from sys.* rows (the queries themselves need a server: see the live suite). */
import { describe, expect, it } from 'vitest';
import { assembleCatalog, defaultOf, nativeTypeOf } from '../../../src/engines/sqlserver/sqlserver-introspect.js';

describe('SQL Server introspection', () => {
  it('reads lengths in bytes as SQL Server stores them: nvarchar holds half as many code units, -1 is max', () => {
    expect(nativeTypeOf({ type_name: 'nvarchar', max_length: 80 }).text).toBe('nvarchar(40)');
    expect(nativeTypeOf({ type_name: 'nvarchar', max_length: -1 }).text).toBe('nvarchar(max)');
    expect(nativeTypeOf({ type_name: 'varbinary', max_length: -1 }).text).toBe('varbinary(max)');
    expect(nativeTypeOf({ type_name: 'datetime2', max_length: 8, precision: 27, scale: 7 }).text).toBe('datetime2(7)');
    expect(nativeTypeOf({ type_name: 'numeric', max_length: 9, precision: 18, scale: 4 }).text).toBe('decimal(18,4)');
    expect(nativeTypeOf({ type_name: 'timestamp', max_length: 8 }).name).toBe('rowversion');
    expect(nativeTypeOf({ type_name: 'MyCompany.Polygon', max_length: -1 })).toEqual({ name: 'mycompany.polygon', params: [], unsigned: false, text: 'mycompany.polygon' });
  });

  it('reads defaults as sys.default_constraints prints them', () => {
    expect(defaultOf('((0))')).toEqual({ kind: 'literal', text: '0' });
    expect(defaultOf('((-1.5))')).toEqual({ kind: 'literal', text: '-1.5' });
    expect(defaultOf("(N'it''s (here)')")).toEqual({ kind: 'literal', text: "it's (here)" });
    expect(defaultOf("('')")).toEqual({ kind: 'literal', text: '' });
    expect(defaultOf('(getdate())')).toEqual({ kind: 'current_timestamp', precision: undefined });
    expect(defaultOf('(sysdatetime())')).toEqual({ kind: 'current_timestamp', precision: undefined });
    expect(defaultOf('(newid())')).toEqual({ kind: 'expression', sql: 'newid()' });
    expect(defaultOf('((1)+(2))')).toEqual({ kind: 'expression', sql: '(1)+(2)' });
  });

  it('keeps filtered unique indexes as indexes, marks unique keys over nullable columns NULLS NOT DISTINCT, and counts the identity on', () => {
    const base = { schema_name: 'dbo', table_name: 'T', max_length: 4, precision: 10, scale: 0, is_identity: false, collation_name: null, seed_value: null, increment_value: null, last_value: null, default_definition: null, computed_definition: null, is_persisted: null };
    const ix = { schema_name: 'dbo', table_name: 'T', is_primary_key: false, is_unique_constraint: false, is_unique: true, key_ordinal: 1, is_included_column: false, is_descending_key: false };
    const catalog = assembleCatalog(
      {
        schemas: [{ schema_name: 'dbo' }, { schema_name: 'other' }],
        columns: [
          { ...base, column_id: 1, column_name: 'Id', type_name: 'bigint', is_nullable: false, is_identity: true, seed_value: '1000', increment_value: '10', last_value: null },
          { ...base, column_id: 2, column_name: 'Email', type_name: 'nvarchar', max_length: 200, is_nullable: true },
          { ...base, column_id: 3, column_name: 'Code', type_name: 'int', is_nullable: false },
          { ...base, table_name: 'U', column_id: 1, column_name: 'Id', type_name: 'int', is_nullable: false, is_identity: true, seed_value: '1', increment_value: '5', last_value: '96' },
          { ...base, schema_name: 'other', table_name: 'X', column_id: 1, column_name: 'Id', type_name: 'int', is_nullable: false },
        ],
        indexes: [
          { ...ix, index_name: 'UQ_Email', column_name: 'Email', filter_definition: null },
          { ...ix, index_name: 'UQ_Code', column_name: 'Code', filter_definition: null, is_unique_constraint: true },
          { ...ix, index_name: 'UX_Email_Active', column_name: 'Email', filter_definition: '([Email] IS NOT NULL)' },
        ],
        foreignKeys: [],
        checks: [{ schema_name: 'dbo', table_name: 'T', check_name: 'CK_Code', definition: '([Code]>(0))' }],
        rowEstimates: [{ schema_name: 'dbo', table_name: 'T', row_estimate: '12345' }],
        others: [{ schema_name: 'other', object_name: 'p', object_type: 'P ' }],
      },
      'shop',
      '16.0',
      ['dbo'],
    );
    expect(catalog.schemas).toEqual(['dbo']);
    expect(catalog.tables.map((t) => t.name)).toEqual(['T', 'U']);
    const t = catalog.tables[0]!;
    expect(t.columns[0]!.identity).toEqual({ kind: 'by_default', next: '1000' });
    expect(catalog.tables[1]!.columns[0]!.identity).toEqual({ kind: 'by_default', next: '101' });
    expect(t.uniqueKeys).toEqual([{ name: 'UQ_Code', columns: ['Code'] }, { name: 'UQ_Email', columns: ['Email'], nullsNotDistinct: true }]);
    expect(t.indexes).toEqual([{ name: 'UX_Email_Active', unique: true, parts: [{ column: 'Email', descending: false }], where: '([Email] IS NOT NULL)', method: 'btree' }]);
    expect(t.checks).toEqual([{ name: 'CK_Code', expression: '([Code]>(0))' }]);
    expect(t.rowEstimate).toBe(12345);
    expect(catalog.others).toEqual([]);
  });
});
