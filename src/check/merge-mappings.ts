/**
 * `merge` blocks → one TableMapping per source, all writing into one target table: the same
 * columns (each source's types converted into the first source's target types), tag columns that
 * say where a row came from, and the merged key (tags + source key, or the source key shifted by a
 * per-source offset).
 */
import { error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closestMatch } from '../diagnostics/suggest.js';
import type { EngineModule } from '../engines/contract.js';
import { findEngine } from '../engines/registry.js';
import type { EngineName, LiteralValue, MergeIR, PlanIR, TypeRulesIR } from '../ir/ir.js';
import type { Catalog, TableCatalog } from '../schema/catalog.js';
import { chooseColumnType, quoteIfNeeded } from '../types/choose.js';
import { TYPE_CHECK } from '../diagnostics/codes/check.js';
import { describeColumnScope, quoteTypeName } from '../types/rule-text.js';
import type { LogicalType } from '../types/logical.js';
import type { ColumnMapping, TableMapping } from './checked-plan.js';
import { mergedForeignKeys, parentKeysFor } from './merge-foreign-keys.js';
import { newKeyColumn, surrogateKey } from './merge-surrogate.js';
import { fitIdentifier } from './naming.js';
import { findByName } from './patterns.js';
import { buildTargetTable, keptDeferrable } from './target-table.js';
import { defaultChunkRows } from './chunking.js';

export function mapMerges(
  ir: PlanIR,
  catalogs: ReadonlyMap<string, Catalog>,
  builtinRules: (source: EngineName, target: EngineName) => readonly TypeRulesIR[],
  diagnostics: Diagnostic[],
): TableMapping[] {
  return ir.merges.flatMap((merge) => mapMerge(merge, ir, catalogs, builtinRules, diagnostics));
}

interface ResolvedSource {
  readonly index: number;
  readonly source: MergeIR['sources'][number];
  readonly engine: EngineModule;
  readonly table: TableCatalog;
}

