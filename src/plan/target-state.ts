/** What the planner knows of the target besides its catalog: the control schema's records. */
import type { Catalog, TableCatalog } from '../schema/catalog.js';
import { fingerprint } from './fingerprint.js';

export interface TargetState {
  readonly catalog: Catalog;
  /** Fingerprints of steps the control schema records as done. */
  readonly completedSteps: ReadonlySet<string>;
  /** Ids of steps the control schema records as done, of this plan or an earlier version of it (`copy:dw.crm.customers:eu.shop.customers`). */
  readonly recordedStepIds: ReadonlySet<string>;
  /** Fingerprints of copy steps with at least one committed chunk (a run to resume). */
  readonly startedCopies: ReadonlySet<string>;
  /** `schema.table` (schema '' where the engine has none) of target tables holding at least one row. */
  readonly nonEmptyTables: ReadonlySet<string>;
}

export function tableKey(schema: string | undefined, name: string): string {
  return `${schema ?? ''}.${name}`;
}

export function findTargetTable(catalog: Catalog, schema: string | undefined, name: string): TableCatalog | undefined {
  return catalog.tables.find((t) => (schema === undefined || t.schema === schema) && t.name === name);
}

/**
 * Per-table fingerprints of a catalog's structure (row estimates change without a plan going
 * stale): `schema.table` → hash. Saved plans keep them to name what changed.
 */
export function catalogTableFingerprints(catalog: Catalog, tables?: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of catalog.tables) {
    const key = tableKey(t.schema, t.name);
    if (tables && !tables.has(key)) continue;
    out[key] = fingerprint(tableShape(t));
  }
  return out;
}

function tableShape(t: TableCatalog): unknown {
  return {
      s: t.schema,
      n: t.name,
      c: t.columns.map((c) => [c.name, c.nativeType.text, c.nullable]),
      pk: t.primaryKey?.columns,
      u: t.uniqueKeys.map((k) => k.columns),
      i: t.indexes.map((i) => [i.name, i.unique]),
      f: t.foreignKeys.map((f) => [f.columns, f.referencedTable]),
  };
}
