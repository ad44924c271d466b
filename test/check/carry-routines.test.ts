/**
 * Which functions, procedures and triggers of a PostgreSQL source a plan makes on its target: those
 * of the schemas mapped, onto a PostgreSQL-family target only; what it cannot make is listed (DMS3462),
 * and DMS3447 refuses only a function neither the target has nor the plan makes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { retargetCalls, whyNotCarried } from '../../src/check/carry-routines.js';
import { checkPlan } from '../../src/check/check-plan.js';
import { postgresEngine } from '../../src/engines/postgres/index.js';
import { compilePlan } from '../../src/ir/load.js';
import type { Catalog, ColumnCatalog, RoutineCatalog, TableCatalog } from '../../src/schema/catalog.js';
import { builtinTypeRules } from '../../src/types/prelude.js';

function column(name: string, type: string, extra: Partial<ColumnCatalog> = {}): ColumnCatalog {
  const nativeType = postgresEngine.types.parseNative(type)!;
  return { name, ordinal: 1, nativeType, logical: postgresEngine.types.toLogical(nativeType), nullable: false, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, collation: undefined, charset: undefined, comment: undefined, ...extra };
}

const routine = (schema: string, name: string, kind: RoutineCatalog['kind'] = 'function'): RoutineCatalog => ({
  schema,
  name,
  args: '',
  kind,
  qualifiedName: `${schema}.${name}`,
  ...(kind === 'function' || kind === 'procedure' ? { definition: `CREATE OR REPLACE FUNCTION ${schema}.${name}()\n RETURNS text\n LANGUAGE sql\nAS $function$ SELECT 'x' $function$\n` } : {}),
});

const notes: TableCatalog = {
  schema: 'app',
  name: 'notes',
  kind: 'table',
  columns: [column('id', 'text', { default: { kind: 'expression', sql: 'app.make_id()' } }), column('slug', 'text')],
  primaryKey: { name: 'notes_pkey', columns: ['id'] },
  uniqueKeys: [],
  indexes: [],
  foreignKeys: [],
  checks: [{ name: 'notes_slug_check', expression: 'CHECK (app.is_slug(slug))' }],
  rowEstimate: 10,
  comment: undefined,
  triggers: [{ name: 'notes_touch', definition: 'CREATE TRIGGER notes_touch BEFORE UPDATE ON app.notes FOR EACH ROW EXECUTE FUNCTION app.touch()', tableText: 'app.notes', function: { schema: 'app', name: 'touch', qualifiedText: 'app.touch', nameText: 'touch' } }],
};

const source: Catalog = {
  engine: 'postgres',
  database: 'src',
  serverVersion: '15.4',
  schemas: ['app', 'util'],
  tables: [notes],
  sequences: [],
  others: [
    { schema: 'app', name: 'is_slug', kind: 'function' },
    { schema: 'app', name: 'longest', kind: 'function' },
    { schema: 'app', name: 'make_id', kind: 'function' },
    { schema: 'app', name: 'notes_touch', kind: 'trigger' },
    { schema: 'app', name: 'touch', kind: 'function' },
    { schema: 'util', name: 'helper', kind: 'function' },
  ],
  functions: [{ name: 'gen_random_uuid' }, { name: 'helper' }, { name: 'is_slug' }, { name: 'longest' }, { name: 'make_id' }, { name: 'touch' }, { name: 'uuid_generate_v4', extension: 'uuid-ossp' }],
  routines: [routine('app', 'is_slug'), routine('app', 'longest', 'aggregate'), routine('app', 'make_id'), routine('app', 'touch'), routine('util', 'helper')],
};

const emptyTarget = (engine: 'postgres' | 'mysql'): Catalog => ({ engine, database: 'dst', serverVersion: engine === 'postgres' ? '15.4' : '8.0.36', schemas: [], tables: [], sequences: [], others: [], ...(engine === 'postgres' ? { functions: [], routines: [] } : {}) });

function check(targetEngine: 'postgres' | 'mysql', options: { readonly mode?: string; readonly sourceCatalog?: Catalog; readonly targetSchema?: string } = {}) {
  const text = `migration m {\n  mode = ${options.mode ?? 'full_load'}\n}\nsource src postgres {\n  url = env("S")\n}\ntarget dst ${targetEngine} {\n  url = env("D")\n}\nmap src.app.* -> dst.${options.targetSchema ?? 'app'}.* {\n}\n`;
  const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
  expect(ir.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return checkPlan({ ir: ir.value!, catalogs: new Map([['src', options.sourceCatalog ?? source], ['dst', emptyTarget(targetEngine)]]), builtinRules: builtinTypeRules });
}

describe('carrying a PostgreSQL source\'s functions and triggers', () => {
  it('makes the mapped schema\'s functions on a PostgreSQL target, into the schema the map names, and the table\'s trigger with them', () => {
    const r = check('postgres', { targetSchema: 'shop' });
    expect(r.diagnostics.filter((d) => d.code === 'DMS3447')).toEqual([]);
    expect(r.value.routines?.map((x) => `${x.target.schema}.${x.source.name}`)).toEqual(['shop.is_slug', 'shop.make_id', 'shop.touch']);
    expect(r.value.tables[0]!.triggers).toEqual([{ trigger: notes.triggers![0], functionSchema: 'shop' }]);
    // Made, so not listed; the aggregate is, with its reason; util is not mapped: nothing of it is listed.
    expect(r.value.notMigrated.map((n) => `${n.name}: ${n.reason}`)).toEqual(['longest: aggregate function: not migrated (create it on the target by hand)']);
    expect(r.diagnostics.filter((d) => d.code === 'DMS3462').map((d) => d.message)).toEqual(['aggregate function app.longest() is not made on dst: aggregates and window functions are not migrated']);
  });

  it('makes nothing on a MySQL target: the functions and the trigger stay listed as not migrated', () => {
    const r = check('mysql');
    expect(r.value.routines).toBeUndefined();
    expect(r.value.tables[0]!.triggers).toBeUndefined();
    expect(r.value.notMigrated.map((n) => `${n.kind} ${n.name}`).sort()).toEqual(['function is_slug', 'function longest', 'function make_id', 'function touch', 'trigger notes_touch']);
  });

  it('leaves the trigger out while changes are followed, and says why (DMS3462); the functions are still made', () => {
    const r = check('postgres', { mode: 'full_load_and_cdc' });
    expect(r.value.routines).toHaveLength(3);
    expect(r.value.tables[0]!.triggers).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.code === 'DMS3462').map((d) => d.message)).toContainEqual(expect.stringMatching(/^trigger notes_touch of app\.notes is not made on dst: changes are followed after the load/));
    expect(r.value.notMigrated.map((n) => n.name)).toContain('notes_touch');
  });

  it('still refuses a function of an extension, or of a schema the plan does not map, that the target lacks (DMS3447)', () => {
    const calling = { ...notes, columns: [column('id', 'text', { default: { kind: 'expression' as const, sql: 'uuid_generate_v4()' } }), column('slug', 'text', { default: { kind: 'expression' as const, sql: 'util.helper()' } })] };
    const r = check('postgres', { sourceCatalog: { ...source, tables: [calling] } });
    expect(r.diagnostics.filter((d) => d.code === 'DMS3447').map((d) => d.message)).toEqual([
      expect.stringContaining('uses uuid_generate_v4() in a default, check or index, which the extension uuid-ossp brings on the source'),
      expect.stringContaining('uses helper() in a default, check or index, which the source database defines'),
    ]);
  });

  it('leaves out a trigger whose function is in a schema no map selects and the target lacks, or whose table has a column renamed (DMS3462)', () => {
    const elsewhere = { ...notes, triggers: [{ ...notes.triggers![0]!, function: { schema: 'util', name: 'helper', qualifiedText: 'util.helper', nameText: 'helper' } }] };
    const r = check('postgres', { sourceCatalog: { ...source, tables: [elsewhere] } });
    expect(r.value.tables[0]!.triggers).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.code === 'DMS3462').map((d) => d.message)).toContainEqual('trigger notes_touch of app.notes is not made on dst: its function util.helper() is in a schema the plan does not map, and the target lacks it');
    const text = `source src postgres {\n  url = env("S")\n}\ntarget dst postgres {\n  url = env("D")\n}\nmap src.app.* -> dst.app.* {\n  table notes {\n    rename slug -> handle\n  }\n}\n`;
    const renamed = checkPlan({ ir: compilePlan(text, '/plan.dmsplan', () => undefined).value!, catalogs: new Map([['src', source], ['dst', emptyTarget('postgres')]]), builtinRules: builtinTypeRules });
    expect(renamed.value.tables[0]!.triggers).toBeUndefined();
    expect(renamed.diagnostics.filter((d) => d.code === 'DMS3462').map((d) => d.message)).toContainEqual(expect.stringMatching(/^trigger notes_touch of app\.notes is not made on dst: a column of the table is renamed or dropped/));
  });

  it('writes the calls of the functions it makes into a renamed schema with that schema, in defaults and checks', () => {
    const def = check('postgres', { targetSchema: 'Shop' }).value.tables[0]!.targetDef;
    expect(def.columns[0]!.default).toEqual({ kind: 'expression', sql: '"Shop".make_id()' });
    expect(def.checks.map((c) => c.expression)).toEqual(['CHECK ("Shop".is_slug(slug))']);
    expect(check('postgres').value.tables[0]!.targetDef.checks.map((c) => c.expression)).toEqual(['CHECK (app.is_slug(slug))']);
  });
});

describe('retargetCalls', () => {
  const where = (schema: string, name: string) => (schema === 'App' && name === 'f' ? 'shop' : schema === 'app' && name === 'g' ? 'app' : undefined);
  it('rewrites the schema of a call the plan makes elsewhere, quoted or not, and nothing else', () => {
    expect(retargetCalls('"App".f(x) + "App".f (y) + app.f(z) + app.g(1) + other.f(2) + "App".fx(3) + lower(t)', where)).toBe('"shop".f(x) + "shop".f (y) + app.f(z) + app.g(1) + other.f(2) + "App".fx(3) + lower(t)');
  });
});

describe('functions carried only where they can be made before the tables', () => {
  const withBody = (language: string, body: string): RoutineCatalog => ({ ...routine('app', 'f'), language, definition: `CREATE OR REPLACE FUNCTION app.f(integer)\n RETURNS integer\n LANGUAGE ${language}\n${body}\n` });

  it('carries SQL and PL/pgSQL bodies given as text, not SQL-standard bodies', () => {
    expect(whyNotCarried(withBody('sql', 'AS $function$select $1$function$'))).toBeUndefined();
    expect(whyNotCarried(withBody('plpgsql', 'AS $function$begin return 1; end$function$'))).toBeUndefined();
    // A text body may hold the words themselves.
    expect(whyNotCarried(withBody('sql', "AS $function$\nRETURN 1\nBEGIN ATOMIC\n$function$"))).toBeUndefined();
    expect(whyNotCarried(withBody('sql', 'RETURN ($1 + 1)'))).toMatch(/SQL-standard body/);
    expect(whyNotCarried(withBody('sql', 'BEGIN ATOMIC\n SELECT ($1 + 2);\nEND'))).toMatch(/SQL-standard body/);
    // A catalog saved before languages were read: carried as before.
    expect(whyNotCarried(routine('app', 'f'))).toBeUndefined();
  });

  it('leaves every other language to be made by hand', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/).filter((l) => l !== 'sql' && l !== 'plpgsql'), (language) => {
        expect(whyNotCarried(withBody(language, 'AS $function$x$function$'))).toBe(`it is written in ${language}, which the target may not have`);
      }),
    );
  });
});
