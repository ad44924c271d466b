/** Type rules written in the plan language, compiled by the real front end. */
import { compileTypeRules } from '../../../src/ir/load.js';
import type { TypeRulesIR } from '../../../src/ir/ir.js';

export function rulesOf(text: string): readonly TypeRulesIR[] {
  const compiled = compileTypeRules(text, 'test.dmsplan');
  if (compiled.diagnostics.length) throw new Error(`test setup: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  return compiled.value;
}