function mapMerge(
  merge: MergeIR,
  ir: PlanIR,
  catalogs: ReadonlyMap<string, Catalog>,
  builtinRules: (source: EngineName, target: EngineName) => readonly TypeRulesIR[],
  diagnostics: Diagnostic[],
): TableMapping[] {
  const targetEndpoint = ir.endpoints.find((e) => e.name === merge.into.endpoint);
  const target = targetEndpoint ? findEngine(targetEndpoint.engine) : undefined;
  if (!targetEndpoint || !target) return [];
  // What the executor decides per merge (new keys, conflicts) is made for the full load; captured
  // changes are applied through the plain row program, which knows neither.
  if (ir.migration.mode !== 'full_load' && (merge.strategy === 'surrogate' || (merge.strategy === 'offset' && merge.onConflict !== 'reject'))) {
    diagnostics.push(
      error('DMS3424', `merge ${merge.name}: ${merge.strategy === 'surrogate' ? 'strategy = surrogate' : `on_conflict = ${merge.onConflict}`} works with mode = full_load only, not with change data capture`, merge.span, 'use strategy = composite or a non-overlapping offset merge to follow changes'),
    );
    return [];
  }

  const resolved: ResolvedSource[] = [];
  for (const [index, source] of merge.sources.entries()) {
    const endpoint = ir.endpoints.find((e) => e.name === source.endpoint);
    const engine = endpoint ? findEngine(endpoint.engine) : undefined;
    const catalog = catalogs.get(source.endpoint);
    if (!endpoint || !engine || !catalog) continue;
    const inSchema = catalog.tables.filter((t) => t.schema.toLowerCase() === source.schema.toLowerCase());
    const table = findByName(inSchema, source.table);
    if (!table) {
      const hint = closestMatch(source.table, inSchema.map((t) => t.name));
      diagnostics.push(error('DMS3420', `merge ${merge.name}: ${source.endpoint} has no table ${source.schema}.${source.table}`, source.span, hint ? `did you mean \`${hint}\`?` : undefined));
      continue;
    }
    const twice = resolved.find((r) => r.source.endpoint === source.endpoint && r.table === table);
    if (twice) {
      diagnostics.push(
        error('DMS3446', `merge ${merge.name}: ${source.endpoint}.${table.schema}.${table.name} is a source twice (${twice.index + 1} and ${index + 1}); each table's rows are copied once`, source.span, 'list each table once'),
      );
      continue;
    }
    if (!table.primaryKey) {
      diagnostics.push(error('DMS3427', `merge ${merge.name}: ${source.endpoint}.${table.schema}.${table.name} has no primary key, so its rows cannot be keyed in the merged table`, source.span));
      continue;
    }
    resolved.push({ index, source, engine, table });
  }
  if (resolved.length !== merge.sources.length) return [];
  const first = resolved[0]!;
  if (!sameColumns(first, resolved, merge, diagnostics)) return [];
  if (!distinctTags(merge, diagnostics)) return [];
  if (!keyKeepsRowsApart(merge, resolved, diagnostics)) return [];
  const surrogate = merge.strategy === 'surrogate' ? surrogateKey(merge, resolved, diagnostics) : undefined;
  if (merge.strategy === 'surrogate' && !surrogate) return [];

  const maxLength = target.capabilities.maxIdentifierLength;
  const schema = target.capabilities.schemas ? merge.into.schema : undefined;
  const name = fitIdentifier(merge.into.table, maxLength);
  const offsetColumns = merge.strategy === 'offset' ? merge.key.filter((k) => !merge.sources[0]!.tags.some((t) => t.column === k)) : [];
  const followed = mergedForeignKeys(merge, ir, catalogs, target);
  const rewrites = followed.flatMap((f) => (f.rewrite.kind === 'none' ? [] : [{ ...f.rewrite, followed: f }]));
  // Columns holding new or shifted keys after the merge: 64-bit integers like the keys they hold.
  const bigintColumns = [...offsetColumns, ...rewrites.map((r) => r.column)];
  const parentKeys = parentKeysFor(merge, ir, catalogs, target);

  // The first source decides each column's target type (with the labels of every source's enum);
  // the others convert into it.
  const template = mapSourceColumns(withEveryLabel(first, resolved, merge, diagnostics), undefined, merge, target, ir, builtinRules, bigintColumns, diagnostics);
  const mappings: TableMapping[] = [];
  for (const member of resolved) {
    const mapped = member === first ? template : mapSourceColumns(member, template, merge, target, ir, builtinRules, bigintColumns, diagnostics);
    const sourceName = `${member.source.endpoint}.${member.table.schema}.${member.table.name}`;
    const columns = mapped.map((c) => {
      const from = c.source.kind === 'column' ? c.source.name.toLowerCase() : undefined;
      const rewrite = rewrites.find((r) => r.column.toLowerCase() === from);
      if (rewrite?.kind === 'key_map') {
        const { referencedSchema, referencedTable, parent } = rewrite.followed;
        return { ...c, keyMap: { table: `${referencedSchema ? `${referencedSchema}.` : ''}${referencedTable}`, merge: parent.name, source: rewrite.parentSources[member.index]!, lookup: 'column' as const } };
      }
      // Shifted like the parent key it points at, by the parent source's offset.
      if (rewrite?.kind === 'offset') return { ...c, offset: rewrite.offsets[member.index]! };
      // The source's own key is kept beside the new one, as source_<key>.
      if (surrogate?.replaces && c.target.toLowerCase() === surrogate.column.toLowerCase()) return { ...c, target: surrogate.sourceCopy };
      return c;
    });
    const newKey = surrogate ? [newKeyColumn(surrogate.column, merge, `${schema ? `${schema}.` : ''}${name}`, sourceName, target)] : [];
    const tagColumns = member.source.tags.map((tag) => tagColumn(tag.column, tag.value, longestTag(merge, tag.column), target, tag.span));
    const all = [...newKey, ...columns, ...tagColumns];
    const renamed = new Map(member.table.columns.map((c) => [c.name, columns.find((m) => m.source.kind === 'column' && m.source.name === c.name)?.target ?? c.name]));
    const built = buildTargetTable(
      { table: member.table, columns: all, renamed, source: member.engine, target, schema, name, naming: (n) => n, span: merge.span },
      member === first ? diagnostics : [],
    );
    // A column any source lets be NULL is nullable in the merged table: with the first source's NOT
    // NULL, every NULL of the others was refused at apply, which the plan did not say.
    const nullable = (column: string) => resolved.some((r) => r.table.columns.some((c) => c.name.toLowerCase() === column.toLowerCase() && c.nullable));
    const widened = { ...built, columns: built.columns.map((c) => (c.nullable || !nullable(renamedBack(c.name, columns)) ? c : { ...c, nullable: true })) };
    // The new key generates values for rows written later (identity, set past the largest new key
    // after the copies); the source's key kept beside it is plain data now.
    const def = surrogate
      ? {
          ...built,
          columns: widened.columns.map((c) =>
            c.name === surrogate.column ? { ...c, nullable: false, identity: 'by_default' as const } : c.name === surrogate.sourceCopy ? { ...c, identity: undefined, default: undefined } : c,
          ),
        }
      : widened;
    const keyColumns = merge.key.map((k) => all.find((c) => c.target.toLowerCase() === k.toLowerCase())?.target);
    if (keyColumns.some((k) => k === undefined)) {
      if (member === first) {
        const missing = merge.key.filter((_, i) => keyColumns[i] === undefined);
        diagnostics.push(error('DMS3421', `merge ${merge.name}: key column(s) ${missing.join(', ')} are neither columns of ${first.table.name} nor tags`, merge.span));
      }
      return [];
    }
    if (member === first && def.uniqueKeys.length) {
      diagnostics.push(
        warning('DMS3422', `merge ${merge.name}: unique key(s) ${def.uniqueKeys.map((k) => k.name).join(', ')} of ${first.table.name} are not created on the merged table: rows of different sources may share their values`, merge.span),
      );
    }
    const dropped = member.table.foreignKeys.filter((fk) => !followed.some((f) => f.fk === fk));
    if (member === first && dropped.length) {
      diagnostics.push(
        warning(
          'DMS3406',
          `merge ${merge.name}: the foreign key(s) ${dropped.map((f) => f.name).join(', ')} of ${first.table.name} are not created on the merged table (their keys change meaning once sources are merged)`,
          merge.span,
          'merge the referenced table too, from the same endpoints in the same order (with composite: the same tags), and these foreign keys follow its keys',
        ),
      );
    }
    const targetColumn = (column: string) => all.find((c) => c.target.toLowerCase() === column.toLowerCase())?.target ?? column;
    const foreignKeys = followed.map((f) => ({
      name: fitIdentifier(`${name}_${f.fk.columns.join('_')}_fkey`, maxLength),
      columns: f.columns.map(targetColumn),
      referencedSchema: f.referencedSchema ?? '',
      referencedTable: f.referencedTable,
      referencedColumns: f.referencedColumns,
      onDelete: f.fk.onDelete,
      onUpdate: f.fk.onUpdate,
      ...keptDeferrable(f.fk.deferrable, target.capabilities.deferrable !== 'none', `merge ${merge.name}: foreign key ${f.fk.name}`, `${target.name} checks it at once`, merge.span, member === first ? diagnostics : []),
    }));
    // Tags + key of the parent, for foreign keys of child merges that take the tags along.
    const uniqueKeys = parentKeys.map((columns) => ({ name: fitIdentifier(`${name}_${columns.join('_')}_key`, maxLength), columns: columns.map(targetColumn) }));
    const offsetKey = merge.strategy === 'offset' && offsetColumns[0] ? { sourceColumn: offsetColumns[0], targetColumn: offsetColumns[0], offset: String(member.source.offset ?? 0) } : undefined;
    mappings.push({
      id: `merge ${merge.name}: ${member.source.endpoint}.${member.table.schema}.${member.table.name} -> ${targetEndpoint.name}.${schema ? `${schema}.` : ''}${name}`,
      source: { endpoint: member.source.endpoint, schema: member.table.schema, table: member.table.name, rowEstimate: member.table.rowEstimate },
      target: { endpoint: targetEndpoint.name, schema, table: name },
      columns: all,
      where: undefined,
      sourceKey: member.table.primaryKey?.columns ?? [],
      chunk: { rows: defaultChunkRows(member.table), by: undefined },
      targetDef: { ...def, primaryKey: { name: fitIdentifier(`${name}_pkey`, maxLength), columns: keyColumns as string[] }, uniqueKeys, foreignKeys },
      span: member.source.span,
      merge: {
        name: merge.name,
        index: member.index,
        sources: resolved.length,
        strategy: merge.strategy,
        onConflict: merge.onConflict,
        slice: { tags: member.source.tags.map((t) => ({ column: t.column, value: t.value })), offsetKey },
      },
    });
  }
  return mappings;
}

