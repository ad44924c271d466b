import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/check/check-plan.js';
import { oracleEngine } from '../../src/engines/oracle/index.js';
import { compilePlan } from '../../src/ir/load.js';
import type { Catalog, ColumnCatalog, TableCatalog } from '../../src/schema/catalog.js';
import { builtinTypeRules } from '../../src/types/prelude.js';

function col(name: string, type: string, extra: Partial<ColumnCatalog> = {}): ColumnCatalog {
  const nativeType = oracleEngine.types.parseNative(type) ?? { name: type.toLowerCase(), params: [], unsigned: false, text: type };
  return { name, ordinal: 1, nativeType, logical: oracleEngine.types.toLogical(nativeType), nullable: true, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, collation: undefined, charset: undefined, comment: undefined, ...extra };
}

function tbl(name: string, columns: ColumnCatalog[], extra: Partial<TableCatalog> = {}): TableCatalog {
  return { schema: 'HR', name, kind: 'table', columns, primaryKey: { name: `${name}_PK`, columns: [columns[0]!.name] }, uniqueKeys: [], indexes: [], foreignKeys: [], checks: [], rowEstimate: 10, comment: undefined, ...extra };
}

const catalog: Catalog = {
  engine: 'oracle',
  database: 'FREEPDB1',
  serverVersion: '23.5',
  schemas: ['HR'],
  tables: [
    tbl('DEPARTMENTS', [col('DEPARTMENT_ID', 'NUMBER(4)', { nullable: false, identity: { kind: 'by_default', next: '281' } }), col('DEPARTMENT_NAME', 'VARCHAR2(30 BYTE)')]),
    tbl('EMPLOYEES', [col('EMPLOYEE_ID', 'NUMBER(6)', { nullable: false }), col('FIRST_NAME', 'VARCHAR2(20 BYTE)'), col('Notes', 'NCLOB'), col('HIRE_DATE', 'DATE'), col('SALARY', 'NUMBER(8,2)'), col('DEPARTMENT_ID', 'NUMBER(4)')], {
      foreignKeys: [{ name: 'EMP_DEPT_FK', columns: ['DEPARTMENT_ID'], referencedSchema: 'HR', referencedTable: 'DEPARTMENTS', referencedColumns: ['DEPARTMENT_ID'], onDelete: 'set_null', onUpdate: 'no_action' }],
      indexes: [{ name: 'EMP_NAME_IX', unique: false, parts: [{ column: 'FIRST_NAME', descending: false }], where: undefined, method: 'btree' }],
    }),
    tbl('Mixed Case', [col('Id', 'NUMBER(10)', { nullable: false }), col('ADDRESS', 'HR.ADDRESS_T')]),
  ],
  sequences: [],
  others: [],
};

function compile(text: string) {
  return compilePlan(text, '/plan.dmsplan', () => undefined);
}

