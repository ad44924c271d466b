/**
 * Where the source's functions and triggers go in the graph: functions before the tables (and after
 * the types they may take), triggers after their table's copy, validation, keys and foreign keys;
 * nothing planned for what the target already has as the source defines it.
 */
import { describe, expect, it } from 'vitest';
import type { CheckedPlan, ColumnMapping, TableMapping } from '../../src/check/checked-plan.js';
import { postgresEngine } from '../../src/engines/postgres/index.js';
import { buildGraph } from '../../src/plan/build-graph.js';
import { renderPlanText } from '../../src/plan/render-text.js';
import type { TargetState } from '../../src/plan/target-state.js';
import type { Catalog, RoutineCatalog, TableCatalog, TriggerCatalog } from '../../src/schema/catalog.js';

const int = postgresEngine.types.parseNative('integer')!;

function column(name: string): ColumnMapping {
  const logical = postgresEngine.types.toLogical(int);
  return { target: name, source: { kind: 'column', name, native: int, logical }, targetType: int, targetLogical: logical, conversion: 'none', lossless: true, lossReason: undefined, rule: { origin: 'builtin', text: 'integer -> integer', span: undefined }, mask: undefined };
}

const makeId: RoutineCatalog = { schema: 'app', name: 'make_id', args: '', kind: 'function', qualifiedName: 'app.make_id', definition: 'CREATE OR REPLACE FUNCTION app.make_id()\n RETURNS integer\n LANGUAGE sql\nAS $function$ SELECT 1 $function$\n' };
const touch: TriggerCatalog = { name: 'touch', definition: 'CREATE TRIGGER touch BEFORE UPDATE ON app.parent FOR EACH ROW EXECUTE FUNCTION app.make_id()', tableText: 'app.parent', function: { schema: 'app', name: 'make_id', qualifiedText: 'app.make_id', nameText: 'make_id' } };

function table(name: string, fk?: string): TableMapping {
  return {
    id: `src.app.${name} -> dst.app.${name}`,
    source: { endpoint: 'src', schema: 'app', table: name, rowEstimate: 1000 },
    target: { endpoint: 'dst', schema: 'app', table: name },
    columns: [column('id'), ...(fk ? [column(`${fk}_id`)] : [])],
    where: undefined,
    sourceKey: ['id'],
    chunk: { rows: 100_000, by: 'id' },
    targetDef: {
      schema: 'app',
      name,
      columns: [],
      primaryKey: { name: `${name}_pkey`, columns: ['id'] },
      uniqueKeys: [],
      indexes: [],
      foreignKeys: fk ? [{ name: `${name}_${fk}_fk`, columns: [`${fk}_id`], referencedSchema: 'app', referencedTable: fk, referencedColumns: ['id'], onDelete: 'no_action', onUpdate: 'no_action' }] : [],
      checks: [],
      comment: undefined,
    },
    span: undefined,
    ...(name === 'parent' ? { triggers: [{ trigger: touch, functionSchema: 'app' }] } : {}),
  };
}

const checked: CheckedPlan = {
  migration: { name: 't', mode: 'full_load', workers: 2, validate: 'counts', maxRejects: undefined, onError: 'stop', span: undefined },
  endpoints: [
    { name: 'src', role: 'source', engine: 'postgres', url: { kind: 'env', variable: 'S', fallback: undefined, span: undefined as never }, prepare: 'do_nothing', session: [], tls: undefined },
    { name: 'dst', role: 'target', engine: 'postgres', url: { kind: 'env', variable: 'D', fallback: undefined, span: undefined as never }, prepare: 'do_nothing', session: [], tls: undefined },
  ],
  tables: [table('child', 'parent'), table('parent')],
  notMigrated: [],
  routines: [{ id: 'src.app.make_id() -> dst.app.make_id', source: { endpoint: 'src', schema: 'app', name: 'make_id', args: '' }, target: { endpoint: 'dst', schema: 'app' }, routine: makeId }],
};

function catalog(extra: Partial<Catalog> = {}): Catalog {
  return { engine: 'postgres', database: 'd', serverVersion: '15', schemas: ['app'], tables: [], sequences: [], others: [], ...extra };
}

const state = (target: Catalog): TargetState => ({ catalog: target, completedSteps: new Set(), recordedStepIds: new Set(), startedCopies: new Set(), nonEmptyTables: new Set() });

const build = (target: Catalog) => buildGraph({ checked, planFile: 'p.dmsplan', toolVersion: 'test', targets: new Map([['dst', state(target)]]), sources: new Map([['src', catalog()]]), merges: [] });

describe('function and trigger steps', () => {
  it('makes the function before every table, and the trigger after its table\'s copy, validation and key', () => {
    const g = build(catalog());
    expect(g.diagnostics).toEqual([]);
    const step = (id: string) => g.value.steps.find((s) => s.id === id)!;
    const fn = step('create_function:dst.app.make_id()');
    expect(fn.sql).toEqual([`SET LOCAL check_function_bodies = off; ${makeId.definition}`]);
    expect(step('create_table:dst.app.parent').dependsOn).toContain(fn.id);
    expect(step('create_table:dst.app.child').dependsOn).toContain(fn.id);
    const trigger = step('create_trigger:dst.app.parent:touch');
    expect(trigger.sql).toEqual(['DROP TRIGGER IF EXISTS "touch" ON "app"."parent"; CREATE TRIGGER touch BEFORE UPDATE ON "app"."parent" FOR EACH ROW EXECUTE FUNCTION "app"."make_id"()']);
    expect(trigger.dependsOn).toEqual(expect.arrayContaining([fn.id, 'create_table:dst.app.parent', 'copy:dst.app.parent', 'validate:dst.app.parent', 'add_primary_key:dst.app.parent']));
    expect(g.value.summary).toMatchObject({ routines: 1, triggers: 1 });
    const text = renderPlanText(g.value, { color: false });
    expect(text).toMatch(/\+ function app\.make_id\(\) \(the source's own, made before the tables\)/);
    expect(text).toMatch(/\+ trigger touch \(made once the table is loaded, so it fires on no copied row\)/);
  });

  it('plans nothing for a function the target defines alike, and replaces one it defines otherwise', () => {
    const same = build(catalog({ routines: [makeId] }));
    expect(same.value.steps.filter((s) => s.kind === 'create_function')).toEqual([]);
    const other = build(catalog({ routines: [{ ...makeId, definition: makeId.definition!.replace('SELECT 1', 'SELECT 2') }] }));
    const replaced = other.value.steps.filter((s) => s.kind === 'create_function');
    expect(replaced.map((s) => s.replaces)).toEqual([true]);
    expect(renderPlanText(other.value, { color: false })).toMatch(/~ function app\.make_id\(\) \(the target's definition differs: replaced/);
  });
});