function mapSourceColumns(
  member: ResolvedSource,
  template: readonly ColumnMapping[] | undefined,
  merge: MergeIR,
  target: EngineModule,
  ir: PlanIR,
  builtinRules: (source: EngineName, target: EngineName) => readonly TypeRulesIR[],
  bigintColumns: readonly string[],
  diagnostics: Diagnostic[],
): ColumnMapping[] {
  const planRules = ir.typeRules.filter((r) => r.sourceEngine === member.engine.name && r.targetEngine === target.name);
  return member.table.columns.map((column) => {
    const templateColumn = template?.find((t) => t.target.toLowerCase() === column.name.toLowerCase());
    const isBigint = bigintColumns.some((k) => k.toLowerCase() === column.name.toLowerCase());
    const isOffsetKey = isBigint && merge.strategy === 'offset' && merge.key.some((k) => k.toLowerCase() === column.name.toLowerCase());
    // An offset key must hold key + offset, a rewritten foreign key a new key: a 64-bit integer
    // column (values beyond it are rejected).
    const forced = templateColumn?.targetType ?? (isBigint ? target.types.fromLogical({ kind: 'int', bits: 64, unsigned: false }) : undefined);
    const input = {
      sourceTypes: member.engine.types,
      targetTypes: target.types,
      targetEngine: target.name,
      column,
      table: { schema: member.table.schema, name: member.table.name },
      planRules,
      builtinRules: builtinRules(member.engine.name, target.name),
    };
    // Where the rules give this source's column the forced type anyway, their choice stands, with
    // its conversion: a second source's MySQL datetime is read with zero_dates_to_null as the
    // first's is, not refused value by value for want of it.
    const ruled = forced ? chooseColumnType({ ...input, override: undefined }) : undefined;
    const choice =
      ruled && forced && ruled.value.target.text === forced.text && !ruled.diagnostics.some((d) => d.severity === 'error')
        ? ruled
        : chooseColumnType({
            ...input,
            override: forced
              ? { column: column.name, type: { name: forced.name, params: forced.params, unsigned: forced.unsigned, array: false, span: member.source.span }, conversion: undefined, lossy: false, span: member.source.span }
              : undefined,
          });
    const sourceName = `${member.source.endpoint}.${member.table.schema}.${member.table.name}`;
    const labelled = templateColumn?.targetLogical.kind === 'enum' || templateColumn?.targetLogical.kind === 'set';
    if (templateColumn && labelled && column.logical.kind !== templateColumn.targetLogical.kind) {
      // Nothing in the plan can let other values into the labels (a merge has no column
      // overrides, and a type rule cannot name the enum type the merge makes): only the order can.
      diagnostics.push(
        error(
          'DMS3571',
          `merge ${merge.name}: ${column.name} is ${column.nativeType.text} on ${sourceName} but ${templateColumn.targetLogical.kind} ${templateColumn.targetType.text} on the first source, whose types the merged table takes: its values outside the labels could not be stored`,
          member.source.span,
          `list first a source whose ${column.name} is ${column.nativeType.text} (the merged column is then of that type, and every label fits it), or make ${column.name} an ${templateColumn.targetLogical.kind} on every source`,
        ),
      );
    } else if (choice === ruled) {
      diagnostics.push(...choice.diagnostics);
    } else {
      // The forced type came in as an override, whose hint (`column … lossy`) a merge block cannot
      // take: a type rule scoped to the column acknowledges the narrowing instead.
      // With its parameters where the type's text is name(params): the rule then leaves the other sources' columns alone.
      const pattern = /^[A-Za-z_ ]+\([0-9, ]+\)( unsigned)?$/.test(column.nativeType.text) ? quoteIfNeeded(column.nativeType.text) : quoteTypeName(column.nativeType.name);
      const rule = `types ${member.engine.name} -> ${target.name} { column ${describeColumnScope(member.table.name, column.name)}: ${pattern} -> ${quoteIfNeeded(choice.value.target.text)} lossy }`;
      diagnostics.push(
        ...choice.diagnostics.map((d) =>
          d.code === TYPE_CHECK.lossyNotAcknowledged
            ? { ...d, message: `merge ${merge.name}: ${sourceName}: ${d.message} (the merged table takes the first source's types)`, hint: `list first the source whose ${column.name} holds every other's values, or accept the narrowing with a type rule: ${rule}` }
            : d,
        ),
      );
    }
    return {
      target: templateColumn?.target ?? column.name,
      source: { kind: 'column' as const, name: column.name, native: column.nativeType, logical: column.logical },
      targetType: choice.value.target,
      targetLogical: choice.value.targetLogical,
      conversion: choice.value.conversion,
      lossless: choice.value.lossless,
      lossReason: choice.value.lossReason,
      rule: choice.value.rule,
      mask: undefined,
      ...(isOffsetKey ? { offset: String(member.source.offset ?? 0) } : {}),
    };
  });
}

