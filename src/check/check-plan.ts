/**
 * The checker: IR + the catalogs of every endpoint → a CheckedPlan in which every decision is
 * explicit. Pure: the catalogs were read before, the built-in rules are passed in.
 */
import { recreateViews, type ViewCandidate } from './recreate-views.js';
import { carriesRoutines, carryRoutines, carryTriggers, retargetTableCalls } from './carry-routines.js';
import { targetTableKey } from './target-names.js';
import { error, warning, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { EngineModule } from '../engines/contract.js';
import { findEngine } from '../engines/registry.js';
import type { EndpointIR, EngineName, MapIR, PlanIR, TableRuleIR, TypeRulesIR } from '../ir/ir.js';
import type { Catalog, TableCatalog } from '../schema/catalog.js';
import type { CheckedPlan, EndpointPlan, SequenceMapping, TableMapping } from './checked-plan.js';
import type { LogicalKind } from '../types/logical.js';
import { mapColumns, resolveColumn } from './map-columns.js';
import { applyNaming, effectiveNaming, fitIdentifier } from './naming.js';
import { checkEngineRoles } from './engine-roles.js';
import { describePattern, matchesName, matchesNameAmong } from './patterns.js';
import { selectTables } from './select-tables.js';
import { closestMatch as suggestName } from '../diagnostics/suggest.js';
import { buildTargetTable, mapForeignKey, prefixOnlyColumns, refusePrefixKey, sameDialect } from './target-table.js';
import { looseForeignKey, warnLooseForeignKey } from './loose-keys.js';
import { defaultChunkRows } from './chunking.js';
import { distinctNames } from './distinct-names.js';
import { mapMerges } from './merge-mappings.js';
import { copyPathOf } from './copy-path.js';
import { checkForeignKeyName, checkTargetLabels, checkTargetNames } from './target-identifiers.js';
import { printName } from '../syntax/print-expr.js';

export interface CheckInput {
  readonly ir: PlanIR;
  /** Endpoint name → its catalog. An endpoint missing here could not be read (reported before). */
  readonly catalogs: ReadonlyMap<string, Catalog>;
  readonly builtinRules: (source: EngineName, target: EngineName) => readonly TypeRulesIR[];
}


interface PendingTable {
  readonly mapping: Omit<TableMapping, 'targetDef'> & { targetDef: TableMapping['targetDef'] };
  readonly table: TableCatalog;
  readonly renamed: ReadonlyMap<string, string>;
  readonly map: MapIR;
  readonly source: EngineModule;
  readonly target: EngineModule;
}

export function checkPlan(input: CheckInput): Result<CheckedPlan> {
  const diagnostics: Diagnostic[] = [];
  const { ir } = input;
  const endpoints = ir.endpoints.map(toEndpointPlan);
  const pending: PendingTable[] = [];
  const notMigrated: CheckedPlan['notMigrated'][number][] = [];
  const viewCandidates: ViewCandidate[] = [];
  const sequences: SequenceMapping[] = [];

  diagnostics.push(...checkEngineRoles(ir));
  const carried = carryRoutines(ir, input.catalogs, diagnostics);
  notMigrated.push(...carried.notMigrated);
  for (const mapAsWritten of ir.maps) {
    const sourceEndpoint = ir.endpoints.find((e) => e.name === mapAsWritten.source.endpoint);
    const targetEndpoint = ir.endpoints.find((e) => e.name === mapAsWritten.target.endpoint);
    if (!sourceEndpoint || !targetEndpoint) continue; // reported by the front end
    const source = engineOf(sourceEndpoint, diagnostics);
    const target = engineOf(targetEndpoint, diagnostics);
    if (target && !target.capabilities.canBeTarget) continue; // checkEngineRoles said so
    const map = effectiveNaming(mapAsWritten, source, target);
    const catalog = input.catalogs.get(sourceEndpoint.name);
    if (!source || !target || !catalog) continue;
    const targetCatalogCollations = input.catalogs.get(targetEndpoint.name)?.collations;
    const targetCollations = targetCatalogCollations ? new Set(targetCatalogCollations) : undefined;
    const targetVersion = input.catalogs.get(targetEndpoint.name)?.serverVersion;
    const targetTypeNames = input.catalogs.get(targetEndpoint.name)?.typeNames;
    const targetTypes = targetTypeNames ? new Set(targetTypeNames) : undefined;
    const sourceFunctions = catalog.functions;
    const targetFunctions = input.catalogs.get(targetEndpoint.name)?.functions;
    const targetRoleList = input.catalogs.get(targetEndpoint.name)?.roles;
    const targetRoles = targetRoleList ? new Set(targetRoleList) : undefined;
    // A function the plan makes on the target before its tables is there when they are made.
    const madeHere = carried.routines.filter((r) => r.target.endpoint === targetEndpoint.name).map((r) => r.source.name);
    const functions = sourceFunctions && targetFunctions ? { source: new Map(sourceFunctions.map((f) => [f.name, f.extension])), target: new Set([...targetFunctions.map((f) => f.name), ...madeHere]) } : undefined;
    const carries = carriesRoutines(source, target, catalog);

    const selection = selectTables(map, catalog);
    for (const other of catalog.others.filter((o) => matchesName(map.source.schema, o.schema))) {
      // Made on the target (or listed by carryRoutines with the reason), and a copied table's triggers with it.
      if (carries && (other.kind === 'function' || other.kind === 'procedure')) continue;
      if (carries && other.kind === 'trigger' && selection.tables.some((t) => t.schema === other.schema && t.triggers?.some((g) => g.name === other.name))) continue;
      if (notMigrated.some((n) => n.endpoint === sourceEndpoint.name && n.schema === other.schema && n.name === other.name)) continue;
      notMigrated.push({ endpoint: sourceEndpoint.name, schema: other.schema, name: other.name, kind: other.kind, reason: 'routines, triggers, events and types are listed, not converted' });
    }
    // views = recreate is only for a target of the source's dialect: elsewhere the hint names what works.
    const recreatable = sameDialect(source, target) && target.dialect.createView !== undefined;
    for (const ex of selection.excluded) {
      const reason = ex.table.kind === 'view' && ex.reason.startsWith('view (') && !recreatable ? `view (${target.name} cannot run a ${source.name} view's query: write \`views = include\` to copy its rows into a table, or create it on the target by hand)` : ex.reason;
      notMigrated.push({ endpoint: sourceEndpoint.name, schema: ex.table.schema, name: ex.table.name, kind: ex.table.view?.materialized ? 'materialized_view' : ex.table.kind, reason });
    }
    // A sequence no column owns and no column default draws from is the application's own: listed.
    const drawnFrom = new Set(catalog.tables.flatMap((t) => t.columns.flatMap((c) => (c.default?.kind === 'sequence' && c.default.shared ? [`${c.default.shared.schema}.${c.default.shared.name}`] : []))));
    for (const q of catalog.sequences.filter((x) => matchesName(map.source.schema, x.schema) && x.ownedBy === undefined && !drawnFrom.has(`${x.schema}.${x.name}`))) {
      if (notMigrated.some((n) => n.endpoint === sourceEndpoint.name && n.schema === q.schema && n.name === q.name)) continue;
      if (sequences.some((s) => s.source.endpoint === sourceEndpoint.name && s.source.schema === q.schema && s.source.name === q.name)) continue;
      // Between PostgreSQL engines it is made on the target as it is, where the source's stands.
      if (q.definition && target.dialect.createSequence && sameDialect(source, target)) {
        const schema = target.capabilities.schemas ? (map.target.schema === '*' ? applyNaming(map.naming, q.schema) : map.target.schema) : undefined;
        sequences.push({ source: { endpoint: sourceEndpoint.name, schema: q.schema, name: q.name }, target: { endpoint: targetEndpoint.name, schema, name: q.name }, sequence: q });
        continue;
      }
      notMigrated.push({ endpoint: sourceEndpoint.name, schema: q.schema, name: q.name, kind: 'sequence', reason: `no column draws from it: not copied (create it on the target and set it to ${q.lastValue ?? 'its start'} if the application uses it)` });
    }
    if (selection.tables.length === 0 && selection.views.length === 0) {
      const schemas = [...new Set(catalog.tables.map((t) => t.schema))];
      const hint = suggestName(describePattern(map.source.schema), schemas);
      diagnostics.push(
        error('DMS3401', `map ${describeSelector(map)} selects no table of ${sourceEndpoint.name}`, map.source.span, hint ? `did you mean schema \`${hint}\`?` : `the source has schemas: ${schemas.join(', ') || '(none)'}`),
      );
    }
    checkTableRulesMatch(map, selection.tables, diagnostics);

    const planRules = ir.typeRules.filter((r) => r.sourceEngine === source.name && r.targetEngine === target.name);
    const builtinRules = input.builtinRules(source.name, target.name);
    const naming = (name: string) => applyNaming(map.naming, name);
    const maxLength = target.capabilities.maxIdentifierLength;

    for (const view of selection.views) {
      const schema = target.capabilities.schemas ? (map.target.schema === '*' ? naming(view.schema) : map.target.schema) : undefined;
      const name = fitIdentifier(map.target.table === '*' ? naming(view.name) : map.target.table, maxLength);
      viewCandidates.push({ map, view, sourceEndpoint: sourceEndpoint.name, targetEndpoint: targetEndpoint.name, source, target, targetSchema: schema, targetName: name, targetCatalog: input.catalogs.get(targetEndpoint.name), madeFunctions: new Set(madeHere) });
    }
    const selectedNames = new Set(selection.tables.map((t) => t.name));
    for (const table of selection.tables) {
      const rule = map.tables.find((r) => matchesNameAmong(r.match, table.name, selectedNames));
      const { columns, renamed, generated, namesKept } = mapColumns({ map, rule, table, source, target, planRules, builtinRules, ...(targetTypes ? { targetTypeNames: targetTypes } : {}) }, diagnostics);
      const schema = target.capabilities.schemas ? (map.target.schema === '*' ? naming(table.schema) : map.target.schema) : undefined;
      const name = fitIdentifier(rule?.renameTo ?? (map.target.table === '*' ? naming(table.name) : map.target.table), maxLength);
      const followsChanges = ir.migration.mode !== 'full_load';
      const builtDef = buildTargetTable({ table, columns, renamed, source, target, schema, name, naming, span: rule?.span ?? map.span, followsChanges, targetCollations, targetVersion, targetTypes, functions, generated, namesKept, ...(targetRoles ? { targetRoles } : {}) }, diagnostics);
      // A call of a function the plan makes into a schema of another name names that schema.
      const madeWhere = (fnSchema: string, fnName: string) => carried.routines.find((r) => r.source.endpoint === sourceEndpoint.name && r.target.endpoint === targetEndpoint.name && r.source.schema === fnSchema && r.source.name === fnName)?.target.schema;
      const targetDef = carries ? retargetTableCalls(builtDef, madeWhere) : builtDef;
      if (targetDef.columns.length === 0 && !target.capabilities.tablesWithoutColumns) {
        diagnostics.push(
          error('DMS3433', `${table.schema}.${table.name} has no columns to create on ${target.name}, whose tables need at least one`, rule?.span ?? map.span, `leave it out with \`exclude ${table.name}\` in the map, or give it a column with \`add\` in a table block`),
        );
      }
      checkTargetNames(targetDef, target, `${table.schema}.${table.name}`, rule?.span ?? map.span, diagnostics);
      checkTargetLabels(targetDef, target, `${table.schema}.${table.name}`, rule?.span ?? map.span, diagnostics);
      const tooWide = target.dialect.tableWidthProblem?.(targetDef.columns);
      if (tooWide) {
        const at = `${schema ? `${schema}.` : ''}${name}`;
        diagnostics.push(
          (tooWide.certain ? error : warning)('DMS3451', `${table.schema}.${table.name}: ${target.name} cannot create ${at} with ${tooWide.message}`, rule?.span ?? map.span, 'leave out columns the target does not need (`drop COLUMN` in a table block), or split the table; a TEXT or BLOB column takes the least room in a row (a type rule such as `column TABLE.*: varchar -> text`)'),
        );
      }
      const sourceKey = keyOf(table);
      const triggers = carries && table.triggers?.length
        ? carryTriggers({ table, map, migration: ir.migration, sourceEndpoint: sourceEndpoint.name, targetEndpoint: targetEndpoint.name, targetCatalog: input.catalogs.get(targetEndpoint.name), routines: carried.routines, namesKept }, notMigrated, diagnostics)
        : [];
      if (table.partitioned && targetDef.partitionBy === undefined) {
        const why = table.partitioningNotKept !== undefined ? ` (${table.partitioningNotKept})` : table.partitionClause === undefined ? '' : sameDialect(source, target) ? ' (a column is renamed or dropped, and the partitioning names columns)' : ` (${target.name} has no PARTITION BY of ${source.name}'s)`;
        const read = table.partitionClause === undefined ? 'its rows are read through it, and ' : '';
        diagnostics.push(warning('DMS3436', `${table.schema}.${table.name} is partitioned on the source: ${read}a table the plan creates for it is one plain table (the partitions are not created)${why}`, rule?.span ?? map.span));
      }
      const inheritance = table.inheritance;
      if (inheritance?.children.length) {
        diagnostics.push(
          warning('DMS3438', `${table.schema}.${table.name} has tables that inherit from it (${inheritance.children.join(', ')}): its copy holds its own rows only — on the source a query of it also returns theirs, which are copied with each child the plan maps — and on the target the tables do not inherit`, rule?.span ?? map.span),
        );
      } else if (inheritance?.parents.length) {
        diagnostics.push(warning('DMS3438', `${table.schema}.${table.name} inherits from ${inheritance.parents.join(', ')}: it is copied as a table of its own, inherited columns included, and on the target it does not inherit`, rule?.span ?? map.span));
      }
      const chunk = chunkOf(rule, table, sourceKey, source);
      if (sourceKey.length === 0 && table.kind === 'table') {
        // A `chunk … by` column still splits it: the warning must not say otherwise.
        const copied = chunk.by === undefined ? 'it is copied in one piece' : `it is split by ${chunk.by}, as its chunk rule says`;
        diagnostics.push(warning('DMS3412', `${table.schema}.${table.name} has no primary key or unique key on non-null columns: ${copied}, and a rejected row is identified by its values`, rule?.span ?? map.span));
      }
      pending.push({
        mapping: {
          id: `${sourceEndpoint.name}.${table.schema}.${table.name} -> ${targetEndpoint.name}.${schema ? `${schema}.` : ''}${name}`,
          source: { endpoint: sourceEndpoint.name, schema: table.schema, table: table.name, rowEstimate: table.rowEstimate },
          target: { endpoint: targetEndpoint.name, schema, table: name },
          columns,
          where: compileWhere(rule, table, source, diagnostics),
          ...filterOf(rule, table),
          sourceKey,
          chunk,
          targetDef,
          span: rule?.span ?? map.span,
          ...(triggers.length ? { triggers } : {}),
        },
        table,
        renamed,
        map,
        source,
        target,
      });
    }
  }

  reportTargetCollisions(pending, diagnostics);
  reportNarrowEncodings(ir, input.catalogs, pending, diagnostics);
  const merged = mapMerges(ir, input.catalogs, input.builtinRules, diagnostics);
  reportMergeOverlaps(pending, merged, diagnostics);
  const engineNamed = (name: string) => {
    const endpoint = ir.endpoints.find((e) => e.name === name);
    return endpoint ? findEngine(endpoint.engine) : undefined;
  };
  const tables = distinctNames([...pending.map((p) => resolveForeignKeys(p, pending, diagnostics)), ...merged], engineNamed).map((t) => {
    const [source, target] = [engineNamed(t.source.endpoint), engineNamed(t.target.endpoint)];
    return source && target ? { ...t, copyPath: copyPathOf(t, source, target) } : t;
  });
  const recreated = recreateViews(viewCandidates, tables, diagnostics);
  notMigrated.push(...recreated.notMigrated);
  return { value: { migration: ir.migration, endpoints, tables, notMigrated, ...(recreated.views.length ? { views: recreated.views } : {}), ...(sequences.length ? { sequences } : {}), ...(carried.routines.length ? { routines: carried.routines } : {}) }, diagnostics };
}

/**
 * A PostgreSQL target database in an encoding narrower than Unicode (LATIN1, WIN1252, …) refuses
 * text with characters outside it: each such row is rejected with the server's reason. Said once
 * per target, before a row moves, unless every source writing text into it has its encoding.
 */
function reportNarrowEncodings(ir: PlanIR, catalogs: CheckInput['catalogs'], pending: readonly PendingTable[], diagnostics: Diagnostic[]): void {
  for (const endpoint of ir.endpoints.filter((e) => e.role === 'target')) {
    const encoding = catalogs.get(endpoint.name)?.encoding;
    if (encoding === undefined || encoding === 'UTF8' || encoding === 'SQL_ASCII') continue;
    const sources = new Set(
      pending.filter((p) => p.mapping.target.endpoint === endpoint.name && p.mapping.columns.some((c) => TEXT_KINDS.has(c.targetLogical.kind))).map((p) => p.mapping.source.endpoint),
    );
    const wider = [...sources].filter((s) => catalogs.get(s)?.encoding !== encoding);
    if (!wider.length) continue;
    diagnostics.push(
      warning('DMS3450', `target ${endpoint.name}'s database encoding is ${encoding}: text from ${wider.join(', ')} with characters outside ${encoding} is rejected per row`, endpoint.span, 'to keep every character, load into a UTF8 database (CREATE DATABASE … ENCODING \'UTF8\' TEMPLATE template0)'),
    );
  }
}

const TEXT_KINDS: ReadonlySet<string> = new Set(['text', 'json', 'enum', 'set', 'other', 'array']);

export function toEndpointPlan(e: EndpointIR): EndpointPlan {
  return {
    name: e.name,
    role: e.role,
    engine: e.engine,
    url: e.url,
    prepare: e.prepare,
    session: e.session.map((s) => ({ name: s.name, value: s.value })),
    tls: e.tls
      ? { mode: e.tls.mode, ...(e.tls.ca ? { ca: e.tls.ca } : {}), ...(e.tls.cert ? { cert: e.tls.cert } : {}), ...(e.tls.key ? { key: e.tls.key } : {}) }
      : undefined,
  };
}

function engineOf(endpoint: EndpointIR, diagnostics: Diagnostic[]): EngineModule | undefined {
  const engine = findEngine(endpoint.engine);
  if (!engine) diagnostics.push(error('DMS3411', `engine ${endpoint.engine} (endpoint ${endpoint.name}) is not supported by this build yet`, endpoint.span));
  return engine;
}

function describeSelector(map: MapIR): string {
  return `${map.source.endpoint}.${describePattern(map.source.schema)}.${describePattern(map.source.table)}`;
}

function checkTableRulesMatch(map: MapIR, tables: readonly TableCatalog[], diagnostics: Diagnostic[]): void {
  const names = new Set(tables.map((t) => t.name));
  for (const rule of map.tables) {
    if (tables.some((t) => matchesNameAmong(rule.match, t.name, names))) continue;
    const hint = suggestName(describePattern(rule.match), tables.map((t) => t.name));
    diagnostics.push(error('DMS3402', `table ${describePattern(rule.match)} is not among the tables map ${describeSelector(map)} selects`, rule.span, hint ? `did you mean \`${hint}\`?` : undefined));
  }
}

/** The key that orders and chunks a table: its primary key, else a unique key on non-null columns. */
function keyOf(table: TableCatalog): readonly string[] {
  if (table.primaryKey) return table.primaryKey.columns;
  const notNull = (c: string) => table.columns.find((col) => col.name === c)?.nullable === false;
  return table.uniqueKeys.find((k) => k.columns.every(notNull))?.columns ?? [];
}

/**
 * Key kinds a table is split on by default: the source orders them and compares a bound's text the
 * same way (an enum orders by its position on MySQL but compares as text, a binary key's bound is
 * hex text, a float's rounding: not these).
 */
const RANGE_KEY_KINDS: ReadonlySet<LogicalKind> = new Set(['int', 'text', 'uuid', 'decimal', 'date', 'timestamp', 'timestamptz']);

function chunkOf(rule: TableRuleIR | undefined, table: TableCatalog, key: readonly string[], source: EngineModule): TableMapping['chunk'] {
  const rows = rule?.chunk?.rows ?? defaultChunkRows(table);
  const explicit = rule?.chunk?.by ? resolveColumn(table, rule.chunk.by)?.name : undefined;
  const candidate = explicit ?? key[0];
  const column = candidate ? table.columns.find((c) => c.name === candidate) : undefined;
  const kind = column?.logical.kind;
  const rangeable = column !== undefined && (explicit !== undefined || kind === 'int' || (source.capabilities.orderedKeyRanges && kind !== undefined && RANGE_KEY_KINDS.has(kind)));
  return { rows, by: rangeable ? column.name : undefined };
}

function compileWhere(rule: TableRuleIR | undefined, table: TableCatalog, source: EngineModule, diagnostics: Diagnostic[]): string | undefined {
  const filter = rule?.where;
  if (!filter) return undefined;
  switch (filter.kind) {
    case 'raw':
      return filter.sql;
    case 'expr': {
      const names = table.columns.map((c) => c.name);
      for (const ref of columnRefs(filter.expr)) {
        if (resolveColumn(table, ref.name)) continue;
        const hint = suggestName(ref.name, names);
        diagnostics.push(error('DMS3403', `where: table ${table.schema}.${table.name} has no column \`${ref.name}\``, ref.span, hint ? `did you mean \`${hint}\`?` : undefined));
      }
      return source.dialect.compileFilter(resolveExprColumns(filter.expr, table));
    }
    default: {
      const never: never = filter;
      return never;
    }
  }
}

/** The filter as an expression over resolved source columns, for the change-capture path. */
function filterOf(rule: TableRuleIR | undefined, table: TableCatalog): Pick<TableMapping, 'filter'> {
  const where = rule?.where;
  if (!where || where.kind !== 'expr') return {};
  const expr = resolveExprColumns(where.expr, table);
  const names = [...new Set(columnRefs(expr).map((c) => c.name))];
  const columns = names.flatMap((n) => {
    const c = table.columns.find((x) => x.name === n);
    return c ? [{ name: c.name, native: c.nativeType, logical: c.logical }] : [];
  });
  return { filter: { expr, columns } };
}

type Expr = Extract<NonNullable<TableRuleIR['where']>, { kind: 'expr' }>['expr'];

function columnRefs(e: Expr): Extract<Expr, { kind: 'column' }>[] {
  switch (e.kind) {
    case 'column':
      return [e];
    case 'literal':
      return [];
    case 'not':
      return columnRefs(e.operand);
    case 'logical':
    case 'compare':
      return [...columnRefs(e.left), ...columnRefs(e.right)];
    case 'is_null':
      return columnRefs(e.operand);
    case 'in':
      return [...columnRefs(e.operand), ...e.list.flatMap(columnRefs)];
    case 'between':
      return [...columnRefs(e.operand), ...columnRefs(e.low), ...columnRefs(e.high)];
    case 'like':
      return [...columnRefs(e.operand), ...columnRefs(e.pattern)];
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Column names in a filter are matched ignoring case; the compiled SQL uses the exact names. */
function resolveExprColumns(e: Expr, table: TableCatalog): Expr {
  const fix = (x: Expr): Expr => resolveExprColumns(x, table);
  switch (e.kind) {
    case 'column':
      return { ...e, name: resolveColumn(table, e.name)?.name ?? e.name };
    case 'literal':
      return e;
    case 'not':
      return { ...e, operand: fix(e.operand) };
    case 'logical':
    case 'compare':
      return { ...e, left: fix(e.left), right: fix(e.right) } as Expr;
    case 'is_null':
      return { ...e, operand: fix(e.operand) };
    case 'in':
      return { ...e, operand: fix(e.operand), list: e.list.map(fix) };
    case 'between':
      return { ...e, operand: fix(e.operand), low: fix(e.low), high: fix(e.high) };
    case 'like':
      return { ...e, operand: fix(e.operand), pattern: fix(e.pattern) };
    default: {
      const never: never = e;
      return never;
    }
  }
}

function reportTargetCollisions(pending: readonly PendingTable[], diagnostics: Diagnostic[]): void {
  const seen = new Map<string, PendingTable>();
  for (const p of pending) {
    const t = p.mapping.target;
    const key = targetTableKey(p.target, t.endpoint, t.schema, t.table);
    const first = seen.get(key);
    if (first) {
      // On a target that compares table names ignoring case (MySQL, SQLite), "Foo" and "foo" meet too.
      const other = first.mapping.target.table;
      const byCase = other !== t.table ? ` (as ${other}: ${p.target.name} compares table names ignoring case)` : '';
      diagnostics.push(
        error(
          'DMS3404',
          `${p.mapping.source.schema}.${p.mapping.source.table} and ${first.mapping.source.schema}.${first.mapping.source.table} would both be written into ${t.schema ? `${t.schema}.` : ''}${t.table}${byCase}`,
          p.mapping.span,
          `rename one of them in a table block of its map, e.g. table ${printName(p.mapping.source.table)} -> ${printName(`${t.table}_2`)}, or combine them with a merge block`,
        ),
      );
    } else seen.set(key, p);
  }
}

/** A merge's target table must not also be the target of a `map`. */
function reportMergeOverlaps(pending: readonly PendingTable[], merged: readonly TableMapping[], diagnostics: Diagnostic[]): void {
  for (const m of merged.filter((x) => x.merge?.index === 0)) {
    const clash = pending.find((p) => targetTableKey(p.target, p.mapping.target.endpoint, p.mapping.target.schema, p.mapping.target.table) === targetTableKey(p.target, m.target.endpoint, m.target.schema, m.target.table));
    if (clash) diagnostics.push(error('DMS3404', `${clash.mapping.source.schema}.${clash.mapping.source.table} (map) and merge ${m.merge!.name} would both write ${m.target.schema ? `${m.target.schema}.` : ''}${m.target.table}`, clash.mapping.span));
  }
}

function resolveForeignKeys(p: PendingTable, all: readonly PendingTable[], diagnostics: Diagnostic[]): TableMapping {
  const naming = (name: string) => applyNaming(p.map.naming, name);
  const foreignKeys = p.table.foreignKeys.flatMap((fk) => {
    const ref = all.find(
      (o) =>
        o.mapping.source.endpoint === p.mapping.source.endpoint &&
        o.mapping.target.endpoint === p.mapping.target.endpoint &&
        o.table.schema === fk.referencedSchema &&
        o.table.name === fk.referencedTable,
    );
    const mapped = mapForeignKey(
      fk,
      p.renamed,
      ref ? { schema: ref.mapping.target.schema, name: ref.mapping.target.table, renamed: ref.renamed } : undefined,
      naming,
      { source: p.source, target: p.target, table: p.mapping.target.table },
      { what: `${p.table.schema}.${p.table.name}`, span: p.mapping.span, diagnostics },
    );
    if (mapped) checkForeignKeyName(mapped.name, p.target, `${p.table.schema}.${p.table.name}`, p.mapping.span, diagnostics);
    if (mapped) refusePrefixKey(`foreign key ${mapped.name}`, mapped.columns, prefixOnlyColumns(p.mapping.targetDef.columns, p.table, p.renamed, p.target), { table: p.table, target: p.target.name, span: p.mapping.span }, diagnostics);
    const loose = mapped ? looseForeignKey(fk, p.table, sameDialect(p.source, p.target) && p.target.capabilities.columnCollations) : undefined;
    if (mapped && loose !== undefined) {
      warnLooseForeignKey(fk, loose, `${p.table.schema}.${p.table.name}`, p.target.name, p.mapping.span, diagnostics);
      return [{ ...mapped, looseOnSource: loose }];
    }
    if (!mapped) {
      diagnostics.push(
        warning('DMS3406', `${p.table.schema}.${p.table.name}: foreign key ${fk.name} to ${fk.referencedSchema}.${fk.referencedTable} is dropped (the referenced table or column is not migrated)`, p.mapping.span),
      );
      return [];
    }
    return [mapped];
  });
  return { ...p.mapping, targetDef: { ...p.mapping.targetDef, foreignKeys } };
}
