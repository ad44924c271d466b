/**
 * The steps that make the source's own functions and procedures on a target of its dialect — before
 * the tables, whose defaults, checks and index expressions may call them — and a copied table's
 * triggers, after its copy, validation and keys (made before, they would fire on every copied row).
 * A function the target already has as the source defines it, or a trigger a table the plan does
 * not make again already has, is left alone: a second plan after the run has nothing to do.
 */
import type { CheckedPlan, RoutineMapping } from '../check/checked-plan.js';
import { findEngine } from '../engines/registry.js';
import type { RoutineCatalog } from '../schema/catalog.js';
import { fingerprint } from './fingerprint.js';
import { stepIdIsOnTable, targetTableRef, type Step, type StepKind } from './graph.js';
import { schemaStepFor } from './schema-step.js';
import type { TargetState } from './target-state.js';

/** Whether two definitions (pg_get_functiondef) are one but for the schema their names print. */
export function sameRoutineDefinition(a: RoutineCatalog, b: RoutineCatalog): boolean {
  const after = (r: RoutineCatalog) => {
    const definition = r.definition ?? '';
    const at = definition.indexOf(`${r.qualifiedName}(`);
    return at < 0 ? undefined : [definition.slice(0, at), definition.slice(at + r.qualifiedName.length)];
  };
  const [x, y] = [after(a), after(b)];
  return x !== undefined && y !== undefined && x[0] === y[0] && x[1] === y[1];
}

export function routineStepId(r: RoutineMapping): string {
  return `create_function:${r.target.endpoint}.${r.target.schema}.${r.source.name}(${r.source.args})`;
}

/** Adds the routines' steps to `steps`; returns how many it makes or replaces. */
export function planRoutines(checked: CheckedPlan, targets: ReadonlyMap<string, TargetState>, steps: Step[]): number {
  let planned = 0;
  for (const r of checked.routines ?? []) {
    const endpoint = checked.endpoints.find((e) => e.name === r.target.endpoint);
    const engine = endpoint ? findEngine(endpoint.engine) : undefined;
    const state = targets.get(r.target.endpoint);
    if (!engine?.dialect.createRoutine || !state) continue;
    const existing = state.catalog.routines?.find((x) => x.schema === r.target.schema && x.name === r.source.name && x.args === r.source.args);
    if (existing && sameRoutineDefinition(existing, r.routine)) continue;
    const schemaStep = schemaStepFor(engine, state, r.target.endpoint, r.target.schema, steps);
    const sql = engine.dialect.createRoutine(r.routine, r.target.schema);
    steps.push({
      id: routineStepId(r),
      kind: 'create_function',
      endpoint: r.target.endpoint,
      table: undefined,
      sql,
      dependsOn: schemaStep ? [schemaStep] : [],
      fingerprint: fingerprint({ kind: 'create_function', sql }),
      summary: `${r.routine.kind} ${r.target.schema}.${r.source.name}(${r.source.args})`,
      ...(existing ? { replaces: true } : {}),
    });
    planned++;
  }
  return planned;
}

/** Steps whose objects may call a function the plan makes: they wait for every such function of their target. */
const CALLS_FUNCTIONS: ReadonlySet<StepKind> = new Set(['create_table', 'add_primary_key', 'add_unique_key', 'create_index', 'create_view']);

/** What a table's triggers wait for: its rows, their validation, its keys and indexes. */
const BEFORE_TRIGGERS: ReadonlySet<StepKind> = new Set(['create_table', 'copy', 'validate', 'add_primary_key', 'add_unique_key', 'create_index', 'add_foreign_key', 'reset_identity', 'map_keys']);

/**
 * Adds the copied tables' trigger steps to `steps`, and makes every step that may call a function
 * of the plan wait for those of its target; returns how many triggers it makes.
 */
export function planTriggers(checked: CheckedPlan, targets: ReadonlyMap<string, TargetState>, steps: Step[]): number {
  const ofKind = (kind: StepKind, endpoint: string) => steps.filter((s) => s.kind === kind && s.endpoint === endpoint).map((s) => s.id);
  for (const [i, step] of steps.entries()) {
    // A function's arguments and result may be of the enums and domains the plan makes (their
    // types must exist when it is made, its body unchecked or not); a domain's check calling a
    // function of the plan is the rarer case left to fail.
    const waitsFor = CALLS_FUNCTIONS.has(step.kind) ? ofKind('create_function', step.endpoint) : step.kind === 'create_function' ? ofKind('create_types', step.endpoint) : [];
    const extra = waitsFor.filter((id) => !step.dependsOn.includes(id));
    if (extra.length) steps[i] = { ...step, dependsOn: [...step.dependsOn, ...extra] };
  }
  let planned = 0;
  for (const table of checked.tables) {
    if (!table.triggers?.length) continue;
    const endpoint = checked.endpoints.find((e) => e.name === table.target.endpoint);
    const engine = endpoint ? findEngine(endpoint.engine) : undefined;
    const state = targets.get(table.target.endpoint);
    if (!engine?.dialect.createTrigger || !state) continue;
    const qname = { schema: table.target.schema, name: table.target.table };
    // A table the plan makes (again) has none of its triggers yet; one it keeps may have them.
    const ref = targetTableRef(table.target);
    const onTable = (s: Step) => stepIdIsOnTable(s.id, ref);
    const madeHere = steps.some((s) => onTable(s) && s.kind === 'create_table');
    const existing = madeHere ? undefined : state.catalog.tables.find((t) => t.schema === (table.target.schema ?? t.schema) && t.name === table.target.table);
    const after = steps.filter((s) => (onTable(s) && BEFORE_TRIGGERS.has(s.kind)) || (s.kind === 'create_function' && s.endpoint === table.target.endpoint)).map((s) => s.id);
    for (const t of table.triggers) {
      const sql = engine.dialect.createTrigger(t.trigger, qname, t.functionSchema);
      const there = existing?.triggers?.find((x) => x.name === t.trigger.name);
      if (there && engine.dialect.createTrigger(there, qname, there.function.schema).join('\n') === sql.join('\n')) continue;
      steps.push({
        id: `create_trigger:${ref}:${t.trigger.name}`,
        kind: 'create_trigger',
        endpoint: table.target.endpoint,
        table: table.id,
        sql,
        dependsOn: after,
        fingerprint: fingerprint({ kind: 'create_trigger', sql, table: table.id }),
        summary: t.trigger.name,
        ...(there ? { replaces: true } : {}),
      });
      planned++;
    }
  }
  return planned;
}