/** The source column a target column of the merged table comes from (the source key kept as source_<key> included). */
function renamedBack(target: string, columns: readonly ColumnMapping[]): string {
  const mapping = columns.find((m) => m.target === target);
  return mapping?.source.kind === 'column' ? mapping.source.name : target;
}

/**
 * The first source with each ENUM/SET column holding the labels of that column on every source: its
 * labels first, in their order, then the others' in `from` order. Without them the merged type had
 * the first source's labels only, and every row of another source holding one of its own labels
 * was rejected at apply, which the plan did not say (DMS3570 says it now).
 */
function withEveryLabel(first: ResolvedSource, all: readonly ResolvedSource[], merge: MergeIR, diagnostics: Diagnostic[]): ResolvedSource {
  const columns = first.table.columns.map((column) => {
    const logical = column.logical;
    if (logical.kind !== 'enum' && logical.kind !== 'set') return column;
    const labels = [...logical.values];
    const added: string[] = [];
    for (const member of all.slice(1)) {
      const theirs = member.table.columns.find((c) => c.name.toLowerCase() === column.name.toLowerCase())?.logical;
      if (theirs?.kind !== logical.kind) continue;
      const extra = theirs.values.filter((v) => !labels.includes(v));
      if (extra.length === 0) continue;
      labels.push(...extra);
      added.push(`${extra.map((v) => `'${v}'`).join(', ')} (${member.source.endpoint}.${member.table.schema}.${member.table.name})`);
    }
    if (added.length === 0) return column;
    diagnostics.push(
      warning(
        'DMS3570',
        `merge ${merge.name}: ${column.name} is ${column.nativeType.text} on ${first.source.endpoint}.${first.table.schema}.${first.table.name}, whose types the merged table takes, and other sources have more labels: the merged ${logical.kind} takes them all, after the first source's: ${added.join('; ')}`,
        merge.span,
      ),
    );
    return { ...column, logical: { ...logical, values: labels } };
  });
  return { ...first, table: { ...first.table, columns } };
}

