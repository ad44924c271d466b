// `views = recreate` in the checker: which views can be made again on the target, and in what order.
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/check/check-plan.js';
import { postgresEngine } from '../../src/engines/postgres/index.js';
import { compilePlan } from '../../src/ir/load.js';
import type { Catalog, ColumnCatalog, TableCatalog, ViewDefinition } from '../../src/schema/catalog.js';
import { builtinTypeRules } from '../../src/types/prelude.js';

function column(name: string, type = 'integer'): ColumnCatalog {
  const nativeType = postgresEngine.types.parseNative(type)!;
  return { name, ordinal: 1, nativeType, logical: postgresEngine.types.toLogical(nativeType), nullable: true, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, collation: undefined, charset: undefined, comment: undefined };
}

function table(name: string, columns: readonly string[]): TableCatalog {
  return { schema: 'public', name, kind: 'table', columns: columns.map((c) => column(c)), primaryKey: { name: `${name}_pkey`, columns: [columns[0]!] }, uniqueKeys: [], indexes: [], foreignKeys: [], checks: [], rowEstimate: 10, comment: undefined };
}

function view(name: string, reads: ViewDefinition['reads'], functions: readonly string[] = []): TableCatalog {
  const definition: ViewDefinition = { query: `SELECT 1 /* ${name} */`, searchPath: '"$user", public', checkOption: undefined, securityBarrier: false, reads, functions };
  return { ...table(name, ['x']), kind: 'view', primaryKey: undefined, view: definition };
}

const source: Catalog = {
  engine: 'postgres',
  database: 'app',
  serverVersion: '15',
  schemas: ['public'],
  tables: [
    table('orders', ['id', 'total', 'secret']),
    table('notes', ['id', 'body']),
    // Listed first: readers are ordered after what they read whatever the catalog's order.
    view('top', [{ schema: 'public', name: 'totals', columns: ['n'] }]),
    view('totals', [{ schema: 'public', name: 'orders', columns: ['id', 'total'] }]),
    view('leaky', [{ schema: 'public', name: 'orders', columns: ['secret'] }]),
    view('above_leaky', [{ schema: 'public', name: 'leaky', columns: ['x'] }]),
    view('noted', [{ schema: 'public', name: 'notes', columns: ['body'] }]),
    view('hashed', [{ schema: 'public', name: 'orders', columns: ['id'] }], ['public.my_hash']),
  ],
  sequences: [],
  others: [],
  functions: [{ name: 'my_hash' }],
};

function check(target: string, body: string, targetCatalog: Partial<Catalog> = {}, views = 'recreate') {
  const text = `source src postgres {\n  url = env("S")\n}\ntarget dst ${target} {\n  url = env("D")\n}\nmap src.public.* -> dst.public.* {\n  views = ${views}\n${body}\n}\n`;
  const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
  expect(ir.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const targetCat: Catalog = { engine: 'postgres', database: 'dw', serverVersion: '15', schemas: ['public'], tables: [], sequences: [], others: [], functions: [], ...targetCatalog };
  return checkPlan({ ir: ir.value!, catalogs: new Map([['src', source], ['dst', targetCat]]), builtinRules: builtinTypeRules });
}

describe('views = recreate', () => {
  it('makes views whose reads stand on the target unrenamed, readers after what they read', () => {
    const r = check('postgres', '  table orders {\n    drop secret\n  }\n  exclude notes');
    expect(r.value.views?.map((v) => v.source.name)).toEqual(['totals', 'top']);
    expect(r.value.views?.find((v) => v.source.name === 'top')?.readsViews).toEqual(['src.public.totals -> dst.public.totals']);
    expect(r.value.views?.find((v) => v.source.name === 'totals')?.readsTables).toEqual(['src.public.orders -> dst.public.orders']);
    const left = r.diagnostics.filter((d) => d.code === 'DMS3461').map((d) => d.message);
    expect(left).toEqual(
      expect.arrayContaining([
        'view public.leaky is not made again on dst: it reads secret of public.orders, which the plan drops or renames there',
        'view public.above_leaky is not made again on dst: it reads view public.leaky, which is not made again',
        'view public.noted is not made again on dst: it reads public.notes, which the plan does not put on the target under that name',
        'view public.hashed is not made again on dst: it calls public.my_hash(), which the target database lacks (and the plan does not make)',
      ]),
    );
    expect(left).toHaveLength(4);
    expect(r.value.notMigrated.filter((n) => n.kind === 'view').map((n) => n.name).sort()).toEqual(['above_leaky', 'hashed', 'leaky', 'noted']);
  });

  it('takes a relation the target already has, and a function it has', () => {
    const r = check('postgres', '  exclude notes', { tables: [table('notes', ['id', 'body'])], functions: [{ name: 'my_hash' }] });
    expect(r.value.views?.map((v) => v.source.name).sort()).toEqual(['above_leaky', 'hashed', 'leaky', 'noted', 'top', 'totals']);
    expect(r.diagnostics.filter((d) => d.code === 'DMS3461')).toEqual([]);
  });

  it('refuses it into another dialect, once per map', () => {
    const r = check('mysql', '');
    expect(r.diagnostics.filter((d) => d.code === 'DMS3460')).toHaveLength(1);
    expect(r.value.views ?? []).toEqual([]);
  });

  it('lists views left out into another dialect with a hint that works there (not views = recreate)', () => {
    const into = check('mysql', '', {}, 'exclude').value.notMigrated.find((n) => n.name === 'top');
    expect(into?.reason).toBe("view (mysql cannot run a postgres view's query: write `views = include` to copy its rows into a table, or create it on the target by hand)");
    const same = check('postgres', '', {}, 'exclude').value.notMigrated.find((n) => n.name === 'top');
    expect(same?.reason).toMatch(/write `views = recreate`/);
  });

  it('counts a map that selects only views as selecting something', () => {
    const r = check('postgres', '  exclude orders\n  exclude notes');
    expect(r.diagnostics.map((d) => d.code)).not.toContain('DMS3401');
  });
});

describe('materialized views', () => {
  const populated = (name: string, isPopulated: boolean): TableCatalog => {
    const v = view(name, [{ schema: 'public', name: 'orders', columns: ['id'] }]);
    return { ...v, view: { ...v.view!, materialized: true, populated: isPopulated, indexes: [] } };
  };
  const withMatviews: Catalog = { ...source, tables: [table('orders', ['id', 'total', 'secret']), populated('full', true), populated('unfilled', false)] };
  const checkInclude = () => {
    const text = 'source src postgres {\n  url = env("S")\n}\ntarget dst postgres {\n  url = env("D")\n}\nmap src.public.* -> dst.public.* {\n  views = include\n}\n';
    const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
    const targetCat: Catalog = { engine: 'postgres', database: 'dw', serverVersion: '15', schemas: ['public'], tables: [], sequences: [], others: [], functions: [] };
    return checkPlan({ ir: ir.value!, catalogs: new Map([['src', withMatviews], ['dst', targetCat]]), builtinRules: builtinTypeRules });
  };

  it('copies the rows of one that holds them with views = include, and leaves out one never refreshed (reading it fails)', () => {
    const r = checkInclude();
    expect(r.value.tables.map((t) => t.source.table).sort()).toEqual(['full', 'orders']);
    expect(r.value.notMigrated).toEqual([expect.objectContaining({ name: 'unfilled', kind: 'materialized_view', reason: expect.stringMatching(/holds no rows on the source/) })]);
  });
});
