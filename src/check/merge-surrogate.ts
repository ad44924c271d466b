/**
 * `strategy = surrogate`: the merged table's key is a new 64-bit integer, assigned per source row
 * before the copy and recorded in the target's key map (`_dmsplan.key_map`). The source's own key
 * stays in the table (as `source_<key>` when the new key takes its name). Foreign keys of child
 * merges are rewritten through the key map (merge-foreign-keys.ts).
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { EngineModule } from '../engines/contract.js';
import type { MergeIR } from '../ir/ir.js';
import type { TableCatalog } from '../schema/catalog.js';
import type { LogicalType } from '../types/logical.js';
import type { ColumnMapping } from './checked-plan.js';

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