/**
 * Tag columns are in the merged key (composite) or in a unique key made for child foreign keys.
 * A text of any length is indexed only by its prefix on some targets (MySQL's LONGTEXT cannot be in
 * a primary key at all): there the column is bounded, long enough for every source's value and some
 * more, so that adding a source with a somewhat longer tag does not change the column's type.
 */
const TAG_TEXT_ROOM = 64;

function tagColumn(column: string, value: LiteralValue, longest: number, target: EngineModule, span: MergeIR['span']): ColumnMapping {
  const unbounded = tagLogical(value);
  const logical: LogicalType =
    unbounded.kind === 'text' && target.types.indexedByPrefixOnly?.(target.types.fromLogical(unbounded)) ? { ...unbounded, length: Math.max(longest, TAG_TEXT_ROOM) } : unbounded;
  const native = target.types.fromLogical(logical);
  return {
    target: column,
    source: { kind: 'expression', expr: { kind: 'literal', value, span }, logical },
    targetType: native,
    targetLogical: target.types.toLogical(native),
    conversion: 'cast',
    lossless: true,
    lossReason: undefined,
    rule: { origin: 'added', text: `tag ${column}`, span },
    mask: undefined,
  };
}

/** The longest text of a tag column across the merge's sources, in characters. */
function longestTag(merge: MergeIR, column: string): number {
  const lengths = merge.sources.flatMap((s) => s.tags.filter((t) => t.column.toLowerCase() === column.toLowerCase()).map((t) => (t.value.kind === 'string' ? [...t.value.value].length : 0)));
  return Math.max(0, ...lengths);
}

