/**
 * The plan listing, in the style Terraform users read every day: `+` create, `~` load into an
 * existing table, `-` drop, `-/+` replace; per column the source type → target type and the
 * conversion, lossy conversions marked; a summary line at the end.
 */
import type { ColumnMapping, TableMapping } from '../check/checked-plan.js';
import { sourceTableName } from '../check/checked-plan.js';
import { describeCopyPath } from '../check/copy-path.js';
import { findEngine } from '../engines/registry.js';
import { redactUrl } from '../engines/url.js';
import type { UrlRef } from '../ir/ir.js';
import type { Deferrable } from '../schema/catalog.js';
import type { ExecutionGraph, MergeReport, Step } from './graph.js';
import { groupThousands } from '../number-text.js';

export interface RenderOptions {
  readonly color: boolean;
  /** Resolved URLs for display (redacted here); when absent the env() reference is shown. */
  readonly urls?: ReadonlyMap<string, string>;
}

const ansi = (code: string) => (s: string, on: boolean) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
const green = ansi('32');
const yellow = ansi('33');
const red = ansi('31');
const dim = ansi('2');
const bold = ansi('1');

export function renderPlanText(graph: ExecutionGraph, options: RenderOptions): string {
  const c = options.color;
  const lines: string[] = [];
  lines.push(bold(`Migration ${graph.migration.name}`, c) + dim(` (${graph.migration.mode}, ${graph.migration.workers} workers, validate ${graph.migration.validate})`, c));
  for (const e of graph.endpoints) {
    const shown = options.urls?.get(e.name);
    lines.push(`  ${e.role.padEnd(6)} ${e.name.padEnd(12)} ${e.engine.padEnd(9)} ${shown ? redactUrl(shown) : describeUrl(e.url)}${e.role === 'target' ? dim(`  prepare = ${e.prepare}`, c) : ''}`);
  }
  lines.push('');

  const stepsByTable = new Map<string, Step[]>();
  for (const s of graph.steps) {
    if (!s.table) continue;
    const list = stepsByTable.get(s.table) ?? [];
    list.push(s);
    stepsByTable.set(s.table, list);
  }
  for (const s of graph.steps.filter((x) => x.kind === 'create_schema')) lines.push(green(`  + schema ${s.summary}`, c));
  const routines = graph.steps.filter((x) => x.kind === 'create_function');
  for (const s of routines) {
    lines.push(s.replaces === true ? yellow(`  ~ ${s.summary}`, c) + dim(' (the target\'s definition differs: replaced with the source\'s, CREATE OR REPLACE)', c) : green(`  + ${s.summary}`, c) + dim(' (the source\'s own, made before the tables)', c));
  }
  if (routines.length) lines.push('');

  for (const table of graph.tables) {
    const steps = stepsByTable.get(table.id) ?? [];
    if (steps.length === 0) continue;
    lines.push(...renderTable(table, steps, c, copyPathLine(graph, table)), '');
  }
  for (const s of graph.steps.filter((x) => x.kind === 'create_view')) {
    const view = graph.views?.find((v) => `${v.target.schema ? `${v.target.schema}.` : ''}${v.target.name}` === s.summary && v.target.endpoint === s.endpoint);
    const from = view ? ` ← ${view.source.endpoint}.${view.source.schema}.${view.source.name}` : '';
    const replaced = s.replaces === true;
    const materialized = view?.definition.materialized === true;
    const what = materialized ? 'materialized view' : 'view';
    const refresh = graph.steps.some((r) => r.kind === 'refresh_materialized_view' && r.endpoint === s.endpoint && r.summary === s.summary) ? ', WITH NO DATA, refreshed once what it reads is loaded' : materialized ? ', WITH NO DATA: the source\'s holds no rows either' : '';
    lines.push((replaced ? red(`  -/+ ${what} ${s.summary}`, c) : green(`  + ${what} ${s.summary}`, c)) + from + dim(`${replaced ? ' (dropped and made again from its definition' : ' (made again from its definition'}${refresh})`, c), '');
  }
  // A refresh alone: the materialized view stands, but what it reads is loaded again (or it is empty).
  for (const s of graph.steps.filter((x) => x.kind === 'refresh_materialized_view' && !graph.steps.some((v) => v.kind === 'create_view' && v.endpoint === x.endpoint && v.summary === x.summary))) {
    lines.push(yellow(`  ~ materialized view ${s.summary}`, c) + dim(' (refreshed once what it reads is loaded)', c), '');
  }
  for (const s of graph.steps.filter((x) => x.kind === 'create_sequence')) lines.push(green(`  + sequence ${s.summary}`, c) + dim(' (no column draws from it; made where missing, moved forward to where the source\'s stands)', c), '');
  for (const m of graph.merges) {
    const ranges = m.sources.map((x) => (x.keyRange ? `${x.source} keys ${x.keyRange}` : x.source)).join('; ');
    lines.push(`  merge ${m.name} (${m.strategy}): ${m.sources.length} sources, ${mergeKeysText(m)} — ${ranges}`);
  }
  if (graph.merges.length) lines.push('');
  for (const n of graph.notMigrated) lines.push(dim(`  · not migrated: ${n.endpoint}.${n.schema}.${n.name} (${n.kind}) — ${n.reason}`, c));
  if (graph.notMigrated.length) lines.push('');

  lines.push(summaryLine(graph));
  return lines.join('\n') + '\n';
}

