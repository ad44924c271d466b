/**
 * Foreign keys between merged tables. A child merge whose sources sit on the same endpoints, in
 * the same order, as a parent merge into the same target keeps the foreign key of its first
 * source, made to mean in the merged tables what it meant in each source:
 *
 * - parent `strategy = surrogate`: the column is rewritten to the parent's new key through its key
 *   map (a single-column foreign key on the parent sources' primary key); a foreign key of several
 *   columns keeps its values and points, with the tags, at the source key the parent keeps;
 * - parent `strategy = offset`: the column is shifted by the parent source's offset, like the key it
 *   points at (a single-column foreign key on the offset key);
 * - parent `strategy = composite`: nothing is rewritten; the tags are part of the parent's key, so
 *   the foreign key takes the child's tag columns along (the child needs the same tags, with the
 *   same values source by source).
 *
 * A foreign key of the sources onto themselves (a self-reference) follows the merge itself: the
 * merge is its own parent, so its column is rewritten, shifted or tagged like any child's.
 *
 * Where the parent's key alone would not say which source a row came from (offset merges whose
 * ranges may overlap), the foreign key also takes the tags, on a unique key of the parent made for
 * it. A child row whose parent did not make it into the merged table (rejected, lost to a conflict,
 * an orphan in its source) then fails the foreign key and is moved to the rejects table when the
 * key is added (exec/foreign-key-orphans.ts), never pointed at another source's row.
 */
import type { EngineModule } from '../engines/contract.js';
import type { LiteralValue, MergeIR, PlanIR } from '../ir/ir.js';
import type { Catalog, ForeignKeyCatalog, TableCatalog } from '../schema/catalog.js';
import { fitIdentifier } from './naming.js';
import { findByName } from './patterns.js';

export type MergedColumnRewrite =
  /** Each value becomes the parent's new key of the same source (key map lookup). */
  | { readonly kind: 'key_map'; readonly column: string; readonly parentSources: readonly string[] }
  /** Each value is shifted by the parent source's offset, per child source index. */
  | { readonly kind: 'offset'; readonly column: string; readonly offsets: readonly string[] }
  | { readonly kind: 'none' };

export interface MergedForeignKey {
  /** The foreign key of the child merge's first source. */
  readonly fk: ForeignKeyCatalog;
  readonly parent: MergeIR;
  readonly rewrite: MergedColumnRewrite;
  /** The foreign key on the merged tables: child columns → parent columns (target names). */
  readonly columns: readonly string[];
  readonly referencedSchema: string | undefined;
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
  /** Whether the parent needs a unique key on `referencedColumns` (they are not its primary key). */
  readonly needsParentKey: boolean;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => same(x, b[i]!));

/**
 * Per catalogs, per child merge: every parent asks about every child (parentKeysFor), so each
 * child's answer is worked out once per check.
 */
const answers = new WeakMap<ReadonlyMap<string, Catalog>, WeakMap<MergeIR, readonly MergedForeignKey[]>>();

/** The foreign keys of `child`'s first source that point at a merge they can follow (see above). */
export function mergedForeignKeys(child: MergeIR, ir: PlanIR, catalogs: ReadonlyMap<string, Catalog>, target: EngineModule): readonly MergedForeignKey[] {
  let known = answers.get(catalogs);
  if (!known) answers.set(catalogs, (known = new WeakMap()));
  const found = known.get(child) ?? followAll(child, ir, catalogs, target);
  known.set(child, found);
  return found;
}

function followAll(child: MergeIR, ir: PlanIR, catalogs: ReadonlyMap<string, Catalog>, target: EngineModule): MergedForeignKey[] {
  const first = resolveTable(child.sources[0], catalogs);
  if (!first) return [];
  const out: MergedForeignKey[] = [];
  for (const fk of first.foreignKeys) {
    for (const parent of ir.merges) {
      // A merge is its own parent for a foreign key of its sources onto themselves (a self-reference).
      if (!alignedSources(child, parent)) continue;
      const parents = parent.sources.map((p) => resolveTable(p, catalogs));
      const head = parents[0];
      if (!head || !same(head.schema, fk.referencedSchema) || !same(head.name, fk.referencedTable)) continue;
      if (parents.some((t) => !t || !t.primaryKey)) continue;
      const found = follow(fk, child, parent, parents as TableCatalog[], target);
      if (found) {
        out.push(found);
        break;
      }
    }
  }
  return out;
}

/** The unique keys a parent merge needs for the foreign keys its children take along with their tags. */
export function parentKeysFor(parent: MergeIR, ir: PlanIR, catalogs: ReadonlyMap<string, Catalog>, target: EngineModule): readonly (readonly string[])[] {
  const keys: string[][] = [];
  for (const child of ir.merges) {
    for (const m of mergedForeignKeys(child, ir, catalogs, target)) {
      if (m.parent === parent && m.needsParentKey && !keys.some((k) => sameList(k, m.referencedColumns))) keys.push([...m.referencedColumns]);
    }
  }
  return keys;
}

