/** Which source tables a `map` block selects, and which it leaves out (for the report). */
import type { MapIR } from '../ir/ir.js';
import type { Catalog, TableCatalog } from '../schema/catalog.js';
import { matchesName } from './patterns.js';

export interface Selection {
  readonly tables: readonly TableCatalog[];
  readonly excluded: readonly { readonly table: TableCatalog; readonly reason: string }[];
}

export function selectTables(map: MapIR, catalog: Catalog): Selection {
  const tables: TableCatalog[] = [];
  const excluded: { table: TableCatalog; reason: string }[] = [];
  for (const table of catalog.tables) {
    if (!matchesName(map.source.schema, table.schema)) continue;
    const selected = matchesName(map.source.table, table.name) || map.includes.some((p) => matchesName(p, table.name));
    if (!selected) continue;
    if (map.excludes.some((p) => matchesName(p, table.name))) {
      excluded.push({ table, reason: 'excluded by the plan' });
      continue;
    }
    if (table.kind === 'view' && !map.includeViews) {
      excluded.push({ table, reason: 'view (write `views = include` to copy its rows into a table)' });
      continue;
    }
    tables.push(table);
  }
  return { tables, excluded };
}