function tagLogical(value: LiteralValue): LogicalType {
  switch (value.kind) {
    case 'number':
      return /^-?\d+$/.test(value.text) ? { kind: 'int', bits: 64, unsigned: false } : { kind: 'decimal', precision: undefined, scale: undefined };
    case 'bool':
      return { kind: 'bool' };
    case 'date':
      return { kind: 'date' };
    case 'timestamp':
      return { kind: 'timestamp', precision: 6 };
    case 'string':
    case 'null':
      return { kind: 'text', length: undefined, fixed: false };
    default: {
      const never: never = value;
      return never;
    }
  }
}

/** Every source of a merge must have the same columns (names compared ignoring case). */
function sameColumns(first: ResolvedSource, all: readonly ResolvedSource[], merge: MergeIR, diagnostics: Diagnostic[]): boolean {
  const names = (t: TableCatalog) => new Set(t.columns.map((c) => c.name.toLowerCase()));
  const expected = names(first.table);
  let ok = true;
  for (const member of all.slice(1)) {
    const got = names(member.table);
    const missing = [...expected].filter((c) => !got.has(c));
    const extra = [...got].filter((c) => !expected.has(c));
    if (missing.length || extra.length) {
      ok = false;
      diagnostics.push(
        error(
          'DMS3423',
          `merge ${merge.name}: ${member.source.endpoint}.${member.table.schema}.${member.table.name} does not have the columns of ${first.source.endpoint}.${first.table.schema}.${first.table.name}${missing.length ? ` (missing ${missing.join(', ')})` : ''}${extra.length ? ` (extra ${extra.join(', ')})` : ''}`,
          member.source.span,
        ),
      );
    }
  }
  return ok;
}

/**
 * A key that keeps every merged row apart by construction (DMS3430): composite — every tag and every
 * primary key column of the sources; offset — besides tags, the sources' one-column integer
 * primary key, the column that is shifted. (Surrogate keys are checked by surrogateKey.)
 */
