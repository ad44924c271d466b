/**
 * The steps that make views again (`views = recreate`), after the tables of the graph are
 * planned. A view is made when the target lacks it or has another definition under its name, and
 * also when a table it reads is created or dropped by this graph (dropping a table drops the views
 * reading it); otherwise it is left as it is, so a second plan has nothing to do.
 */
import type { CheckedPlan, ViewMapping } from '../check/checked-plan.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { findEngine } from '../engines/registry.js';
import type { ViewDefinition } from '../schema/catalog.js';
import { fingerprint } from './fingerprint.js';
import type { Step } from './graph.js';
import { schemaStepFor } from './schema-step.js';
import { findTargetTable, type TargetState } from './target-state.js';

/**
 * Whether the target's view (`existing`) is the one planned. A planned view without a DEFINER is
 * defined by whoever makes it (DMS3520): any definer on the target will do.
 */
function sameDefinition(existing: ViewDefinition, planned: ViewDefinition): boolean {
  const definer = planned.definer === undefined || (existing.definer?.user === planned.definer.user && existing.definer.host === planned.definer.host);
  return (
    existing.query === planned.query &&
    existing.searchPath === planned.searchPath &&
    existing.checkOption === planned.checkOption &&
    existing.securityBarrier === planned.securityBarrier &&
    (existing.materialized ?? false) === (planned.materialized ?? false) &&
    sameIndexes(existing.indexes ?? [], planned.indexes ?? []) &&
    (existing.algorithm ?? 'UNDEFINED') === (planned.algorithm ?? 'UNDEFINED') &&
    existing.security === planned.security &&
    definer
  );
}

function sameIndexes(a: NonNullable<ViewDefinition['indexes']>, b: NonNullable<ViewDefinition['indexes']>): boolean {
  return a.length === b.length && a.every((x, i) => x.name === b[i]!.name && x.unique === b[i]!.unique && x.using === b[i]!.using);
}

export function viewStepId(view: ViewMapping): string {
  return `create_view:${view.target.endpoint}.${view.target.schema ? `${view.target.schema}.` : ''}${view.target.name}`;
}

/**
 * Adds the views' steps to `steps` (each after what it reads); returns how many views it makes and
 * how many materialized views it refreshes.
 */
