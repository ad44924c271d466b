import { describe, expect, it } from 'vitest';
import { buildOracleCatalog, introspectOracle, nativeTypeOfColumn, oracleCatalogSql, oracleDefault, ORACLE_SCHEMAS_SQL, type OracleCatalogRows } from '../../../src/engines/oracle/oracle-introspect.js';

const col = (table: string, name: string, type: string, extra: Record<string, unknown> = {}) => ({ OWNER: 'HR', TABLE_NAME: table, COLUMN_NAME: name, DATA_TYPE: type, NULLABLE: 'Y', DATA_DEFAULT: null, VIRTUAL_COLUMN: 'NO', HIDDEN_COLUMN: 'NO', ...extra });

const rows: OracleCatalogRows = {
  tables: [
    { OWNER: 'HR', TABLE_NAME: 'EMPLOYEES', NUM_ROWS: '107', AVG_ROW_LEN: '69' },
    { OWNER: 'HR', TABLE_NAME: 'DEPARTMENTS', NUM_ROWS: null, AVG_ROW_LEN: null },
  ],
  views: [{ OWNER: 'HR', VIEW_NAME: 'EMP_DETAILS_VIEW' }],
  columns: [
    col('EMPLOYEES', 'EMPLOYEE_ID', 'NUMBER', { DATA_PRECISION: '6', DATA_SCALE: '0', NULLABLE: 'N' }),
    col('EMPLOYEES', 'FIRST_NAME', 'VARCHAR2', { CHAR_LENGTH: '20', CHAR_USED: 'B', DATA_LENGTH: '20' }),
    col('EMPLOYEES', 'HIRE_DATE', 'DATE', { NULLABLE: 'N', DATA_DEFAULT: 'SYSDATE\n' }),
    col('EMPLOYEES', 'SALARY', 'NUMBER', { DATA_PRECISION: '8', DATA_SCALE: '2', DATA_DEFAULT: "  0 " }),
    col('EMPLOYEES', 'DEPARTMENT_ID', 'NUMBER', { DATA_PRECISION: '4', DATA_SCALE: '0' }),
    col('EMPLOYEES', 'Notes', 'NCLOB'),
    col('EMPLOYEES', 'SECRET', 'VARCHAR2', { CHAR_LENGTH: '10', CHAR_USED: 'C', HIDDEN_COLUMN: 'YES' }),
    col('EMPLOYEES', 'ANNUAL', 'NUMBER', { VIRTUAL_COLUMN: 'YES', DATA_DEFAULT: '"SALARY"*12' }),
    col('EMPLOYEES', 'ADDRESS', 'ADDRESS_T', { DATA_TYPE_OWNER: 'HR' }),
    col('EMPLOYEES', 'DOC', 'XMLTYPE', { DATA_TYPE_OWNER: 'SYS' }),
    col('DEPARTMENTS', 'DEPARTMENT_ID', 'NUMBER', { DATA_PRECISION: '4', DATA_SCALE: '0', NULLABLE: 'N' }),
    col('DEPARTMENTS', 'DEPARTMENT_NAME', 'VARCHAR2', { CHAR_LENGTH: '30', CHAR_USED: 'C', DATA_DEFAULT: "'it''s'" }),
    col('DEPARTMENTS', 'CODE', 'CHAR', { CHAR_LENGTH: '3', CHAR_USED: 'B', DATA_DEFAULT: "''" }),
    col('EMP_DETAILS_VIEW', 'EMPLOYEE_ID', 'NUMBER', { DATA_PRECISION: '6', DATA_SCALE: '0' }),
  ],
  identities: [{ OWNER: 'HR', TABLE_NAME: 'DEPARTMENTS', COLUMN_NAME: 'DEPARTMENT_ID', GENERATION_TYPE: 'BY DEFAULT', LAST_NUMBER: '281' }],
  constraints: [
    { OWNER: 'HR', TABLE_NAME: 'EMPLOYEES', CONSTRAINT_NAME: 'EMP_EMP_ID_PK', CONSTRAINT_TYPE: 'P', STATUS: 'ENABLED', VALIDATED: 'VALIDATED', DEFERRABLE: 'NOT DEFERRABLE' },
    { OWNER: 'HR', TABLE_NAME: 'EMPLOYEES', CONSTRAINT_NAME: 'EMP_DEPT_FK', CONSTRAINT_TYPE: 'R', R_OWNER: 'HR', R_CONSTRAINT_NAME: 'DEPT_ID_PK', DELETE_RULE: 'SET NULL', STATUS: 'ENABLED', VALIDATED: 'NOT VALIDATED', DEFERRABLE: 'DEFERRABLE', DEFERRED: 'DEFERRED' },
    { OWNER: 'HR', TABLE_NAME: 'EMPLOYEES', CONSTRAINT_NAME: 'EMP_NAME_UK', CONSTRAINT_TYPE: 'U', STATUS: 'DISABLED', VALIDATED: 'NOT VALIDATED', DEFERRABLE: 'NOT DEFERRABLE' },
    // The key uses an index made before it, under another name: that index is the key, not one more index.
    { OWNER: 'HR', TABLE_NAME: 'DEPARTMENTS', CONSTRAINT_NAME: 'DEPT_ID_PK', CONSTRAINT_TYPE: 'P', STATUS: 'ENABLED', VALIDATED: 'VALIDATED', DEFERRABLE: 'NOT DEFERRABLE', INDEX_OWNER: 'HR', INDEX_NAME: 'DEPT_ID_IX' },
  ],
  constraintColumns: [
    { OWNER: 'HR', CONSTRAINT_NAME: 'DEPT_ID_PK', COLUMN_NAME: 'DEPARTMENT_ID', POSITION: '1' },
    { OWNER: 'HR', CONSTRAINT_NAME: 'EMP_DEPT_FK', COLUMN_NAME: 'DEPARTMENT_ID', POSITION: '1' },
    { OWNER: 'HR', CONSTRAINT_NAME: 'EMP_EMP_ID_PK', COLUMN_NAME: 'EMPLOYEE_ID', POSITION: '1' },
    { OWNER: 'HR', CONSTRAINT_NAME: 'EMP_NAME_UK', COLUMN_NAME: 'FIRST_NAME', POSITION: '1' },
  ],
  indexes: [
    { OWNER: 'HR', INDEX_NAME: 'EMP_EMP_ID_PK', TABLE_OWNER: 'HR', TABLE_NAME: 'EMPLOYEES', INDEX_TYPE: 'NORMAL', UNIQUENESS: 'UNIQUE' },
    { OWNER: 'HR', INDEX_NAME: 'EMP_HIRED_IX', TABLE_OWNER: 'HR', TABLE_NAME: 'EMPLOYEES', INDEX_TYPE: 'FUNCTION-BASED NORMAL', UNIQUENESS: 'NONUNIQUE' },
    { OWNER: 'HR', INDEX_NAME: 'EMP_UPPER_IX', TABLE_OWNER: 'HR', TABLE_NAME: 'EMPLOYEES', INDEX_TYPE: 'FUNCTION-BASED NORMAL', UNIQUENESS: 'NONUNIQUE' },
    { OWNER: 'HR', INDEX_NAME: 'EMP_TEXT_IX', TABLE_OWNER: 'HR', TABLE_NAME: 'EMPLOYEES', INDEX_TYPE: 'DOMAIN', UNIQUENESS: 'NONUNIQUE' },
    { OWNER: 'HR', INDEX_NAME: 'DEPT_ID_IX', TABLE_OWNER: 'HR', TABLE_NAME: 'DEPARTMENTS', INDEX_TYPE: 'NORMAL', UNIQUENESS: 'UNIQUE' },
  ],
  indexColumns: [
    { INDEX_OWNER: 'HR', INDEX_NAME: 'EMP_HIRED_IX', COLUMN_NAME: 'DEPARTMENT_ID', COLUMN_POSITION: '1', DESCEND: 'ASC' },
    { INDEX_OWNER: 'HR', INDEX_NAME: 'EMP_HIRED_IX', COLUMN_NAME: 'SYS_NC00011$', COLUMN_POSITION: '2', DESCEND: 'DESC' },
    { INDEX_OWNER: 'HR', INDEX_NAME: 'EMP_UPPER_IX', COLUMN_NAME: 'SYS_NC00012$', COLUMN_POSITION: '1', DESCEND: 'ASC' },
    { INDEX_OWNER: 'HR', INDEX_NAME: 'DEPT_ID_IX', COLUMN_NAME: 'DEPARTMENT_ID', COLUMN_POSITION: '1', DESCEND: 'ASC' },
  ],
  indexExpressions: [
    { INDEX_OWNER: 'HR', INDEX_NAME: 'EMP_HIRED_IX', COLUMN_POSITION: '2', COLUMN_EXPRESSION: '"HIRE_DATE"' },
    { INDEX_OWNER: 'HR', INDEX_NAME: 'EMP_UPPER_IX', COLUMN_POSITION: '1', COLUMN_EXPRESSION: 'UPPER("FIRST_NAME")' },
  ],
  tableComments: [{ OWNER: 'HR', TABLE_NAME: 'EMPLOYEES', COMMENTS: 'staff' }],
  columnComments: [{ OWNER: 'HR', TABLE_NAME: 'EMPLOYEES', COLUMN_NAME: 'SALARY', COMMENTS: 'monthly' }],
  sequences: [{ SEQUENCE_OWNER: 'HR', SEQUENCE_NAME: 'EMPLOYEES_SEQ', LAST_NUMBER: '207' }],
  others: [{ OWNER: 'HR', OBJECT_NAME: 'SECURE_DML', OBJECT_TYPE: 'PROCEDURE' }, { OWNER: 'HR', OBJECT_NAME: 'UPDATE_JOB_HISTORY', OBJECT_TYPE: 'TRIGGER' }],
};