function keyKeepsRowsApart(merge: MergeIR, members: readonly ResolvedSource[], diagnostics: Diagnostic[]): boolean {
  const has = (list: readonly string[], c: string) => list.some((x) => x.toLowerCase() === c.toLowerCase());
  const tags = merge.sources[0]!.tags.map((t) => t.column);
  const refuse = (why: string, hint: string) => {
    diagnostics.push(error('DMS3430', `merge ${merge.name}: ${why}`, merge.span, hint));
    return false;
  };
  switch (merge.strategy) {
    case 'composite':
      for (const m of members) {
        const pk = m.table.primaryKey?.columns ?? [];
        const missing = [...tags, ...pk].filter((c) => !has(merge.key, c));
        if (missing.length) {
          return refuse(
            `strategy = composite: key (${merge.key.join(', ')}) lacks ${missing.join(', ')}, so ${missing.some((c) => has(tags, c)) ? 'rows of different sources' : `rows of ${m.source.endpoint}.${m.table.schema}.${m.table.name}`} could share a key`,
            `write key (${[...tags, ...pk].join(', ')})`,
          );
        }
      }
      return true;
    case 'offset': {
      const shifted = merge.key.filter((k) => !has(tags, k));
      for (const m of members) {
        const pk = m.table.primaryKey?.columns ?? [];
        const column = m.table.columns.find((c) => pk.length === 1 && c.name.toLowerCase() === pk[0]!.toLowerCase());
        if (shifted.length !== 1 || pk.length !== 1 || !has(shifted, pk[0]!) || column?.logical.kind !== 'int') {
          return refuse(
            `strategy = offset shifts one integer key column, the sources' primary key, but ${m.source.endpoint}.${m.table.schema}.${m.table.name} has primary key (${pk.join(', ')}) and the merge key (apart from tags) is (${shifted.join(', ')})`,
            pk.length === 1 && column?.logical.kind === 'int' ? `write key (${pk[0]})` : 'use strategy = composite (tag + source key) or surrogate (new keys)',
          );
        }
      }
      return true;
    }
    case 'surrogate':
      return true;
    default: {
      const never: never = merge.strategy;
      return never;
    }
  }
}

/** With tags, each source's tag values must differ, or two sources' rows could not be told apart. */
function distinctTags(merge: MergeIR, diagnostics: Diagnostic[]): boolean {
  const seen = new Map<string, number>();
  for (const [i, s] of merge.sources.entries()) {
    if (s.tags.length === 0) continue;
    const key = JSON.stringify(s.tags.map((t) => [t.column.toLowerCase(), t.value]).sort());
    const before = seen.get(key);
    if (before !== undefined) {
      diagnostics.push(error('DMS3425', `merge ${merge.name}: sources ${before + 1} and ${i + 1} have the same tags, so their rows could not be told apart`, s.span));
      return false;
    }
    seen.set(key, i);
  }
  const why = needsTags(merge);
  if (why && merge.sources.some((s) => s.tags.length === 0)) {
    diagnostics.push(error('DMS3425', `merge ${merge.name}: ${why}`, merge.span, "add `tag source = 'name'` to each `from`"));
    return false;
  }
  return true;
}

/** Why a merge needs a tag on every source, if it does: the tag is the only way to find a source's rows. */
function needsTags(merge: MergeIR): string | undefined {
  switch (merge.strategy) {
    case 'composite':
      return 'strategy = composite needs a tag on every source (it is part of the key)';
    case 'surrogate':
      return 'strategy = surrogate needs a tag on every source (its rows in the merged table are found, and validated, by it)';
    case 'offset':
      return merge.onConflict === 'reject' ? undefined : `on_conflict = ${merge.onConflict} needs a tag on every source: where shifted keys overlap, only the tag says which source a row came from`;
    default: {
      const never: never = merge.strategy;
      return never;
    }
  }
}
