/**
 * `views = recreate`: which views can be made again on the target from their definitions. A view's
 * query names the relations it reads as the source does, so it runs again only where each of them
 * stands on the target under the same schema and name, with the columns it reads: a table this
 * plan copies there unrenamed, another view it makes again, or a relation the target already has.
 * A view that cannot is reported (DMS3461) and listed as not migrated; the rest are ordered so
 * that a view comes after every view it reads.
 */
import { error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { EngineModule } from '../engines/contract.js';
import type { MapIR } from '../ir/ir.js';
import type { Catalog, TableCatalog, ViewDefinition } from '../schema/catalog.js';
import type { CheckedPlan, TableMapping, ViewMapping } from './checked-plan.js';
import { sameDialect } from './target-table.js';

export interface ViewCandidate {
  readonly map: MapIR;
  readonly view: TableCatalog;
  readonly sourceEndpoint: string;
  readonly targetEndpoint: string;
  readonly source: EngineModule;
  readonly target: EngineModule;
  readonly targetSchema: string | undefined;
  readonly targetName: string;
  readonly targetCatalog: Catalog | undefined;
  /** Functions (by name) the plan makes on the target before its views. */
  readonly madeFunctions?: ReadonlySet<string>;
}

type NotMigrated = CheckedPlan['notMigrated'][number];


export function recreateViews(candidates: readonly ViewCandidate[], tables: readonly TableMapping[], diagnostics: Diagnostic[]): { readonly views: readonly ViewMapping[]; readonly notMigrated: readonly NotMigrated[] } {
  const refused = new Set<MapIR>();
  const notMigratedHere: NotMigrated[] = [];
  const usable = candidates.filter((c) => {
    if (c.view.view && sameDialect(c.source, c.target) && c.target.dialect.createView) return true;
    if (sameDialect(c.source, c.target) && c.target.dialect.createView) {
      // The server printed no query: MySQL does so to a user without SHOW VIEW on it.
      diagnostics.push(warning('DMS3461', `${c.view.view?.materialized ? 'materialized view' : 'view'} ${c.view.schema}.${c.view.name} is not made again on ${c.targetEndpoint}: ${c.sourceEndpoint} gives no definition of it to the user dmsplan reads as`, c.map.span, 'grant that user SHOW VIEW on the view, or create it on the target by hand'));
      notMigratedHere.push({ endpoint: c.sourceEndpoint, schema: c.view.schema, name: c.view.name, kind: 'view', reason: 'not made again: the source gives no definition of it' });
      return false;
    }
    if (!refused.has(c.map)) {
      refused.add(c.map);
      diagnostics.push(
        error(
          'DMS3460',
          `views = recreate: ${c.source.name} → ${c.target.name} views cannot be made again from their definitions (only between engines of one SQL dialect: PostgreSQL and PGlite, or MySQL and MariaDB)`,
          c.map.span,
          'write `views = include` to copy their rows into tables, or `views = exclude` and create them on the target by hand',
        ),
      );
    }
    return false;
  });

  const idOf = (c: ViewCandidate) => `${c.sourceEndpoint}.${c.view.schema}.${c.view.name} -> ${c.targetEndpoint}.${c.targetSchema ? `${c.targetSchema}.` : ''}${c.targetName}`;
  const reasons = new Map<ViewCandidate, string>();
  const readsOf = new Map<ViewCandidate, { tables: string[]; views: ViewCandidate[] }>();
  /** Per view whose query names databases (MySQL family): the target database of each relation it reads. */
  const targetSchemas = new Map<ViewCandidate, Map<string, string | undefined>>();
  for (const c of usable) {
    const reads = { tables: [] as string[], views: [] as ViewCandidate[] };
    readsOf.set(c, reads);
    // A query that names every table's database is written again with the target's (retargetView);
    // otherwise what it reads must stand on the target under the source's schema names.
    const retargets = c.target.dialect.retargetView !== undefined;
    const schemas = new Map<string, string | undefined>();
    targetSchemas.set(c, schemas);
    const at = (schema: string | undefined, name: string) => `${schema ? `${schema}.` : ''}${name}`;
    for (const r of c.view.view!.reads) {
      const fromHere = (t: { source: { endpoint: string }; target: { endpoint: string } }) => t.source.endpoint === c.sourceEndpoint && t.target.endpoint === c.targetEndpoint;
      const table = tables.find((t) => fromHere(t) && t.source.schema === r.schema && t.source.table === r.name);
      const view = usable.find((v) => v !== c && v.sourceEndpoint === c.sourceEndpoint && v.targetEndpoint === c.targetEndpoint && v.view.schema === r.schema && v.view.name === r.name);
      const placed = table ? { schema: table.target.schema, name: table.target.table } : view ? { schema: view.targetSchema, name: view.targetName } : undefined;
      if (placed && (placed.name !== r.name || (!retargets && (placed.schema ?? '') !== r.schema))) {
        reasons.set(c, `it reads ${r.schema}.${r.name}, which the plan puts on the target as ${at(placed.schema, placed.name)} (a view's query is not renamed with it)`);
        continue;
      }
      if (table) {
        const missing = r.columns.filter((col) => !table.columns.some((m) => m.target === col && m.source.kind === 'column' && m.source.name === col));
        if (missing.length) reasons.set(c, `it reads ${missing.join(', ')} of ${r.schema}.${r.name}, which the plan drops or renames there`);
        else reads.tables.push(table.id);
        schemas.set(`${r.schema}.${r.name}`, table.target.schema);
        continue;
      }
      if (view) {
        reads.views.push(view);
        schemas.set(`${r.schema}.${r.name}`, view.targetSchema);
        continue;
      }
      const onTarget = c.targetCatalog?.tables.find((t) => t.schema === r.schema && t.name === r.name);
      const written = tables.some((t) => t.target.endpoint === c.targetEndpoint && (t.target.schema ?? '') === r.schema && t.target.table === r.name);
      if (onTarget && !written && r.columns.every((col) => onTarget.columns.some((x) => x.name === col))) continue;
      reasons.set(c, `it reads ${r.schema}.${r.name}, which the plan does not put on the target under that name`);
    }
    const lacking = retargets ? missingRoutines(c) : missingFunctions(c);
    if (lacking.length && !reasons.has(c)) reasons.set(c, `it calls ${lacking.map((f) => `${f}()`).join(', ')}, which the target database lacks (and the plan does not make)`);
  }
  // A view reading one that cannot be made cannot be made either.
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of usable) {
      if (reasons.has(c)) continue;
      const blocked = readsOf.get(c)!.views.find((v) => reasons.has(v));
      if (blocked) {
        reasons.set(c, `it reads view ${blocked.view.schema}.${blocked.view.name}, which is not made again`);
        changed = true;
      }
    }
  }

  const notMigrated: NotMigrated[] = [...notMigratedHere];
  for (const [c, reason] of reasons) {
    diagnostics.push(warning('DMS3461', `${c.view.view?.materialized ? 'materialized view' : 'view'} ${c.view.schema}.${c.view.name} is not made again on ${c.targetEndpoint}: ${reason}`, c.map.span, 'map what it reads unrenamed into the same schema, or create the view on the target by hand'));
    notMigrated.push({ endpoint: c.sourceEndpoint, schema: c.view.schema, name: c.view.name, kind: c.view.view?.materialized ? 'materialized_view' : 'view', reason: `not made again: ${reason}` });
  }

  // Readers after what they read (the reads of a view form no cycle: PostgreSQL refuses one).
  const ordered: ViewCandidate[] = [];
  const visit = (c: ViewCandidate) => {
    if (ordered.includes(c)) return;
    for (const v of readsOf.get(c)!.views) visit(v);
    ordered.push(c);
  };
  for (const c of usable) if (!reasons.has(c)) visit(c);
  const views = ordered.map((c) => ({
    id: idOf(c),
    source: { endpoint: c.sourceEndpoint, schema: c.view.schema, name: c.view.name },
    target: { endpoint: c.targetEndpoint, schema: c.targetSchema, name: c.targetName },
    definition: targetDefinition(c, targetSchemas.get(c)!, diagnostics),
    readsTables: readsOf.get(c)!.tables,
    readsViews: readsOf.get(c)!.views.map(idOf),
    span: c.map.span,
  }));
  return { views, notMigrated };
}