/** `PARTITION BY RANGE (year(`d`)), 3 partitions`: the clause's first line and its partition count. */
function partitionSummary(clause: string, partitions: number | undefined): string {
  // MySQL's clause holds its partitions (`PARTITION \`p0\` VALUES …`); PostgreSQL's are listed apart.
  const count = partitions ?? (clause.match(/\bPARTITION\s+`/gi) ?? []).length;
  const head = clause.split('\n')[0]!.replace(/\s*\($/, '').trim();
  return count > 0 ? `${head}, ${count} ${count === 1 ? 'partition' : 'partitions'}` : head;
}

/** How the table's rows travel, as the plan chose it (check/copy-path.ts). */
function copyPathLine(graph: ExecutionGraph, table: TableMapping): string | undefined {
  const engineOf = (name: string) => {
    const endpoint = graph.endpoints.find((e) => e.name === name);
    return endpoint ? findEngine(endpoint.engine) : undefined;
  };
  const [source, target] = [engineOf(table.source.endpoint), engineOf(table.target.endpoint)];
  return table.copyPath && source && target ? describeCopyPath(table.copyPath, source, target) : undefined;
}

function renderTable(table: TableMapping, steps: readonly Step[], c: boolean, copyPath: string | undefined): string[] {
  const has = (k: Step['kind']) => steps.some((s) => s.kind === k);
  const target = `${table.target.schema ? `${table.target.schema}.` : ''}${table.target.table}`;
  const source = sourceTableName(table);
  const rows = `~${groupThousands(table.source.rowEstimate)} rows`;
  const out: string[] = [];
  if (table.merge && table.merge.index > 0) {
    // The other sources of a merge write into the table its first source's entry lists.
    const tags = table.merge.slice.tags.map((t) => `${t.column} = ${'value' in t.value ? String(t.value.value) : 'text' in t.value ? t.value.text : 'null'}`).join(', ');
    const offset = table.merge.slice.offsetKey ? `offset ${table.merge.slice.offsetKey.offset}` : '';
    out.push(yellow(`  ~ table ${target}`, c) + ` ← ${source} (${rows}) ${dim(`merge ${table.merge.name}, source ${table.merge.index + 1} of ${table.merge.sources}${tags || offset ? `: ${[tags, offset].filter(Boolean).join(', ')}` : ''}`, c)}`);
    for (const col of table.columns) if (col.keyMap?.lookup === 'column' || (col.source.kind === 'column' && col.source.native.text !== col.targetType.text)) out.push(renderColumn(col, Math.max(...table.columns.map((x) => x.target.length), 4), c));
    return out;
  }
  if (has('drop_table')) out.push(red(`  -/+ table ${target}`, c) + ` ← ${source} (${rows}) ` + dim('(dropped and recreated)', c));
  else if (has('create_table')) out.push(green(`  + table ${target}`, c) + ` ← ${source} (${rows})${table.merge ? dim(` merge ${table.merge.name}, source 1 of ${table.merge.sources}`, c) : ''}`);
  else if (has('copy')) out.push(yellow(`  ~ table ${target}`, c) + ` ← ${source} (${rows}) ${has('truncate_table') ? dim('(truncated, then loaded)', c) : dim('(existing table, loaded)', c)}`);
  else out.push(yellow(`  ~ table ${target}`, c) + ` ${dim('(loaded; adding what is missing)', c)}`);

  if (has('create_table') || has('copy')) {
    const width = Math.max(...table.columns.map((col) => col.target.length), 4);
    for (const col of table.columns) out.push(renderColumn(col, width, c) + collationNote(table, col.target, c) + domainNote(table, col.target, c) + (table.targetDef.columns.find((x) => x.name === col.target)?.invisible ? dim(' invisible', c) : ''));
  }
  if (table.where) out.push(`      where ${table.where}`);
  if ((has('create_table') || has('drop_table')) && table.targetDef.partitionBy) out.push(dim(`      ${partitionSummary(table.targetDef.partitionBy, table.targetDef.partitions?.length)}`, c));
  if ((has('create_table') || has('drop_table')) && table.targetDef.unlogged) out.push(dim('      unlogged', c));
  if ((has('create_table') || has('drop_table')) && table.targetDef.tableOptions?.length) out.push(dim(`      ${table.targetDef.tableOptions.join(', ')}`, c));
  if (has('copy') && copyPath) out.push(dim(`      copy: ${copyPath}`, c));
  // A dialect that cannot add a primary key later (SQLite) declares it in CREATE TABLE: no step of its own.
  const primaryKey = table.targetDef.primaryKey;
  if (primaryKey && (has('create_table') || has('drop_table')) && !has('add_primary_key')) {
    out.push(green(`      + primary key (${primaryKey.columns.join(', ')}) declared with the table${deferrableNote(primaryKey.deferrable)}`, c));
  }
  for (const s of steps) {
    switch (s.kind) {
      case 'add_primary_key':
        out.push(green(`      + ${s.summary}${deferrableNote(table.targetDef.primaryKey?.deferrable)}${table.targetDef.primaryKey ? indexNote(table.targetDef.primaryKey) : ''}`, c));
        break;
      case 'add_unique_key':
      {
        const key = table.targetDef.uniqueKeys.find((k) => k.name === s.summary);
        out.push(green(`      + unique ${s.summary}${deferrableNote(key?.deferrable)}${key ? indexNote(key) : ''}`, c));
        break;
      }
      case 'create_index': {
        const index = table.targetDef.indexes.find((x) => x.name === s.summary);
        out.push(green(`      + index ${s.summary}${index ? indexNote(index) : ''}`, c));
        break;
      }
      case 'add_foreign_key': {
        const fk = table.targetDef.foreignKeys.find((f) => f.name === s.summary);
        const line = `foreign key ${s.summary}${fk ? ` (${fk.columns.join(', ')}) → ${fk.referencedTable} (${fk.referencedColumns.join(', ')})${fk.matchFull ? ' match full' : ''}${deferrableNote(fk.deferrable)}` : ''}`;
        out.push(s.changes !== undefined ? yellow(`      ~ ${line}: ${s.changes}`, c) : green(`      + ${line}`, c));
        break;
      }
      case 'reset_identity':
        out.push(green(s.summary.startsWith('sequence ') ? `      + ${s.summary} continues where the source's stands` : `      + identity ${s.summary} continues after the largest copied value`, c));
        break;
      case 'map_keys':
        out.push(green(`      + ${s.summary}`, c));
        break;
      case 'enable_row_security':
        out.push(green(`      + ${s.summary}`, c));
        break;
      case 'create_trigger':
        out.push((s.replaces === true ? yellow(`      ~ trigger ${s.summary}`, c) + dim(' (the target\'s differs: replaced)', c) : green(`      + trigger ${s.summary}`, c)) + dim(' (made once the table is loaded, so it fires on no copied row)', c));
        break;
      case 'validate':
        break; // listed last, below the keys it runs after
      case 'create_schema':
      case 'create_types':
      case 'create_view':
      case 'refresh_materialized_view':
      case 'create_sequence':
      case 'create_function':
      case 'drop_table':
      case 'truncate_table':
      case 'create_table':
      case 'copy':
        break;
      default: {
        const never: never = s.kind;
        return never;
      }
    }
  }
  const validate = steps.find((s) => s.kind === 'validate');
  if (validate) out.push(dim(`      validate ${validate.summary}`, c));
  return out;
}

