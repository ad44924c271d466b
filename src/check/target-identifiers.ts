/**
 * Names the target engine cannot take at all, whatever their length (Dialect.identifierProblem:
 * MySQL has no emoji and no trailing space in names). Found by `plan` (DMS3453), not by a failed
 * CREATE TABLE halfway through apply.
 */
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { EngineModule, TargetTableDef } from '../engines/contract.js';

export function checkTargetNames(def: TargetTableDef, target: EngineModule, where: string, span: Span | undefined, diagnostics: Diagnostic[]): void {
  const problemOf = target.dialect.identifierProblem;
  if (!problemOf) return;
  const report = (what: string, name: string, hint: string): void => {
    const problem = problemOf(name);
    if (problem) diagnostics.push(error('DMS3453', `${where}: the ${what} name "${name}" ${problem}`, span, hint));
  };
  if (def.schema !== undefined) report('schema', def.schema, 'name another target schema in the map (`-> endpoint.schema.*`)');
  report('table', def.name, `rename the table in a table block: \`table ${quoteForPlan(def.name)} -> new_name { … }\``);
  for (const column of def.columns) report('column', column.name, `rename the column in its table block: \`rename ${quoteForPlan(column.name)} -> new_name\``);
  const onSource = 'rename it on the source (ALTER INDEX … RENAME TO …), or leave the table out';
  for (const key of def.uniqueKeys) report('unique key', key.name, onSource);
  for (const index of def.indexes) report('index', index.name, onSource);
  for (const check of def.checks) report('check constraint', check.name, onSource);
}

/** A foreign key's name, known once the keys between the mapped tables are resolved. */
export function checkForeignKeyName(name: string, target: EngineModule, where: string, span: Span | undefined, diagnostics: Diagnostic[]): void {
  const problem = target.dialect.identifierProblem?.(name);
  if (problem) diagnostics.push(error('DMS3453', `${where}: the foreign key name "${name}" ${problem}`, span, 'rename it on the source (ALTER TABLE … RENAME CONSTRAINT … TO …), or leave the table out'));
}

/**
 * ENUM and SET labels the target would change (MySQL trims their trailing spaces): the values would
 * arrive changed, so `plan` refuses the column (DMS3454) and says how to keep the values as text.
 */
export function checkTargetLabels(def: TargetTableDef, target: EngineModule, where: string, span: Span | undefined, diagnostics: Diagnostic[]): void {
  const problemOf = target.dialect.enumLabelProblem;
  if (!problemOf) return;
  for (const column of def.columns) {
    for (const label of column.type.values ?? []) {
      const problem = problemOf(label);
      if (!problem) continue;
      diagnostics.push(
        error('DMS3454', `${where}.${column.name}: the label '${label}' of ${column.type.text} ${problem}: its values would arrive changed`, span, `keep the column as text with a type rule, e.g. in a types block: column ${quoteForPlan(where.slice(where.lastIndexOf('.') + 1))}.${quoteForPlan(column.name)}: enum -> varchar(255)`),
      );
      break;
    }
  }
}

/** A name as a plan writes it: quoted unless it is a plain name. */
function quoteForPlan(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
