/** Which source tables a `map` block selects, and which it leaves out (for the report). */
import type { MapIR, NamePattern } from '../ir/ir.js';
import type { Catalog, TableCatalog } from '../schema/catalog.js';
import { matchesNameAmong } from './patterns.js';

export interface Selection {
  readonly tables: readonly TableCatalog[];
  readonly excluded: readonly { readonly table: TableCatalog; readonly reason: string }[];
  /** Views to make again on the target (`views = recreate`). */
  readonly views: readonly TableCatalog[];
}

export function selectTables(map: MapIR, catalog: Catalog): Selection {
  const tables: TableCatalog[] = [];
  const excluded: { table: TableCatalog; reason: string }[] = [];
  const views: TableCatalog[] = [];
  const namesBySchema = new Map<string, Set<string>>();
  for (const t of catalog.tables) {
    const names = namesBySchema.get(t.schema);
    if (names) names.add(t.name);
    else namesBySchema.set(t.schema, new Set([t.name]));
  }
  const schemas = new Set(namesBySchema.keys());
  for (const table of catalog.tables) {
    if (!matchesNameAmong(map.source.schema, table.schema, schemas)) continue;
    const names = namesBySchema.get(table.schema)!;
    const matches = (p: NamePattern) => matchesNameAmong(p, table.name, names);
    const selected = matches(map.source.table) || map.includes.some(matches);
    if (!selected) continue;
    if (map.excludes.some(matches)) {
      excluded.push({ table, reason: 'excluded by the plan' });
      continue;
    }
    if (table.kind === 'view' && map.recreateViews) {
      views.push(table);
      continue;
    }
    if (table.view?.materialized && table.view.populated === false) {
      // Its rows cannot be read ("has not been populated"): copying them would fail the run.
      excluded.push({ table, reason: 'materialized view that holds no rows on the source (made WITH NO DATA, never refreshed): nothing to copy; `views = recreate` makes it again, empty' });
      continue;
    }
    if (table.kind === 'view' && !map.includeViews) {
      excluded.push({ table, reason: 'view (write `views = recreate` to make it again from its definition, or `views = include` to copy its rows into a table)' });
      continue;
    }
    tables.push(table);
  }
  return { tables, excluded, views };
}