/** What the plan found out about a merge's keys, and what on_conflict does about it. */
function mergeKeysText(m: MergeReport): string {
  switch (m.strategy) {
    case 'composite':
      return 'no key can collide (each source has its own tag in the key)';
    case 'surrogate':
      return 'no key can collide (new keys, recorded in the key map)';
    case 'offset': {
      if (m.overlaps === 0) return 'no key can collide';
      const found = m.collisions === 0 ? 'no key collides today' : `${m.collisions} key(s) collide, e.g. ${m.examples.join(', ')}`;
      switch (m.onConflict) {
        case 'reject':
          return `${m.overlaps} overlapping key range(s): ${found}`;
        case 'keep_first':
          return `${found}; on_conflict = keep_first loads each from the first source that has it, the others go to the rejects table`;
        case 'keep_last':
          return `${found}; on_conflict = keep_last loads each from the last source that has it, the others go to the rejects table`;
        case 'rejects_table':
          return `${found}; on_conflict = rejects_table loads none of their versions: all go to the rejects table`;
        default: {
          const never: never = m.onConflict;
          return never;
        }
      }
    }
    default: {
      const never: never = m.strategy;
      return never;
    }
  }
}

/** ` collate "C"` for a column that keeps the source's collation. */
function collationNote(table: TableMapping, column: string, c: boolean): string {
  const collation = table.targetDef.columns.find((x) => x.name === column)?.collation;
  return collation === undefined ? '' : dim(` collate "${collation}"`, c);
}