export function planViews(checked: CheckedPlan, targets: ReadonlyMap<string, TargetState>, steps: Step[], diagnostics: Diagnostic[]): { readonly made: number; readonly refreshed: number } {
  let made = 0;
  let refreshed = 0;
  const madeIds = new Set<string>();
  const refreshIds = new Set<string>();
  for (const view of checked.views ?? []) {
    const endpoint = checked.endpoints.find((e) => e.name === view.target.endpoint);
    const engine = endpoint ? findEngine(endpoint.engine) : undefined;
    const state = targets.get(view.target.endpoint);
    if (!engine?.dialect.createView || !state) continue;
    const qualified = `${view.target.schema ? `${view.target.schema}.` : ''}${view.target.name}`;
    const existing = findTargetTable(state.catalog, view.target.schema, view.target.name);
    if (existing && existing.kind !== 'view') {
      diagnostics.push(error('DMS4005', `view ${view.source.schema}.${view.source.name} is to be made as ${qualified} on ${view.target.endpoint}, where a table of that name stands`, view.span, 'rename or drop that table on the target, or leave the view out (`exclude` in the map)'));
      continue;
    }
    const tableSteps = steps.filter((s) => s.table !== undefined && view.readsTables.includes(s.table) && (s.kind === 'create_table' || s.kind === 'drop_table'));
    const viewSteps = view.readsViews.map((id) => checked.views!.find((v) => v.id === id)).filter((v) => v !== undefined && madeIds.has(viewStepId(v))).map((v) => viewStepId(v!));
    // Made by an earlier run from this very definition: another server version prints the same
    // query in other words (PostgreSQL 16+ drops the table names of a one-table view's columns).
    const stepFingerprint = fingerprint({ kind: 'create_view', view: view.id, definition: view.definition });
    const unchanged = existing?.kind === 'view' && ((existing.view !== undefined && sameDefinition(existing.view, view.definition)) || state.completedSteps.has(stepFingerprint));
    const refresh = () => {
      if (!view.definition.materialized || view.definition.populated === false || !engine.dialect.refreshMaterializedView) return;
      const loads = loadSteps(checked, view, steps);
      const created = madeIds.has(viewStepId(view));
      // Filled already, from rows that stay as they are: nothing to do (a second plan after the run).
      if (!created && loads.length === 0 && existing?.view?.populated !== false) return;
      const id = `refresh_materialized_view:${view.target.endpoint}.${qualified}`;
      steps.push({
        id,
        kind: 'refresh_materialized_view',
        endpoint: view.target.endpoint,
        table: undefined,
        sql: engine.dialect.refreshMaterializedView({ schema: view.target.schema, name: view.target.name }),
        dependsOn: [...(created ? [viewStepId(view)] : []), ...loads, ...refreshesRead(checked, view, refreshIds)],
        fingerprint: fingerprint({ kind: 'refresh_materialized_view', view: view.id }),
        summary: qualified,
      });
      refreshIds.add(id);
      refreshed++;
    };
    if (unchanged && tableSteps.length === 0 && viewSteps.length === 0) {
      refresh();
      continue;
    }
    // A schema holding views only: no table step made it.
    const schemaStep = schemaStepFor(engine, state, view.target.endpoint, view.target.schema, steps);
    const sql = engine.dialect.createView({ schema: view.target.schema, name: view.target.name }, view.definition, existing !== undefined);
    const id = viewStepId(view);
    steps.push({
      id,
      kind: 'create_view',
      endpoint: view.target.endpoint,
      table: undefined,
      sql,
      dependsOn: [...(schemaStep ? [schemaStep] : []), ...tableSteps.filter((s) => s.kind === 'create_table').map((s) => s.id), ...viewSteps],
      fingerprint: stepFingerprint,
      summary: qualified,
      ...(existing !== undefined ? { replaces: true } : {}),
    });
    madeIds.add(id);
    made++;
    refresh();
  }
  return { made, refreshed };
}

/** The views a view reads, and the views they read, at every depth. */
function viewsReadBy(checked: CheckedPlan, view: ViewMapping): ViewMapping[] {
  const out: ViewMapping[] = [];
  const visit = (v: ViewMapping) => {
    for (const id of v.readsViews) {
      const read = checked.views?.find((x) => x.id === id);
      if (read && !out.includes(read)) {
        out.push(read);
        visit(read);
      }
    }
  };
  visit(view);
  return out;
}

/**
 * The steps of this graph that load or index a table a materialized view reads, directly or
 * through views: its refresh reads their rows, so it comes after them.
 */
function loadSteps(checked: CheckedPlan, view: ViewMapping, steps: readonly Step[]): string[] {
  const tables = new Set([view, ...viewsReadBy(checked, view)].flatMap((v) => v.readsTables));
  return steps.filter((s) => s.table !== undefined && tables.has(s.table) && LOADS.has(s.kind)).map((s) => s.id);
}

const LOADS: ReadonlySet<Step['kind']> = new Set(['copy', 'map_keys', 'add_primary_key', 'add_unique_key', 'create_index']);

/** The refreshes of this graph of materialized views the view reads (directly or through views), planned before it. */
function refreshesRead(checked: CheckedPlan, view: ViewMapping, refreshIds: ReadonlySet<string>): string[] {
  return viewsReadBy(checked, view)
    .map((v) => `refresh_materialized_view:${v.target.endpoint}.${v.target.schema ? `${v.target.schema}.` : ''}${v.target.name}`)
    .filter((id) => refreshIds.has(id));
}
