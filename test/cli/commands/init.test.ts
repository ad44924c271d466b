/**
 * `dmsplan init` writes the source's table names into a comment of the starter plan. A name with a
 * line break (MySQL and PostgreSQL allow one) ended the comment, and the rest of the name became
 * plan text: a table could add statements to the plan. Such characters are written as escapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { starterPlan } from '../../../src/cli/commands/init.js';
import { compilePlan } from '../../../src/ir/load.js';
import type { Catalog, TableCatalog } from '../../../src/schema/catalog.js';

function catalogOf(names: readonly string[], serverVersion = '10.11.19-MariaDB'): Catalog {
  const tables = names.map((name) => ({ schema: 'shop', name, kind: 'table', columns: [], primaryKey: undefined, uniqueKeys: [], indexes: [], foreignKeys: [], checks: [], rowEstimate: 1, comment: undefined }) as unknown as TableCatalog);
  return { engine: 'mysql', database: 'shop', serverVersion, schemas: ['shop'], tables, sequences: [], others: [] };
}

const statements = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith(' ') && l !== '}');

describe('starterPlan', () => {
  it('keeps a table name with a line break inside its comment', () => {
    const text = starterPlan(catalogOf(['evil\nmap src.shop.* -> dst.other.* {\n}', 'ok']), 'shop', 'mysql', 'postgres');
    expect(text).toContain('# 2 tables: evil\\u000amap src.shop.* -> dst.other.* {\\u000a} (~1 rows), ok (~1 rows)');
    expect(statements(text)).toEqual(['migration shop {', 'source src mysql {', 'target dst postgres {', 'map src.shop.* -> dst.*.* {']);
    expect(compilePlan(text, '/plan.dmsplan', () => undefined).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('whatever the names and server version, the plan has its four statements and compiles', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 12 }), (names, version) => {
        const text = starterPlan(catalogOf(names, version), 'shop', 'mysql', 'postgres');
        expect(statements(text)).toEqual(['migration shop {', 'source src mysql {', 'target dst postgres {', 'map src.shop.* -> dst.*.* {']);
        expect(compilePlan(text, '/plan.dmsplan', () => undefined).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      }),
    );
  });
});

describe('init with Oracle', () => {
  it('writes a map per Oracle user, and refuses an Oracle target before connecting', async () => {
    const { initCommand } = await import('../../../src/cli/commands/init.js');
    const oracle: Catalog = { ...catalogOf(['EMPLOYEES', 'DEPARTMENTS']), engine: 'oracle', database: 'FREEPDB1', serverVersion: '23.5.0.24.07', schemas: ['HR'], tables: catalogOf(['EMPLOYEES', 'DEPARTMENTS']).tables.map((t) => ({ ...t, schema: 'HR' })) };
    const text = starterPlan(oracle, 'FREEPDB1', 'oracle', 'postgres');
    expect(statements(text)).toEqual(['migration FREEPDB1 {', 'source src oracle {', 'target dst postgres {', 'map src.HR.* -> dst.*.* {']);
    expect(compilePlan(text, 'init.dmsplan', () => undefined).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => ((stderr += s), true) } } as unknown as Parameters<typeof initCommand>[1];
    expect(await initCommand(['--from', 'sqlite:/nonexistent.db', '--to', 'oracle://app:s3cretpw@127.0.0.1:9/X'], io)).toBe(1);
    expect(stderr).toBe('dmsplan init: oracle cannot be a target yet (DMS3551): dmsplan reads oracle databases but does not write them\n');
  });
});

describe('init with SQL Server', () => {
  it('writes a starter plan from a SQL Server source, one map per schema', () => {
    const catalog: Catalog = { ...catalogOf(['Album', 'Track']), engine: 'sqlserver', database: 'Chinook', serverVersion: 'SQL Server 16.0.4135.4 Developer Edition (64-bit)' };
    const text = starterPlan({ ...catalog, tables: catalog.tables.map((t) => ({ ...t, schema: 'dbo' })) }, 'Chinook', 'sqlserver', 'postgres');
    expect(statements(text)).toEqual(['migration Chinook {', 'source src sqlserver {', 'target dst postgres {', 'map src.dbo.* -> dst.*.* {']);
    expect(text).toContain('  names = snake_case');
    expect(compilePlan(text, '/plan.dmsplan', () => undefined).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('refuses SQL Server as a target before connecting to anything, without the password', async () => {
    const { runCli } = await import('../../support/cli.js');
    const run = await runCli(['init', '--from', 'sqlite:/nonexistent/x.sqlite', '--to', 'sqlserver://sa:Sup3rSecret@127.0.0.1:1/dw']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('dmsplan init: sqlserver cannot be a target in this build yet (sqlserver://sa:***@127.0.0.1:1/dw)\n');
  });
});