function follow(fk: ForeignKeyCatalog, child: MergeIR, parent: MergeIR, parents: readonly TableCatalog[], target: EngineModule): MergedForeignKey | undefined {
  const base = {
    fk,
    parent,
    referencedSchema: target.capabilities.schemas ? parent.into.schema : undefined,
    referencedTable: fitIdentifier(parent.into.table, target.capabilities.maxIdentifierLength),
  };
  const onSourceKey = parents.every((t) => sameList(t.primaryKey!.columns, fk.referencedColumns));
  const parentTags = parent.sources[0]!.tags.map((t) => t.column);
  // The merged table's spelling of a column: a tag as the merge names it, a source column as the first source does.
  const targetName = (column: string) => parentTags.find((t) => same(t, column)) ?? parents[0]!.columns.find((c) => same(c.name, column))?.name ?? column;
  switch (parent.strategy) {
    case 'surrogate': {
      if (!onSourceKey) return undefined;
      // The key map is keyed by the parent sources' own key; a single column is rewritten through it.
      // The merged parent keeps a composite source key as columns: the foreign key then names
      // them, with the tags, on a unique key made on the parent.
      if (fk.columns.length !== 1 || parent.key.length !== 1) {
        const mapped = mapParentColumns([...parentTags, ...fk.referencedColumns], child, parent, fk);
        return mapped ? { ...base, rewrite: { kind: 'none' }, columns: mapped.columns, referencedColumns: mapped.referenced.map(targetName), needsParentKey: true } : undefined;
      }
      const keyColumn = parents[0]!.columns.find((c) => same(c.name, parent.key[0]!))?.name ?? parent.key[0]!;
      const parentSources = parent.sources.map((p, i) => `${p.endpoint}.${parents[i]!.schema}.${parents[i]!.name}`);
      return { ...base, rewrite: { kind: 'key_map', column: fk.columns[0]!, parentSources }, columns: [fk.columns[0]!], referencedColumns: [keyColumn], needsParentKey: false };
    }
    case 'offset': {
      const shifted = parent.key.filter((k) => !parentTags.some((t) => same(t, k)));
      if (fk.columns.length !== 1 || shifted.length !== 1 || !sameList(fk.referencedColumns, shifted) || !onSourceKey) return undefined;
      const rewrite = { kind: 'offset' as const, column: fk.columns[0]!, offsets: parent.sources.map((p) => String(p.offset ?? 0)) };
      // Where shifted keys may collide (on_conflict other than reject) the key alone does not say
      // which source a row came from: the foreign key then takes every tag along.
      const keyHasTags = parentTags.every((t) => parent.key.some((k) => same(k, t)));
      const referenced = parent.onConflict === 'reject' || keyHasTags ? parent.key : [...parentTags, shifted[0]!];
      const mapped = mapParentColumns(referenced, child, parent, fk);
      if (!mapped) return undefined;
      return { ...base, rewrite, columns: mapped.columns, referencedColumns: mapped.referenced.map(targetName), needsParentKey: !sameList(mapped.referenced, parent.key) };
    }
    case 'composite': {
      const sourceKey = parent.key.filter((k) => !parentTags.some((t) => same(t, k)));
      if (!onSourceKey || sourceKey.length !== fk.referencedColumns.length || !sourceKey.every((k) => fk.referencedColumns.some((r) => same(r, k)))) return undefined;
      const mapped = mapParentColumns(parent.key, child, parent, fk);
      return mapped ? { ...base, rewrite: { kind: 'none' }, columns: mapped.columns, referencedColumns: mapped.referenced.map(targetName), needsParentKey: false } : undefined;
    }
    default: {
      const never: never = parent.strategy;
      return never;
    }
  }
}

/**
 * The child column for each parent column: a tag → the child's tag of that name (which must hold
 * the parent's value in every source), a source column → the foreign key column pointing at it.
 */
function mapParentColumns(referenced: readonly string[], child: MergeIR, parent: MergeIR, fk: ForeignKeyCatalog): { columns: string[]; referenced: string[] } | undefined {
  const columns: string[] = [];
  for (const column of referenced) {
    const isTag = parent.sources[0]!.tags.some((t) => same(t.column, column));
    if (isTag) {
      const tagsAgree = parent.sources.every((p, i) => {
        const mine = p.tags.find((t) => same(t.column, column));
        const theirs = child.sources[i]!.tags.find((t) => same(t.column, column));
        return mine !== undefined && theirs !== undefined && sameLiteral(mine.value, theirs.value);
      });
      if (!tagsAgree) return undefined;
      columns.push(child.sources[0]!.tags.find((t) => same(t.column, column))!.column);
      continue;
    }
    const at = fk.referencedColumns.findIndex((r) => same(r, column));
    if (at < 0) return undefined;
    columns.push(fk.columns[at]!);
  }
  return { columns, referenced: [...referenced] };
}

/** Same endpoints in the same order, into the same target: source i of one matches source i of the other. */
function alignedSources(child: MergeIR, parent: MergeIR): boolean {
  return parent.into.endpoint === child.into.endpoint && parent.sources.length === child.sources.length && parent.sources.every((p, i) => p.endpoint === child.sources[i]!.endpoint);
}

function sameLiteral(a: LiteralValue, b: LiteralValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function resolveTable(source: MergeIR['sources'][number] | undefined, catalogs: ReadonlyMap<string, Catalog>): TableCatalog | undefined {
  const catalog = source ? catalogs.get(source.endpoint) : undefined;
  return source && catalog ? findByName(catalog.tables.filter((t) => same(t.schema, source.schema)), source.table) : undefined;
}
