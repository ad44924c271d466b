import { describe, expect, it } from 'vitest';
import { VALUE_FUNCTIONS } from '../../src/ir/lower-functions.js';
import { compileValueExpr, IMPLEMENTED_FUNCTIONS } from '../../src/exec/value-expr.js';
import type { ValueExprIR } from '../../src/ir/ir.js';

const span = { file: 't', startOffset: 0, endOffset: 0, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
const col = (name: string): ValueExprIR => ({ kind: 'column', name, span });
const str = (value: string): ValueExprIR => ({ kind: 'literal', value: { kind: 'string', value }, span });
const call = (fn: string, ...args: ValueExprIR[]): ValueExprIR => ({ kind: 'call', fn, args, span });

describe('added-column expressions', () => {
  it('implement every function the language accepts', () => {
    for (const f of VALUE_FUNCTIONS) expect(IMPLEMENTED_FUNCTIONS).toContain(f.name);
  });

  it('evaluate per row on canonical values', () => {
    const index = (name: string) => ['city', 'country'].indexOf(name);
    const label = compileValueExpr(call('concat', col('city'), str('-'), call('upper', col('country'))), index);
    expect(label(['Paris', 'fr'])).toBe('Paris-FR');
    expect(label([null, 'fr'])).toBe('-FR');
    expect(compileValueExpr(call('coalesce', col('city'), str('n/a')), index)([null, 'x'])).toBe('n/a');
    expect(compileValueExpr(call('substr', col('city'), { kind: 'literal', value: { kind: 'number', text: '2' }, span }, { kind: 'literal', value: { kind: 'number', text: '3' }, span }), index)(['Ångström', ''])).toBe('ngs');
  });
});
