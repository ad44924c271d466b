/**
 * Names a MySQL target cannot hold (an emoji, a trailing space) are refused by `plan` (DMS3453)
 * with the place to rename them; apply used to fail at CREATE TABLE (MySQL error 1300).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkForeignKeyName, checkTargetLabels, checkTargetNames } from '../../src/check/target-identifiers.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { TargetTableDef } from '../../src/engines/contract.js';
import { mysqlEngine } from '../../src/engines/mysql/index.js';
import { mysqlIdentifierProblem } from '../../src/engines/mysql/mysql-ddl.js';
import { postgresEngine } from '../../src/engines/postgres/index.js';
import { sqliteEngine } from '../../src/engines/sqlite/index.js';

const def = (over: Partial<TargetTableDef>): TargetTableDef =>
  ({ schema: 'app', name: 'plain', columns: [{ name: 'id' }], primaryKey: undefined, uniqueKeys: [], indexes: [], foreignKeys: [], checks: [], comment: undefined, ...over }) as unknown as TargetTableDef;

describe('mysqlIdentifierProblem', () => {
  it('refuses every name with a character past U+FFFF or a trailing space, and takes every other name of the BMP', () => {
    const bmp = fc.string({ unit: fc.integer({ min: 1, max: 0xffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCharCode(c)) });
    fc.assert(
      fc.property(bmp, (name) => {
        expect(mysqlIdentifierProblem(name) === undefined).toBe(!name.endsWith(' '));
      }),
    );
    fc.assert(
      fc.property(bmp, fc.integer({ min: 0x10000, max: 0x10ffff }), bmp, (a, astral, b) => {
        expect(mysqlIdentifierProblem(`${a}${String.fromCodePoint(astral)}${b}x`)).toMatch(/outside the Basic Multilingual Plane/);
      }),
    );
    expect(mysqlIdentifierProblem('we"ird tab le')).toBeUndefined();
    expect(mysqlIdentifierProblem('name ')).toMatch(/ends with a space/);
  });
});

describe('checkTargetNames', () => {
  it('reports a schema, table, column, key, index or check name MySQL cannot hold, with where to rename it', () => {
    const table = def({
      name: 'Data 📈',
      columns: [{ name: 'id' }, { name: 'Zoom 🔍' }, { name: 'trailing ' }] as unknown as TargetTableDef['columns'],
      indexes: [{ name: 'idx 😀' }] as unknown as TargetTableDef['indexes'],
    });
    const diagnostics: Diagnostic[] = [];
    checkTargetNames(table, mysqlEngine, 'public.Data 📈', undefined, diagnostics);
    expect(diagnostics.map((d) => [d.code, d.severity, d.message, d.hint])).toEqual([
      ['DMS3453', 'error', expect.stringContaining('the table name "Data 📈" has a character outside'), 'rename the table in a table block: `table "Data 📈" -> new_name { … }`'],
      ['DMS3453', 'error', expect.stringContaining('the column name "Zoom 🔍"'), 'rename the column in its table block: `rename "Zoom 🔍" -> new_name`'],
      ['DMS3453', 'error', expect.stringContaining('the column name "trailing " ends with a space'), expect.any(String)],
      ['DMS3453', 'error', expect.stringContaining('the index name "idx 😀"'), expect.stringContaining('rename it on the source')],
    ]);
    for (const target of [postgresEngine, sqliteEngine]) {
      const none: Diagnostic[] = [];
      checkTargetNames(table, target, 'public.Data 📈', undefined, none);
      expect(none).toEqual([]);
    }
  });
});

describe('checkForeignKeyName', () => {
  it('reports a foreign key name MySQL cannot hold (DMS3453), and none elsewhere', () => {
    const on = (target: typeof mysqlEngine) => {
      const diagnostics: Diagnostic[] = [];
      checkForeignKeyName('fkc_to parent 🔗', target, 'public.fkc', undefined, diagnostics);
      return diagnostics.map((d) => [d.code, d.message]);
    };
    expect(on(mysqlEngine)).toEqual([['DMS3453', expect.stringContaining('public.fkc: the foreign key name "fkc_to parent 🔗" has a character outside')]]);
    expect(on(postgresEngine)).toEqual([]);
    expect(on(sqliteEngine)).toEqual([]);
  });
});

describe('checkTargetLabels', () => {
  it('refuses an ENUM or SET column with a label MySQL would trim (DMS3454), with a type rule that keeps the values as text', () => {
    const enumType = (values: string[]) => ({ name: 'enum', params: [], unsigned: false, text: `enum(${values.map((v) => `'${v}'`).join(',')})`, values });
    const table = def({
      name: 'en',
      columns: [
        { name: 'id', type: { name: 'int', params: [], unsigned: false, text: 'int' } },
        { name: 'e', type: enumType(['x ', 'Y', ' lead']) },
        { name: 'ok', type: enumType([' lead', 'a b', 'Y', 'y']) },
      ] as unknown as TargetTableDef['columns'],
    });
    const diagnostics: Diagnostic[] = [];
    checkTargetLabels(table, mysqlEngine, 'public.en', undefined, diagnostics);
    expect(diagnostics.map((d) => [d.code, d.severity, d.message, d.hint])).toEqual([
      ['DMS3454', 'error', expect.stringContaining("public.en.e: the label 'x ' of enum('x ','Y',' lead') ends with a space"), 'keep the column as text with a type rule, e.g. in a types block: column en.e: enum -> varchar(255)'],
    ]);
    const none: Diagnostic[] = [];
    checkTargetLabels(table, postgresEngine, 'public.en', undefined, none);
    expect(none).toEqual([]);
  });
});
