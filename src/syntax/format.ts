/** The formatter: text → canonical text, or undefined when the text does not parse. */
import { hasErrors, type Result } from '../diagnostics/diagnostic.js';
import { parsePlan } from './parse.js';
import { printPlan } from './print.js';

export function formatPlan(text: string, file: string): Result<string | undefined> {
  const parsed = parsePlan(text, file);
  // With syntax errors the AST misses what could not be read: printing it would lose text.
  if (hasErrors(parsed.diagnostics)) return { value: undefined, diagnostics: parsed.diagnostics };
  return { value: printPlan(parsed.value), diagnostics: parsed.diagnostics };
}