/** PostgreSQL family: the database's own functions the query calls that the target lacks (by name). */
function missingFunctions(c: ViewCandidate): string[] {
  const functions = c.targetCatalog?.functions;
  return functions ? c.view.view!.functions.filter((f) => !functions.some((x) => x.name === f.slice(f.indexOf('.') + 1)) && !c.madeFunctions?.has(f.slice(f.indexOf('.') + 1))) : [];
}

/** The stored function a call names, where it stands on the target: one of the view's own database goes with the view. */
function routineTarget(c: ViewCandidate, routine: string): { readonly schema: string; readonly name: string } {
  const dot = routine.indexOf('.');
  const [schema, name] = [routine.slice(0, dot), routine.slice(dot + 1)];
  return { schema: schema === c.view.schema && c.targetSchema !== undefined ? c.targetSchema : schema, name };
}

/** MySQL family: the stored functions the query calls that the target database lacks where the call will look. */
function missingRoutines(c: ViewCandidate): string[] {
  const others = c.targetCatalog?.others;
  if (!others) return [];
  return c.view.view!.functions.map((f) => routineTarget(c, f)).filter((f) => !others.some((o) => o.kind === 'function' && o.schema === f.schema && o.name === f.name)).map((f) => `${f.schema}.${f.name}`);
}

/**
 * The definition as the target runs it: the query naming the target's databases (where the dialect
 * writes them), and a DEFINER the target has no account for left out — the view is then defined
 * by the user dmsplan connects as (DMS3520), rather than failing every query of it.
 */
function targetDefinition(c: ViewCandidate, schemas: ReadonlyMap<string, string | undefined>, diagnostics: Diagnostic[]): ViewDefinition {
  const definition = c.view.view!;
  const retarget = c.target.dialect.retargetView;
  const retargeted = retarget
    ? retarget(definition, (schema, name) => (schemas.has(`${schema}.${name}`) ? schemas.get(`${schema}.${name}`) : definition.functions.includes(`${schema}.${name}`) ? routineTarget(c, `${schema}.${name}`).schema : undefined), c.targetSchema)
    : definition;
  const definer = retargeted.definer;
  const accounts = c.targetCatalog?.accounts;
  if (!definer || !accounts) return retargeted;
  const account = `'${definer.user.replace(/'/g, "''")}'@'${definer.host.replace(/'/g, "''")}'`;
  if (accounts.includes(account)) return retargeted;
  diagnostics.push(
    warning(
      'DMS3520',
      `view ${c.view.schema}.${c.view.name}: its DEFINER ${account} has no account on ${c.targetEndpoint}, so it is made with the user dmsplan connects as for its definer${retargeted.security === 'invoker' ? '' : ' (SQL SECURITY DEFINER: its query runs with that user\'s privileges)'}`,
      c.map.span,
      `to keep the definer, create the account on the target (CREATE USER ${account}) and plan again`,
    ),
  );
  const { definer: _dropped, ...rest } = retargeted;
  return rest;
}