function check(mapBody: string, target = 'postgres', selector = 'ora.HR.EMPLOYEES, ora.HR.DEPARTMENTS') {
  const maps = selector
    .split(', ')
    .map((s) => `map ${s} -> dst.*.* {\n${mapBody}\n}\n`)
    .join('');
  const ir = compile(`source ora oracle {\n  url = env("S")\n}\ntarget dst ${target} {\n  url = env("D")\n}\n${maps}`);
  expect(ir.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return checkPlan({ ir: ir.value!, catalogs: new Map([['ora', catalog]]), builtinRules: builtinTypeRules });
}

describe('an Oracle source', () => {
  it('writes upper-case Oracle names in lower case on PostgreSQL by default, and keeps names that were quoted with lower case', () => {
    const r = check('');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const employees = r.value.tables.find((t) => t.source.table === 'EMPLOYEES')!;
    expect([employees.target.schema, employees.target.table]).toEqual(['hr', 'employees']);
    expect(employees.columns.map((c) => `${c.target}:${c.targetType.text}`)).toEqual([
      'employee_id:integer', 'first_name:character varying(20)', 'Notes:text', 'hire_date:timestamp(0) without time zone', 'salary:numeric(8,2)', 'department_id:smallint',
    ]);
    expect(employees.targetDef.foreignKeys).toEqual([expect.objectContaining({ name: 'emp_dept_fk', referencedSchema: 'hr', referencedTable: 'departments', columns: ['department_id'], onDelete: 'set_null' })]);
    expect(employees.targetDef.indexes.map((i) => i.name)).toEqual(['emp_name_ix']);
    const departments = r.value.tables.find((t) => t.source.table === 'DEPARTMENTS')!;
    expect(departments.targetDef.columns[0]).toMatchObject({ name: 'department_id', identity: 'by_default', identityNext: '281' });
  });

  it('keeps CUSTOMER as it is with names = keep, and other policies as written', () => {
    const keep = check('  names = keep').value.tables.find((t) => t.source.table === 'EMPLOYEES')!;
    expect([keep.target.schema, keep.target.table, keep.columns[1]!.target]).toEqual(['HR', 'EMPLOYEES', 'FIRST_NAME']);
    const snake = check('  names = snake_case').value.tables.find((t) => t.source.table === 'EMPLOYEES')!;
    expect(snake.columns.map((c) => c.target)).toEqual(['employee_id', 'first_name', 'notes', 'hire_date', 'salary', 'department_id']);
  });

  it('matches the plan\'s names to Oracle\'s upper-case ones ignoring case, and filters with Oracle\'s names', () => {
    const r = check('  table employees {\n    rename first_name -> given_name\n    drop notes\n    where salary > 1000 and hire_date >= date \'2020-01-01\'\n  }', 'postgres', 'ora.hr.employees');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const t = r.value.tables[0]!;
    expect(t.columns.map((c) => c.target)).toEqual(['employee_id', 'given_name', 'hire_date', 'salary', 'department_id']);
    expect(t.where).toBe(`(("SALARY" > 1000) AND ("HIRE_DATE" >= DATE '2020-01-01'))`);
  });

  it('refuses a column of a type it cannot read, and takes the table once the column is dropped', () => {
    const refused = check('', 'postgres', 'ora.HR."Mixed Case"');
    expect(refused.diagnostics.filter((d) => d.code === 'DMS3530').map((d) => `${d.message} | ${d.hint}`)).toEqual([
      'HR.Mixed Case.ADDRESS cannot be read: HR.ADDRESS_T is a type dmsplan cannot read from Oracle (object types, VARRAYs, nested tables and ANYDATA are not supported) | leave the column out with `drop ADDRESS` in a `table "Mixed Case" { … }` block',
    ]);
    const dropped = check('  table "Mixed Case" {\n    drop ADDRESS\n  }', 'postgres', 'ora.HR."Mixed Case"');
    expect(dropped.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect([dropped.value.tables[0]!.target.table, dropped.value.tables[0]!.columns.map((c) => c.target)]).toEqual(['Mixed Case', ['Id']]);
  });

  it('is refused as a target, before any table is mapped', () => {
    const text = `source pg postgres {\n  url = env("S")\n}\ntarget ora oracle {\n  url = env("D")\n}\nmap pg.public.* -> ora.APP.* {\n}\n`;
    const ir = compile(text);
    const r = checkPlan({ ir: ir.value!, catalogs: new Map([['pg', { ...catalog, engine: 'postgres', schemas: ['public'], tables: [] }]]), builtinRules: builtinTypeRules });
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(['DMS3551 oracle cannot be a target yet (target ora): dmsplan reads oracle databases but does not write them']);
    expect(r.value.tables).toEqual([]);
  });

  it('cannot be followed: full_load_and_cdc from Oracle is refused when the plan is validated', () => {
    const ir = compile(`migration m {\n  mode = full_load_and_cdc\n}\nsource ora oracle {\n  url = env("S")\n}\ntarget dst postgres {\n  url = env("D")\n}\nmap ora.HR.* -> dst.*.* {\n}\n`);
    expect(ir.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([expect.stringContaining('changes of oracle source ora cannot be captured')]);
  });
});

describe('Oracle TIMESTAMP(9)', () => {
  it('keeps its text by default, and narrows to timestamp(6) only under a rule that says lossy', () => {
    const withNanos: Catalog = { ...catalog, tables: [tbl('EVENTS', [col('ID', 'NUMBER(10)', { nullable: false }), col('AT', 'TIMESTAMP(9)')])] };
    const run = (rules: string) => {
      const ir = compile(`source ora oracle {\n  url = env("S")\n}\ntarget dst postgres {\n  url = env("D")\n}\nmap ora.HR.* -> dst.*.* {\n}\n${rules}`);
      return checkPlan({ ir: ir.value!, catalogs: new Map([['ora', withNanos]]), builtinRules: builtinTypeRules });
    };
    const plain = run('');
    expect(plain.value.tables[0]!.columns[1]).toMatchObject({ target: 'at', targetType: expect.objectContaining({ text: 'text' }), lossless: true });
    const narrowed = run('types oracle -> postgres {\n  timestamp(9) -> timestamp(6) using cast lossy\n}\n');
    expect(narrowed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(narrowed.value.tables[0]!.columns[1]).toMatchObject({ targetType: expect.objectContaining({ text: 'timestamp(6) without time zone' }), conversion: 'cast', lossless: false });
    const unsaid = run('types oracle -> postgres {\n  timestamp(9) -> timestamp(6) using cast\n}\n');
    expect(unsaid.diagnostics.filter((d) => d.severity === 'error').length).toBeGreaterThan(0);
  });
});