describe('Oracle introspection', () => {
  const catalog = buildOracleCatalog(rows, { database: 'FREEPDB1', serverVersion: '23.5.0.24.07', schemas: ['HR'] });
  const table = (name: string) => catalog.tables.find((t) => t.name === name)!;

  it('reads tables and views, with estimates from the statistics', () => {
    expect(catalog.tables.map((t) => `${t.schema}.${t.name}:${t.kind}:${t.rowEstimate}`)).toEqual(['HR.DEPARTMENTS:table:0', 'HR.EMPLOYEES:table:107', 'HR.EMP_DETAILS_VIEW:view:0']);
    expect(table('EMPLOYEES').bytesEstimate).toBe(107 * 69);
    expect(table('EMPLOYEES').comment).toBe('staff');
    expect(catalog.others).toEqual([{ schema: 'HR', name: 'SECURE_DML', kind: 'procedure' }, { schema: 'HR', name: 'UPDATE_JOB_HISTORY', kind: 'trigger' }]);
    expect(catalog.sequences).toEqual([{ schema: 'HR', name: 'EMPLOYEES_SEQ', lastValue: '207' }]);
  });

  it('rebuilds each column type from the dictionary, with defaults, identities, invisible and virtual columns', () => {
    const e = table('EMPLOYEES');
    expect(e.columns.map((c) => `${c.name} ${c.nativeType.text}`)).toEqual([
      'EMPLOYEE_ID NUMBER(6,0)', 'FIRST_NAME VARCHAR2(20 BYTE)', 'HIRE_DATE DATE', 'SALARY NUMBER(8,2)', 'DEPARTMENT_ID NUMBER(4,0)', 'Notes NCLOB', 'SECRET VARCHAR2(10 CHAR)', 'ANNUAL NUMBER', 'ADDRESS HR.ADDRESS_T', 'DOC XMLTYPE',
    ]);
    expect(e.columns.map((c) => c.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(e.columns.find((c) => c.name === 'HIRE_DATE')!.default).toEqual({ kind: 'current_timestamp', precision: 0 });
    expect(e.columns.find((c) => c.name === 'SALARY')).toMatchObject({ default: { kind: 'literal', text: '0' }, comment: 'monthly' });
    expect(e.columns.find((c) => c.name === 'SECRET')!.invisible).toBe(true);
    expect(e.columns.find((c) => c.name === 'ANNUAL')).toMatchObject({ generated: { expression: '"SALARY"*12', stored: false }, default: undefined });
    expect(e.columns.find((c) => c.name === 'ADDRESS')!.logical).toEqual({ kind: 'other', native: 'hr.address_t' });
    const d = table('DEPARTMENTS');
    expect(d.columns[0]).toMatchObject({ identity: { kind: 'by_default', next: '281' }, default: undefined, nullable: false });
    expect(d.columns[1]!.default).toEqual({ kind: 'literal', text: "it's" });
    // '' is NULL in Oracle: DEFAULT '' is no default.
    expect(d.columns[2]!.default).toBeUndefined();
  });

  it('keeps enabled keys, marks loose foreign keys, and keeps plain and descending indexes only', () => {
    const e = table('EMPLOYEES');
    expect(e.primaryKey).toEqual({ name: 'EMP_EMP_ID_PK', columns: ['EMPLOYEE_ID'] });
    // A disabled unique key may be broken by the rows: it is no key.
    expect(e.uniqueKeys).toEqual([]);
    expect(e.foreignKeys).toEqual([
      {
        name: 'EMP_DEPT_FK', columns: ['DEPARTMENT_ID'], referencedSchema: 'HR', referencedTable: 'DEPARTMENTS', referencedColumns: ['DEPARTMENT_ID'],
        onDelete: 'set_null', onUpdate: 'no_action', deferrable: 'initially_deferred', looseOnSource: expect.stringContaining('NOVALIDATE'),
      },
    ]);
    expect(table('DEPARTMENTS')).toMatchObject({ primaryKey: { name: 'DEPT_ID_PK', columns: ['DEPARTMENT_ID'] }, indexes: [] });
    expect(e.indexes).toEqual([{ name: 'EMP_HIRED_IX', unique: false, parts: [{ column: 'DEPARTMENT_ID', descending: false }, { column: 'HIRE_DATE', descending: true }], where: undefined, method: 'btree' }]);
  });

  it('spells defaults as Oracle stores them', () => {
    expect(['42', '(-1.5)', '.5', "'a'", 'NULL', 'systimestamp', 'CURRENT_TIMESTAMP(3)', '"HR"."SEQ".nextval', 'sys_guid()'].map(oracleDefault)).toEqual([
      { kind: 'literal', text: '42' },
      { kind: 'literal', text: '-1.5' },
      { kind: 'literal', text: '0.5' },
      { kind: 'literal', text: 'a' },
      undefined,
      { kind: 'current_timestamp', precision: undefined },
      { kind: 'current_timestamp', precision: 3 },
      { kind: 'expression', sql: '"HR"."SEQ".nextval' },
      { kind: 'expression', sql: 'sys_guid()' },
    ]);
    expect(nativeTypeOfColumn({ DATA_TYPE: 'NUMBER', DATA_PRECISION: null, DATA_SCALE: '0' }).params).toEqual([38, 0]);
    expect(nativeTypeOfColumn({ DATA_TYPE: 'FLOAT', DATA_PRECISION: '63' }).text).toBe('FLOAT(63)');
    expect(nativeTypeOfColumn({ DATA_TYPE: 'TIMESTAMP(3) WITH TIME ZONE' }).params).toEqual([3]);
  });

  it('finds the plan\'s schemas ignoring case, and binds them into every dictionary query', async () => {
    const asked: { sql: string; binds: readonly string[] }[] = [];
    const catalog2 = await introspectOracle(
      async (sql, binds) => {
        asked.push({ sql, binds });
        return sql === ORACLE_SCHEMAS_SQL ? [{ OWNER: 'HR' }, { OWNER: 'SALES' }, { OWNER: 'Mixed' }] : [];
      },
      { schemas: ['hr', 'Mixed'] },
      { database: 'FREEPDB1', serverVersion: '19' },
    );
    expect(catalog2.schemas).toEqual(['HR', 'Mixed']);
    expect(asked.slice(1).every((a) => a.binds.join() === 'HR,Mixed')).toBe(true);
    expect(asked).toHaveLength(1 + Object.keys(oracleCatalogSql(2)).length);
    expect(oracleCatalogSql(2).tables).toContain('t.OWNER IN (:1, :2)');
  });
});
