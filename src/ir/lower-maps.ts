/** `map SOURCE -> TARGET { ... }` → MapIR, with its table blocks. */
import { LANGUAGE } from '../diagnostics/codes/language.js';
import type { Span } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { MapAst, NamePatternAst, SettingAst, TableAst, TableItemAst, TypeExprAst } from '../syntax/ast.js';
import { isConversionName, CONVERSION_NAMES } from '../types/conversion-names.js';
import type { ChunkIR, FilterIR, MapIR, MaskMethod, NamePattern, NamingPolicy, SourceSelector, TableRuleIR, TargetSelector, TypeExprIR } from './ir.js';
import { lowerExpr, lowerLiteral, lowerValue } from './lower-expr.js';
import { lowerNamePattern, patternText } from './lower-names.js';
import { resolveEndpointRef, type EndpointTable } from './lower-refs.js';
import type { Report } from './lower-report.js';
import { readSettings } from './lower-settings.js';

const MASK_METHODS = ['hash', 'redact', 'randomize_digits'] as const;
const ANY: NamePattern = { kind: 'glob', text: '*' };

export function lowerMap(ast: MapAst, endpoints: EndpointTable, report: Report): MapIR | undefined {
  const source = lowerSourceSelector(ast, endpoints, report);
  const target = lowerTargetSelector(ast, endpoints, report);
  const settings = readSettings(
    ast.items.filter((i): i is SettingAst => i.kind === 'setting'),
    { names: { kind: 'enum', values: ['keep', 'lower', 'snake_case', 'fold'] }, views: { kind: 'enum', values: ['exclude', 'include', 'recreate'] } },
    'a map',
    report,
  );
  const includes: NamePattern[] = [];
  const excludes: NamePattern[] = [];
  const tables: TableRuleIR[] = [];
  const tableBlocks = new Map<string, TableAst>();
  for (const item of ast.items) {
    switch (item.kind) {
      case 'setting':
        break;
      case 'include':
      case 'exclude': {
        const pattern = lowerNamePattern(item.pattern, report);
        if (pattern) (item.kind === 'include' ? includes : excludes).push(pattern);
        break;
      }
      case 'table': {
        const key = patternText(item.match);
        const first = tableBlocks.get(key);
        if (first) {
          report.error(LANGUAGE.duplicateTable, `a second table block for '${key}' in this map`, item.match.span, 'put all rules for this table into one block', [{ message: 'first block here', span: first.match.span }]);
          break;
        }
        tableBlocks.set(key, item);
        const table = lowerTable(item, report);
        if (table) tables.push(table);
        break;
      }
      default:
        return assertNever(item);
    }
  }
  if (!source || !target) return undefined;
  return {
    source,
    target,
    naming: settings.enumValue<NamingPolicy>('names', 'keep'),
    ...(settings.has('names') ? {} : { namingDefaulted: true as const }),
    includeViews: settings.enumValue<'include' | 'exclude' | 'recreate'>('views', 'exclude') === 'include',
    recreateViews: settings.enumValue<'include' | 'exclude' | 'recreate'>('views', 'exclude') === 'recreate',
    includes,
    excludes,
    tables,
    span: ast.span,
  };
}

function lowerSourceSelector(ast: MapAst, endpoints: EndpointTable, report: Report): SourceSelector | undefined {
  const parts = ast.source.parts;
  const endpoint = resolveEndpointRef(parts[0], 'source', 'the source of a map', endpoints, report, ast.source.span);
  if (parts.length < 2 || parts.length > 3) {
    report.error(LANGUAGE.invalidSelector, `the source of a map is endpoint.schema.table (or endpoint.table), not ${parts.length} part${parts.length === 1 ? '' : 's'}`, ast.source.span, `for example ${parts[0]?.kind === 'name' ? parts[0].text : 'shop'}.app.*`);
    return undefined;
  }
  const schemaAst = parts.length === 3 ? parts[1] : undefined;
  const tableAst = parts[parts.length - 1] as NamePatternAst;
  const schema = schemaAst ? lowerNamePattern(schemaAst, report) : ANY;
  const table = lowerNamePattern(tableAst, report);
  if (!endpoint || !schema || !table) return undefined;
  return { endpoint, schema, table, span: ast.source.span };
}