/** ` (domain d: CHECK (…))` for a column the target declares with a domain. */
function domainNote(table: TableMapping, column: string, c: boolean): string {
  const domain = table.targetDef.columns.find((x) => x.name === column)?.domain;
  if (!domain) return '';
  const rules = [...(domain.notNull ? ['NOT NULL'] : []), ...domain.checks.map((x) => `CHECK (${x.expression})`)];
  return dim(` (domain ${domain.name}${rules.length ? `: ${rules.join(', ')}` : ''})`, c);
}

function renderColumn(col: ColumnMapping, width: number, c: boolean): string {
  if (col.keyMap?.lookup === 'row_key') return `      ${col.target.padEnd(width)}  new key → ${col.targetType.text}` + dim(` (1..N across the sources, from the key map of merge ${col.keyMap.merge})`, c);
  const rewritten = col.keyMap?.lookup === 'column' ? yellow(` rewritten through the key map of merge ${col.keyMap.merge} (${col.keyMap.source})`, c) : '';
  const shifted = col.offset !== undefined && col.offset !== '0' ? yellow(` shifted by ${col.offset}`, c) : '';
  const source = col.source.kind === 'column' ? col.source.native.text : 'computed';
  const conversion = col.conversion === 'none' || col.conversion === 'cast' ? '' : ` using ${col.conversion}`;
  const lossy = col.lossless ? '' : yellow(` lossy: ${col.lossReason ?? 'narrowing'}`, c);
  const mask = col.mask ? yellow(` masked (${col.mask.kind})`, c) : '';
  const from = col.source.kind === 'column' && col.source.name !== col.target ? dim(` ← ${col.source.name}`, c) : '';
  return `      ${col.target.padEnd(width)}  ${source} → ${col.targetType.text}${conversion}${lossy}${mask}${rewritten}${shifted}${from}`;
}

/** `1 foreign key`, `2 foreign keys`, `0 indexes`. */
function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function summaryLine(graph: ExecutionGraph): string {
  const s = graph.summary;
  // Said again at the end: in a long plan the not-migrated lines scroll by.
  const notMigrated = graph.notMigrated.length ? `${counted(graph.notMigrated.length, 'object', 'objects')} of the source not migrated (the · lines above)` : '';
  if (graph.steps.length === 0) return `No changes. The target matches the plan: nothing to do.${notMigrated ? ` ${notMigrated[0]!.toUpperCase()}${notMigrated.slice(1)}.` : ''}`;
  const parts = [
    counted(s.tablesToCreate, 'table', 'tables') + ' to create',
    `${s.tablesToLoad} to load (~${groupThousands(s.rowsEstimate)} rows)`,
  ];
  if (s.tablesToDrop) parts.push(`${s.tablesToDrop} to drop and recreate`);
  if (s.tablesToTruncate) parts.push(`${s.tablesToTruncate} to truncate`);
  parts.push(counted(s.primaryKeys, 'primary key', 'primary keys'), counted(s.indexes + s.uniqueKeys, 'index', 'indexes'), counted(s.foreignKeys, 'foreign key', 'foreign keys'));
  if (s.views) parts.push(counted(s.views, 'view', 'views') + ' to make');
  if (s.materializedViewsToRefresh) parts.push(counted(s.materializedViewsToRefresh, 'materialized view', 'materialized views') + ' to refresh');
  if (s.sequences) parts.push(counted(s.sequences, 'sequence', 'sequences') + ' to make or move');
  if (s.routines) parts.push(counted(s.routines, 'function', 'functions') + ' to make or replace');
  if (s.triggers) parts.push(counted(s.triggers, 'trigger', 'triggers') + ' to make');
  if (s.unchangedTables) parts.push(`${s.unchangedTables} unchanged`);
  if (notMigrated) parts.push(notMigrated);
  return `Plan: ${parts.join(', ')}.`;
}

function describeUrl(url: UrlRef): string {
  switch (url.kind) {
    case 'env':
      return `env("${url.variable}")`;
    case 'literal':
      return redactUrl(url.value);
    default: {
      const never: never = url;
      return never;
    }
  }
}

/** ", deferrable (initially deferred)" for a constraint declared DEFERRABLE. */
/** INCLUDE columns and NULLS NOT DISTINCT, as the plan listing shows them. */
function indexNote(index: { readonly include?: readonly string[]; readonly nullsNotDistinct?: boolean }): string {
  return `${index.include?.length ? ` include (${index.include.join(', ')})` : ''}${index.nullsNotDistinct ? ' nulls not distinct' : ''}`;
}

function deferrableNote(deferrable: Deferrable | undefined): string {
  switch (deferrable) {
    case undefined:
      return '';
    case 'initially_immediate':
      return ', deferrable';
    case 'initially_deferred':
      return ', deferrable initially deferred';
    default: {
      const never: never = deferrable;
      return never;
    }
  }
}
