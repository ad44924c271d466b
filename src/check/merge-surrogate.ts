/**
 * `strategy = surrogate`: the merged table's key is a new 64-bit integer, assigned per source row
 * before the copy and recorded in the target's key map (`_dmsplan.key_map`). The source's own key
 * stays in the table (as `source_<key>` when the new key takes its name). Child merges — the same
 * endpoints in the same order — whose source tables have a foreign key to a surrogate-merged parent
 * get that column rewritten through the parent's key map, and the foreign key created.
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { EngineModule } from '../engines/contract.js';
import type { MergeIR, PlanIR } from '../ir/ir.js';
import type { Catalog, ForeignKeyCatalog, TableCatalog } from '../schema/catalog.js';
import type { LogicalType } from '../types/logical.js';
import type { ColumnMapping } from './checked-plan.js';
import { fitIdentifier } from './naming.js';
import { findByName } from './patterns.js';

export interface SurrogateKey {
  /** The merged table's new key column. */
  readonly column: string;
  /** Whether it takes the name of the sources' (single-column) primary key, which is then kept as `sourceCopy`. */
  readonly replaces: boolean;
  readonly sourceCopy: string;
}

interface Member {
  readonly index: number;
  readonly source: MergeIR['sources'][number];
  readonly table: TableCatalog;
}

const INT64: LogicalType = { kind: 'int', bits: 64, unsigned: false };
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * `key (col)`: one column, not a tag. Either the sources' own single-column primary key (the new
 * key takes its name; the source value moves to `source_<col>`), or a name no source column has (a
 * new column; the source key columns stay as they are). Anything else is refused (DMS3424).
 */
export function surrogateKey(merge: MergeIR, members: readonly Member[], diagnostics: Diagnostic[]): SurrogateKey | undefined {
  const refuse = (why: string, hint?: string) => {
    diagnostics.push(error('DMS3424', `merge ${merge.name}: ${why}`, merge.span, hint));
    return undefined;
  };
  if (merge.key.length !== 1) return refuse(`strategy = surrogate makes one new key column, but key lists ${merge.key.length}`, 'write key (id): the new 64-bit key; the sources\' own keys are kept as columns');
  const column = merge.key[0]!;
  if (merge.sources.some((s) => s.tags.some((t) => same(t.column, column)))) return refuse(`the surrogate key ${column} is a tag column`, 'name the new key column, e.g. key (id)');
  const first = members[0]!;
  const existing = first.table.columns.find((c) => same(c.name, column));
  if (!existing) return { column, replaces: false, sourceCopy: column };
  for (const m of members) {
    const pk = m.table.primaryKey?.columns ?? [];
    if (pk.length !== 1 || !same(pk[0]!, column)) {
      return refuse(
        `the surrogate key ${column} is a column of ${m.source.endpoint}.${m.table.schema}.${m.table.name} but not its primary key (${pk.join(', ')})`,
        `name its primary key, or a new column name such as key (merged_id)`,
      );
    }
  }
  const sourceCopy = `source_${existing.name}`;
  if (first.table.columns.some((c) => same(c.name, sourceCopy))) return refuse(`the source key ${existing.name} would be kept as ${sourceCopy}, but the sources already have a column of that name`, 'name a new key column instead, e.g. key (merged_id)');
  return { column: existing.name, replaces: true, sourceCopy };
}

/** The new key column of one member: filled from the key map by the executor (a null placeholder here). */
export function newKeyColumn(column: string, merge: MergeIR, table: string, source: string, target: EngineModule): ColumnMapping {
  const native = target.types.fromLogical(INT64);
  return {
    target: column,
    source: { kind: 'expression', expr: { kind: 'literal', value: { kind: 'null' }, span: merge.span }, logical: INT64 },
    targetType: native,
    targetLogical: target.types.toLogical(native),
    conversion: 'cast',
    lossless: true,
    lossReason: undefined,
    rule: { origin: 'added', text: `new key of merge ${merge.name}`, span: merge.span },
    mask: undefined,
    keyMap: { table, merge: merge.name, source, lookup: 'row_key' },
  };
}

export interface ForeignKeyRewrite {
  /** The child's source column (a single-column foreign key). */
  readonly column: string;
  readonly fk: ForeignKeyCatalog;
  readonly parent: MergeIR;
  /** Per member index of the child: the parent's source (`endpoint.schema.table`) on the same endpoint. */
  readonly parentSources: readonly string[];
  readonly parentSchema: string | undefined;
  readonly parentTable: string;
  readonly parentKey: string;
}

/**
 * The foreign keys of a merge's first source that point at the first source of a surrogate merge
 * into the same target, whose sources are on the same endpoints in the same order: their values
 * become the parent's new keys, source by source.
 */
export function foreignKeyRewrites(merge: MergeIR, members: readonly Member[], ir: PlanIR, catalogs: ReadonlyMap<string, Catalog>, target: EngineModule): ForeignKeyRewrite[] {
  const first = members[0];
  if (!first) return [];
  const out: ForeignKeyRewrite[] = [];
  for (const fk of first.table.foreignKeys) {
    if (fk.columns.length !== 1 || fk.referencedColumns.length !== 1) continue;
    for (const parent of ir.merges) {
      if (parent === merge || parent.strategy !== 'surrogate' || parent.key.length !== 1) continue;
      if (parent.into.endpoint !== merge.into.endpoint || parent.sources.length !== merge.sources.length) continue;
      if (parent.sources.some((p, i) => p.endpoint !== merge.sources[i]!.endpoint)) continue;
      const parents = parent.sources.map((p) => resolveTable(p, catalogs));
      const head = parents[0];
      if (!head || !same(head.schema, fk.referencedSchema) || !same(head.name, fk.referencedTable)) continue;
      // The foreign key must name the parent's source key: that is what the key map is keyed by.
      if (parents.some((t) => !t || t.primaryKey?.columns.length !== 1 || !same(t.primaryKey.columns[0]!, fk.referencedColumns[0]!))) continue;
      const parentKeyColumn = parent.key[0]!;
      out.push({
        column: fk.columns[0]!,
        fk,
        parent,
        parentSources: parent.sources.map((p, i) => `${p.endpoint}.${parents[i]!.schema}.${parents[i]!.name}`),
        parentSchema: target.capabilities.schemas ? parent.into.schema : undefined,
        parentTable: fitIdentifier(parent.into.table, target.capabilities.maxIdentifierLength),
        parentKey: head.columns.find((c) => same(c.name, parentKeyColumn))?.name ?? parentKeyColumn,
      });
      break;
    }
  }
  return out;
}

function resolveTable(source: MergeIR['sources'][number], catalogs: ReadonlyMap<string, Catalog>): TableCatalog | undefined {
  const catalog = catalogs.get(source.endpoint);
  return catalog ? findByName(catalog.tables.filter((t) => same(t.schema, source.schema)), source.table) : undefined;
}
