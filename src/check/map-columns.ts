/**
 * One source table's columns → the target table's columns: drops, renames, naming policy, the type
 * rule chosen for each, masks, and added columns.
 */
import { targetNameKey } from './target-names.js';
import { error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { EngineModule } from '../engines/contract.js';
import type { MapIR, TableRuleIR, TypeRulesIR } from '../ir/ir.js';
import type { ColumnCatalog, NativeType, TableCatalog } from '../schema/catalog.js';
import { sameDialect } from './target-table.js';
import { chooseColumnType } from '../types/choose.js';
import { checkMaskFits } from './mask-fit.js';
import type { ColumnMapping } from './checked-plan.js';
import { applyNaming, fitIdentifier } from './naming.js';
import { findByName } from './patterns.js';
import { closestMatch as suggestName } from '../diagnostics/suggest.js';
import { printName } from '../syntax/print-expr.js';

export interface ColumnMappingInput {
  readonly map: MapIR;
  readonly rule: TableRuleIR | undefined;
  readonly table: TableCatalog;
  readonly source: EngineModule;
  readonly target: EngineModule;
  readonly planRules: readonly TypeRulesIR[];
  readonly builtinRules: readonly TypeRulesIR[];
  /** The types the target database has, when its catalog lists them (Catalog.typeNames). */
  readonly targetTypeNames?: ReadonlySet<string>;
}

export interface MappedColumns {
  readonly columns: readonly ColumnMapping[];
  /** Source column name → target column name, for keys, indexes and foreign keys. */
  readonly renamed: ReadonlyMap<string, string>;
  /**
   * Generated columns the target computes itself (same dialect, no column renamed or dropped, so
   * their expressions read the same): created as generated and never written, so not mapped.
   */
  readonly generated: readonly { readonly column: ColumnCatalog; readonly type: NativeType }[];
  /**
   * Same dialect, no column dropped or renamed: SQL of the source that names the table's columns
   * (generation expressions, a MySQL partitioning clause) reads the same on the target.
   */
  readonly namesKept: boolean;
}

export function mapColumns(input: ColumnMappingInput, diagnostics: Diagnostic[]): MappedColumns {
  const { map, rule, table } = input;
  const where = `${table.schema}.${table.name}`;
  checkColumnReferences(input, diagnostics);

  const dropped = new Set((rule?.drops ?? []).map((d) => resolveColumn(table, d.column)?.name ?? d.column));
  const renamed = new Map<string, string>();
  const columns: ColumnMapping[] = [];
  const generated: { column: ColumnCatalog; type: NativeType }[] = [];
  const maxLength = input.target.capabilities.maxIdentifierLength;
  const targetNameOf = (column: ColumnCatalog): string => {
    const explicit = rule?.renames.find((r) => resolveColumn(table, r.from)?.name === column.name);
    return fitIdentifier(explicit ? explicit.to : applyNaming(map.naming, column.name), maxLength);
  };
  // A generated column's expression names other columns: it reads the same on the target only
  // when the dialect is the same and every column keeps its name.
  const namesKept = sameDialect(input.source, input.target) && dropped.size === 0 && table.columns.every((c) => targetNameOf(c) === c.name);

  for (const column of table.columns) {
    if (dropped.has(column.name)) continue;
    const unreadable = input.source.types.unreadable?.(column.nativeType);
    if (unreadable !== undefined) {
      diagnostics.push(error('DMS3530', `${where}.${column.name} cannot be read: ${unreadable}`, rule?.span ?? map.span, `leave the column out with \`drop ${printName(column.name)}\` in a \`table ${printName(table.name)} { … }\` block`));
      continue;
    }
    const targetName = targetNameOf(column);
    renamed.set(column.name, targetName);
    const override = rule?.columnTypes.find((o) => resolveColumn(table, o.column)?.name === column.name);
    const choice = chooseColumnType({
      sourceTypes: input.source.types,
      targetTypes: input.target.types,
      targetEngine: input.target.name,
      column,
      table: { schema: table.schema, name: table.name },
      planRules: input.planRules,
      builtinRules: input.builtinRules,
      override,
      ...(input.targetTypeNames ? { targetTypeNames: input.targetTypeNames } : {}),
    });
    diagnostics.push(...choice.diagnostics);
    const mask = rule?.masks.find((m) => resolveColumn(table, m.column)?.name === column.name);
    if (mask) checkMaskFits(mask.method, choice.value.targetLogical, `${where}.${column.name}`, choice.value.target.text, mask.span, diagnostics);
    if (column.generated && namesKept && !mask && !override && choice.value.conversion === 'none') {
      generated.push({ column, type: choice.value.target });
      continue;
    }
    columns.push({
      target: targetName,
      source: { kind: 'column', name: column.name, native: column.nativeType, logical: column.logical },
      targetType: choice.value.target,
      targetLogical: choice.value.targetLogical,
      conversion: choice.value.conversion,
      lossless: choice.value.lossless,
      lossReason: choice.value.lossReason,
      rule: choice.value.rule,
      mask: mask?.method,
      ...(choice.value.keepsStoredValues && !mask ? { keepsStoredValues: true as const } : {}),
    });
    if (column.generated) {
      diagnostics.push(
        warning('DMS3409', `${where}.${column.name} is a generated column; its values are copied into a plain column`, rule?.span ?? map.span),
      );
    }
  }

  for (const add of rule?.adds ?? []) {
    const typeText = `${add.type.name}${add.type.params.length ? `(${add.type.params.join(', ')})` : ''}${add.type.unsigned ? ' unsigned' : ''}${add.type.array ? '[]' : ''}`;
    const native = input.target.types.parseNative(typeText);
    if (!native) {
      diagnostics.push(error('DMS3403', `unknown ${input.target.name} type \`${typeText}\` for added column ${add.column}`, add.type.span));
      continue;
    }
    const logical = input.target.types.toLogical(native);
    columns.push({
      target: fitIdentifier(add.column, maxLength),
      source: { kind: 'expression', expr: add.value, logical },
      targetType: native,
      targetLogical: logical,
      conversion: 'cast',
      lossless: true,
      lossReason: undefined,
      rule: { origin: 'added', text: `add ${add.column} ${typeText}`, span: add.span },
      mask: undefined,
    });
  }

  const seen = new Map<string, ColumnMapping>();
  for (const c of columns) {
    const key = targetNameKey(input.target, 'columns', c.target);
    if (seen.has(key)) {
      diagnostics.push(error('DMS3405', `${where}: two columns would be named \`${c.target}\` in the target table`, c.rule.span ?? rule?.span ?? map.span));
    }
    seen.set(key, c);
  }
  return { columns, renamed, generated, namesKept };
}

export function resolveColumn(table: TableCatalog, name: string): ColumnCatalog | undefined {
  return findByName(table.columns, name);
}

function checkColumnReferences(input: ColumnMappingInput, diagnostics: Diagnostic[]): void {
  const { rule, table } = input;
  if (!rule) return;
  const names = table.columns.map((c) => c.name);
  const refs = [
    ...rule.renames.map((r) => ({ name: r.from, span: r.span, what: 'rename' })),
    ...rule.drops.map((d) => ({ name: d.column, span: d.span, what: 'drop' })),
    ...rule.masks.map((m) => ({ name: m.column, span: m.span, what: 'mask' })),
    ...rule.columnTypes.map((c) => ({ name: c.column, span: c.span, what: 'column' })),
    ...(rule.chunk?.by ? [{ name: rule.chunk.by, span: rule.chunk.span, what: 'chunk by' }] : []),
  ];
  for (const ref of refs) {
    if (resolveColumn(table, ref.name)) continue;
    const hint = suggestName(ref.name, names);
    diagnostics.push(
      error('DMS3403', `${ref.what}: table ${table.schema}.${table.name} has no column \`${ref.name}\``, ref.span, hint ? `did you mean \`${hint}\`?` : undefined),
    );
  }
}
