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
import type { Catalog, TableCatalog } from '../schema/catalog.js';
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
}

type NotMigrated = CheckedPlan['notMigrated'][number];


export function recreateViews(candidates: readonly ViewCandidate[], tables: readonly TableMapping[], diagnostics: Diagnostic[]): { readonly views: readonly ViewMapping[]; readonly notMigrated: readonly NotMigrated[] } {
  const refused = new Set<MapIR>();
  const usable = candidates.filter((c) => {
    // Views are read from PostgreSQL only (pg_get_viewdef); PGlite shares its dialect.
    if (c.view.view && sameDialect(c.source, c.target) && c.target.dialect.createView) return true;
    if (!refused.has(c.map)) {
      refused.add(c.map);
      diagnostics.push(
        error(
          'DMS3460',
          `views = recreate: ${c.source.name} → ${c.target.name} views cannot be made again from their definitions (only between PostgreSQL and PGlite, whose SQL is the same)`,
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
  for (const c of usable) {
    const reads = { tables: [] as string[], views: [] as ViewCandidate[] };
    readsOf.set(c, reads);
    for (const r of c.view.view!.reads) {
      const table = tables.find(
        (t) => t.source.endpoint === c.sourceEndpoint && t.source.schema === r.schema && t.source.table === r.name && t.target.endpoint === c.targetEndpoint && (t.target.schema ?? '') === r.schema && t.target.table === r.name,
      );
      if (table) {
        const missing = r.columns.filter((col) => !table.columns.some((m) => m.target === col && m.source.kind === 'column' && m.source.name === col));
        if (missing.length) reasons.set(c, `it reads ${missing.join(', ')} of ${r.schema}.${r.name}, which the plan drops or renames there`);
        else reads.tables.push(table.id);
        continue;
      }
      const view = usable.find((v) => v !== c && v.sourceEndpoint === c.sourceEndpoint && v.view.schema === r.schema && v.view.name === r.name && v.targetEndpoint === c.targetEndpoint && (v.targetSchema ?? '') === r.schema && v.targetName === r.name);
      if (view) {
        reads.views.push(view);
        continue;
      }
      const onTarget = c.targetCatalog?.tables.find((t) => t.schema === r.schema && t.name === r.name);
      const written = tables.some((t) => t.target.endpoint === c.targetEndpoint && (t.target.schema ?? '') === r.schema && t.target.table === r.name);
      if (onTarget && !written && r.columns.every((col) => onTarget.columns.some((x) => x.name === col))) continue;
      reasons.set(c, `it reads ${r.schema}.${r.name}, which the plan does not put on the target under that name`);
    }
    const functions = c.targetCatalog?.functions;
    const lacking = functions ? c.view.view!.functions.filter((f) => !functions.some((x) => x.name === f.slice(f.indexOf('.') + 1))) : [];
    if (lacking.length && !reasons.has(c)) reasons.set(c, `it calls ${lacking.map((f) => `${f}()`).join(', ')}, which the target database lacks (functions are not migrated)`);
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

  const notMigrated: NotMigrated[] = [];
  for (const [c, reason] of reasons) {
    diagnostics.push(warning('DMS3461', `view ${c.view.schema}.${c.view.name} is not made again on ${c.targetEndpoint}: ${reason}`, c.map.span, 'map what it reads unrenamed into the same schema, or create the view on the target by hand'));
    notMigrated.push({ endpoint: c.sourceEndpoint, schema: c.view.schema, name: c.view.name, kind: 'view', reason: `not made again: ${reason}` });
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
    definition: c.view.view!,
    readsTables: readsOf.get(c)!.tables,
    readsViews: readsOf.get(c)!.views.map(idOf),
    span: c.map.span,
  }));
  return { views, notMigrated };
}
