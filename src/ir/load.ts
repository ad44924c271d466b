/**
 * Entry points of the front end: a plan's text (and its imports) → IR with every diagnostic.
 * Imports resolve relative to the importing file; each file is read once; cycles and missing
 * files are diagnostics at the `import` statement.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LANGUAGE } from '../diagnostics/codes/language.js';
import { error, hasErrors, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { PlanAst } from '../syntax/ast.js';
import { parsePlan } from '../syntax/parse.js';
import type { PlanIR, TypeRulesIR } from './ir.js';
import { lowerPlan } from './lower.js';
import { Report } from './lower-report.js';
import { lowerTypes } from './lower-types.js';

export function compilePlan(text: string, file: string, readImport: (absPath: string) => string | undefined): Result<PlanIR | undefined> {
  const diagnostics: Diagnostic[] = [];
  const main = parsePlan(text, file);
  diagnostics.push(...main.diagnostics);
  if (main.value.statements.length === 0 && hasErrors(main.diagnostics)) return { value: undefined, diagnostics };
  // An empty file (a redirect that failed, `> plan.dmsplan` of a command that printed nothing) planned
  // as "No changes" with exit 0: a pipeline went green having migrated nothing.
  if (main.value.statements.length === 0) {
    const start = { file, startOffset: 0, endOffset: 0, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
    diagnostics.push(error('DMS4011', `${path.basename(file)} declares nothing: no source, no target, no map`, start, 'is it the file you meant? `dmsplan init --from URL --to URL` writes a starter plan'));
  }

  const files: PlanAst[] = [main.value];
  const loaded = new Set<string>([path.resolve(file)]);
  const visit = (ast: PlanAst, stack: readonly string[]): void => {
    for (const statement of ast.statements) {
      if (statement.kind !== 'import') continue;
      const absolute = path.resolve(path.dirname(stack[stack.length - 1] ?? ast.file), statement.path);
      if (stack.includes(absolute)) {
        const cycle = [...stack.slice(stack.indexOf(absolute)), absolute].map((p) => path.basename(p)).join(' -> ');
        diagnostics.push(error(LANGUAGE.importCycle, `import cycle: ${cycle}`, statement.pathSpan, 'move what both files need into a third file that both import'));
        continue;
      }
      if (loaded.has(absolute)) continue;
      const importedText = safeRead(readImport, absolute);
      if (importedText === undefined) {
        diagnostics.push(error(LANGUAGE.importNotFound, `cannot read imported file ${statement.path} (looked for ${absolute})`, statement.pathSpan, 'import paths are relative to the importing file'));
        continue;
      }
      loaded.add(absolute);
      const parsed = parsePlan(importedText, absolute);
      diagnostics.push(...parsed.diagnostics);
      files.push(parsed.value);
      visit(parsed.value, [...stack, absolute]);
    }
  };
  visit(main.value, [path.resolve(file)]);

  const lowered = lowerPlan(files);
  diagnostics.push(...lowered.diagnostics);
  return { value: lowered.value, diagnostics: sortDiagnostics(diagnostics, lowered.value.files) };
}

export function loadPlanFile(planPath: string): Result<PlanIR | undefined> {
  let text: string;
  try {
    text = fs.readFileSync(planPath, 'utf8');
  } catch (e) {
    return { value: undefined, diagnostics: [error(LANGUAGE.importNotFound, `cannot read plan file ${planPath}: ${describeFsError(e)}`)] };
  }
  return compilePlan(text, planPath, (absPath) => {
    try {
      return fs.readFileSync(absPath, 'utf8');
    } catch {
      return undefined;
    }
  });
}

/** A file of `types` blocks only, such as the built-in prelude under plans/types/. */
export function compileTypeRules(text: string, file: string): Result<readonly TypeRulesIR[]> {
  const parsed = parsePlan(text, file);
  const report = new Report();
  const rules: TypeRulesIR[] = [];
  for (const statement of parsed.value.statements) {
    if (statement.kind !== 'types') {
      report.error(LANGUAGE.onlyTypesAllowed, `a type-rules file holds only types blocks, not ${statement.kind === 'endpoint' ? statement.role : statement.kind}`, statement.span, 'move it into a plan file');
      continue;
    }
    const lowered = lowerTypes(statement, report);
    if (lowered) rules.push(lowered);
  }
  return { value: rules, diagnostics: [...parsed.diagnostics, ...report.diagnostics] };
}

function safeRead(readImport: (absPath: string) => string | undefined, absPath: string): string | undefined {
  try {
    return readImport(absPath);
  } catch {
    return undefined;
  }
}

function describeFsError(e: unknown): string {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

/** Diagnostics in file order (main first), then by position; stable for equal positions. */
function sortDiagnostics(diagnostics: readonly Diagnostic[], files: readonly string[]): Diagnostic[] {
  const fileIndex = (d: Diagnostic): number => (d.span ? Math.max(0, files.indexOf(d.span.file)) : -1);
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => fileIndex(a.d) - fileIndex(b.d) || (a.d.span?.startOffset ?? 0) - (b.d.span?.startOffset ?? 0) || a.i - b.i)
    .map(({ d }) => d);
}
