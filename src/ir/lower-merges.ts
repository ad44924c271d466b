/** `merge NAME into TARGET { from ... key (...) strategy = ... on_conflict = ... }` → MergeIR. */
import { LANGUAGE } from '../diagnostics/codes/language.js';
import type { MergeAst, MergeItemAst, SelectorAst, SettingAst } from '../syntax/ast.js';
import type { ConflictPolicy, MergeIR, MergeKeyStrategy, MergeSourceIR } from './ir.js';
import { lowerLiteral } from './lower-expr.js';
import { patternText } from './lower-names.js';
import { resolveEndpointRef, type EndpointTable } from './lower-refs.js';
import type { Report } from './lower-report.js';
import { readSettings } from './lower-settings.js';

export function lowerMerge(ast: MergeAst, endpoints: EndpointTable, report: Report): MergeIR | undefined {
  const settings = readSettings(
    ast.items.filter((i): i is SettingAst => i.kind === 'setting'),
    {
      strategy: { kind: 'enum', values: ['composite', 'offset', 'surrogate'] },
      on_conflict: { kind: 'enum', values: ['reject', 'keep_first', 'keep_last', 'rejects_table'] },
    },
    `merge '${ast.name.text}'`,
    report,
  );
  const strategy = settings.enumValue<MergeKeyStrategy>('strategy', 'composite');
  const into = exactTable(ast.into, 'target', `the target of merge '${ast.name.text}'`, endpoints, report);
  const sources: MergeSourceIR[] = [];
  let key: Extract<MergeItemAst, { kind: 'key' }> | undefined;
  let fromCount = 0;
  for (const item of ast.items) {
    if (item.kind === 'key') {
      if (key) report.error(LANGUAGE.repeatedStatement, 'a merge has one key', item.span, 'list every key column in one key (...)', [{ message: 'first key here', span: key.span }]);
      else key = item;
    } else if (item.kind === 'from') {
      fromCount++;
      const table = exactTable(item.selector, 'source', `a source of merge '${ast.name.text}'`, endpoints, report);
      let offset: number | undefined;
      if (item.offset) {
        const n = Number(item.offset.text);
        if (!/^\d+$/.test(item.offset.text) || !Number.isSafeInteger(n)) report.error(LANGUAGE.valueOutOfRange, `offset must be a whole number of at least 0, not ${item.offset.text}`, item.offset.span);
        else if (strategy !== 'offset') report.error(LANGUAGE.offsetWithoutOffsetStrategy, `offset has no effect with strategy = ${strategy}`, item.offset.span, 'add strategy = offset to the merge, or remove the offset');
        else offset = n;
      }
      const tags = item.tags.map((tag) => ({ column: tag.column.text, value: lowerLiteral(tag.value, report), span: tag.span }));
      if (table) sources.push({ ...table, tags, offset, span: item.span });
    }
  }
  if (fromCount === 0) report.error(LANGUAGE.incompleteMerge, `merge '${ast.name.text}' has no source`, ast.name.span, 'add from ENDPOINT.schema.table for each source');
  if (!key) report.error(LANGUAGE.incompleteMerge, `merge '${ast.name.text}' has no key`, ast.name.span, 'add key (column, ...) naming the key of the merged table');
  if (!into) return undefined;
  return {
    name: ast.name.text,
    into: { ...into, span: ast.into.span },
    sources,
    key: key?.columns.map((c) => c.text) ?? [],
    strategy,
    onConflict: settings.enumValue<ConflictPolicy>('on_conflict', 'reject'),
    span: ast.span,
  };
}

/** `endpoint.schema.table`, all three exact names. */
function exactTable(selector: SelectorAst, role: 'source' | 'target', where: string, endpoints: EndpointTable, report: Report): { endpoint: string; schema: string; table: string } | undefined {
  const endpoint = resolveEndpointRef(selector.parts[0], role, where, endpoints, report, selector.span);
  const [, schema, table] = selector.parts;
  if (selector.parts.length !== 3 || !schema || !table) {
    report.error(LANGUAGE.invalidSelector, `${where} is endpoint.schema.table`, selector.span, 'name one table, e.g. shop.app.customers');
    return undefined;
  }
  for (const part of [schema, table]) {
    if (part.kind !== 'name') {
      report.error(LANGUAGE.invalidSelector, `${where} names one table; '${patternText(part)}' is a pattern`, part.span, 'write the exact schema and table names');
      return undefined;
    }
  }
  if (!endpoint || schema.kind !== 'name' || table.kind !== 'name') return undefined;
  return { endpoint, schema: schema.text, table: table.text };
}