function lowerTargetSelector(ast: MapAst, endpoints: EndpointTable, report: Report): TargetSelector | undefined {
  const parts = ast.target.parts;
  const endpoint = resolveEndpointRef(parts[0], 'target', 'the target of a map', endpoints, report, ast.target.span);
  if (parts.length < 2 || parts.length > 3) {
    report.error(LANGUAGE.invalidSelector, `the target of a map is endpoint.schema.table (or endpoint.table), not ${parts.length} part${parts.length === 1 ? '' : 's'}`, ast.target.span, `for example ${parts[0]?.kind === 'name' ? parts[0].text : 'dw'}.app.*`);
    return undefined;
  }
  const name = (part: NamePatternAst | undefined): string | '*' | undefined => {
    if (part === undefined) return '*';
    if (part.kind === 'name') return part.text;
    if (part.kind === 'glob' && part.text === '*') return '*';
    report.error(LANGUAGE.invalidSelector, `a map target names a schema and table, or * to derive them from the source; '${patternText(part)}' is a pattern`, part.span, 'write a plain name or *');
    return undefined;
  };
  const schema = name(parts.length === 3 ? parts[1] : undefined);
  const table = name(parts[parts.length - 1]);
  if (table !== undefined && table !== '*') {
    const sourceTable = ast.source.parts[ast.source.parts.length - 1];
    if (sourceTable && sourceTable.kind !== 'name') {
      report.error(LANGUAGE.invalidSelector, `the map copies every table matching '${patternText(sourceTable)}' into the one table '${table}'`, ast.target.span, 'end the target with .* or select one source table; to combine tables use a merge');
      return undefined;
    }
  }
  if (!endpoint || schema === undefined || table === undefined) return undefined;
  return { endpoint, schema, table, span: ast.target.span };
}

function lowerTable(ast: TableAst, report: Report): TableRuleIR | undefined {
  const match = lowerNamePattern(ast.match, report);
  if (ast.renameTo && ast.match.kind !== 'name') {
    report.error(LANGUAGE.tableRenameNeedsExactName, `'${patternText(ast.match)}' may match several tables, so it cannot be renamed to '${ast.renameTo.text}'`, ast.renameTo.span, 'name one table exactly, or remove "-> name"');
  }
  let where: FilterIR | undefined;
  let chunk: ChunkIR | undefined;
  const once = new Map<string, Span>();
  const renames: TableRuleIR['renames'][number][] = [];
  const drops: TableRuleIR['drops'][number][] = [];
  const adds: TableRuleIR['adds'][number][] = [];
  const masks: TableRuleIR['masks'][number][] = [];
  const columnTypes: TableRuleIR['columnTypes'][number][] = [];
  const columnRules = new ColumnRules(report);

  for (const item of ast.items) {
    if (item.kind === 'where' || item.kind === 'chunk') {
      const first = once.get(item.kind);
      if (first) {
        report.error(LANGUAGE.repeatedStatement, `a table block has at most one '${item.kind}'`, item.span, item.kind === 'where' ? 'combine the conditions with and' : 'keep one chunk statement', [{ message: 'first here', span: first }]);
        continue;
      }
      once.set(item.kind, item.span);
    }
    switch (item.kind) {
      case 'where':
        where = item.filter.kind === 'raw' ? { kind: 'raw', sql: item.filter.sql, span: item.filter.span } : { kind: 'expr', expr: lowerExpr(item.filter.expr, report), span: item.filter.span };
        break;
      case 'rename':
        if (columnRules.claim(item.from.text, 'rename', item)) renames.push({ from: item.from.text, to: item.to.text, span: item.span });
        break;
      case 'drop':
        if (columnRules.claim(item.column.text, 'drop', item)) drops.push({ column: item.column.text, span: item.span });
        break;
      case 'add': {
        const type = lowerColumnType(item.type, report);
        const value = lowerValue(item.value, report);
        if (columnRules.claim(item.column.text, 'add', item) && type) adds.push({ column: item.column.text, type, value, span: item.span });
        break;
      }
      case 'mask': {
        const method = lowerMaskMethod(item, report);
        if (columnRules.claim(item.column.text, 'mask', item) && method) masks.push({ column: item.column.text, method, span: item.span });
        break;
      }
      case 'column': {
        const type = lowerColumnType(item.type, report);
        const conversion = checkConversion(item.conversion, report);
        if (columnRules.claim(item.column.text, 'column', item) && type) columnTypes.push({ column: item.column.text, type, conversion, lossy: item.lossy, span: item.span });
        break;
      }
      case 'chunk': {
        let rows: number | undefined;
        if (item.rows) {
          const n = Number(item.rows.text);
          if (!/^\d+$/.test(item.rows.text) || !Number.isSafeInteger(n) || n < 1) report.error(LANGUAGE.valueOutOfRange, `chunk rows must be a whole number of at least 1, not ${item.rows.text}`, item.rows.span);
          else rows = n;
        }
        chunk = { rows, by: item.by?.text, span: item.span };
        break;
      }
      default:
        return assertNever(item);
    }
  }
  if (!match) return undefined;
  return { match, renameTo: ast.renameTo?.text, where, renames, drops, adds, masks, columnTypes, chunk, span: ast.span };
}

/** Detects columns given rules that contradict each other within one table block. */
class ColumnRules {
  private readonly claims = new Map<string, { kind: string; span: Span }[]>();
  constructor(private readonly report: Report) {}

  /** Records a rule for a column; false (after a diagnostic) when it conflicts with an earlier one. */
  claim(column: string, kind: 'rename' | 'drop' | 'add' | 'mask' | 'column', item: TableItemAst): boolean {
    const earlier = this.claims.get(column) ?? [];
    // Dropping a column and adding one of the same name is a legitimate replacement; dropping a
    // column and also renaming, masking or retyping it is not.
    const conflict = earlier.find((c) => c.kind === kind || (c.kind === 'drop' && kind !== 'add') || (kind === 'drop' && c.kind !== 'add'));
    if (conflict) {
      const message = conflict.kind === kind ? `'${column}' has two ${kind} rules in this table block` : `'${column}' has both a ${conflict.kind} and a ${kind} rule`;
      this.report.error(LANGUAGE.conflictingColumnRules, message, item.span, 'keep one of them', [{ message: `the ${conflict.kind} rule`, span: conflict.span }]);
      return false;
    }
    this.claims.set(column, [...earlier, { kind, span: item.span }]);
    return true;
  }
}

function lowerMaskMethod(item: Extract<TableItemAst, { kind: 'mask' }>, report: Report): MaskMethod | undefined {
  const method = item.method;
  if (method.kind === 'literal') return { kind: 'fixed', value: lowerLiteral(method.value, report) };
  if ((MASK_METHODS as readonly string[]).includes(method.name)) return { kind: method.name as (typeof MASK_METHODS)[number] };
  report.error(LANGUAGE.unknownMaskMethod, `unknown mask method '${method.name}'`, method.span, didYouMean(method.name, MASK_METHODS) ?? `use hash, redact, randomize_digits or a literal such as 'n/a'`);
  return undefined;
}

/** A column type in a table block: parameters are plain numbers (no `*`, no bound names). */
export function lowerColumnType(type: TypeExprAst, report: Report): TypeExprIR | undefined {
  const params: number[] = [];
  let ok = true;
  for (const param of type.params ?? []) {
    const n = param.kind === 'number' ? Number(param.text) : Number.NaN;
    if (param.kind !== 'number' || !/^\d+$/.test(param.text) || !Number.isSafeInteger(n)) {
      report.error(LANGUAGE.invalidTypeParam, `a column type takes whole numbers as parameters, not '${param.kind === 'number' ? param.text : param.kind === 'any' ? '*' : param.name}'`, param.span, 'write the size, e.g. numeric(12, 2)');
      ok = false;
    } else params.push(n);
  }
  return ok ? { name: type.name.text, params, unsigned: type.unsigned, array: type.array, span: type.span } : undefined;
}

export function checkConversion(conversion: { readonly text: string; readonly span: Span } | undefined, report: Report): string | undefined {
  if (!conversion) return undefined;
  if (isConversionName(conversion.text)) return conversion.text;
  report.error(LANGUAGE.unknownConversion, `unknown conversion '${conversion.text}'`, conversion.span, didYouMean(conversion.text, CONVERSION_NAMES) ?? `conversions: ${CONVERSION_NAMES.join(', ')}`);
  return undefined;
}

function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
