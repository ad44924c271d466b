/** Masks whose values the column's target type would refuse are refused at plan time (DMS3458). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMaskFits } from '../../src/check/mask-fit.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { MaskMethod } from '../../src/ir/ir.js';
import type { LogicalType } from '../../src/types/logical.js';

const SPAN = { file: '/plan.dmsplan', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };

function check(method: MaskMethod, target: LogicalType): readonly Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  checkMaskFits(method, target, 'shop.t.c', 'T', SPAN as never, diagnostics);
  return diagnostics;
}

const TEXT: LogicalType = { kind: 'text', length: 20, fixed: false };
const BINARY: LogicalType = { kind: 'binary', length: undefined, fixed: false };
const INT: LogicalType = { kind: 'int', bits: 32, unsigned: false };
const DECIMAL: LogicalType = { kind: 'decimal', precision: 10, scale: 2 };
const OTHERS: readonly LogicalType[] = [
  { kind: 'date' },
  { kind: 'timestamp', precision: 6 },
  { kind: 'bool' },
  { kind: 'bit', length: 64, varying: false },
  { kind: 'json', binary: true },
  { kind: 'uuid' },
  { kind: 'enum', values: ['a', 'b'], name: undefined },
  { kind: 'array', element: { kind: 'text', length: undefined, fixed: false } },
] as unknown as LogicalType[];

describe('masks that fit their column', () => {
  it('hash and redact take text and binary columns; randomize_digits text and numbers', () => {
    for (const target of [TEXT, BINARY]) {
      expect(check({ kind: 'hash' }, target)).toEqual([]);
      expect(check({ kind: 'redact' }, target)).toEqual([]);
    }
    for (const target of [TEXT, INT, DECIMAL]) expect(check({ kind: 'randomize_digits' }, target)).toEqual([]);
  });

  it('every other type refuses them with DMS3458, an error naming the column, mask and type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...OTHERS), fc.constantFrom<MaskMethod>({ kind: 'hash' }, { kind: 'redact' }, { kind: 'randomize_digits' }), (target, method) => {
        const said = check(method, target);
        expect(said.map((d) => [d.code, d.severity])).toEqual([['DMS3458', 'error']]);
        expect(said[0]!.message).toMatch(new RegExp(`^shop\\.t\\.c: mask ${method.kind} .*\\(the column is T on the target\\)$`));
      }),
    );
    expect(check({ kind: 'randomize_digits' }, BINARY).map((d) => d.code)).toEqual(['DMS3458']);
  });

  it('a string literal on an enum column must be one of its labels; other literals are left to the target', () => {
    const enumType: LogicalType = { kind: 'enum', values: ['a', 'b'], name: undefined };
    expect(check({ kind: 'fixed', value: { kind: 'string', value: 'b' } }, enumType)).toEqual([]);
    expect(check({ kind: 'fixed', value: { kind: 'string', value: 'zz' } }, enumType)[0]?.message).toBe("shop.t.c: mask 'zz' is not one of the column's labels ('a', 'b') (the column is T on the target)");
    expect(check({ kind: 'fixed', value: { kind: 'null' } }, enumType)).toEqual([]);
    expect(check({ kind: 'fixed', value: { kind: 'number', text: '0' } }, INT)).toEqual([]);
  });

  it('a string literal longer than a bounded text or binary column is refused (the target would refuse every row)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', maxLength: 30 }), fc.integer({ min: 1, max: 20 }), (text, length) => {
        const said = check({ kind: 'fixed', value: { kind: 'string', value: text } }, { kind: 'text', length, fixed: false });
        expect(said.length).toBe(Array.from(text).length > length ? 1 : 0);
      }),
    );
    expect(check({ kind: 'fixed', value: { kind: 'string', value: 'toolong' } }, { kind: 'text', length: 5, fixed: false })[0]?.message).toBe("shop.t.c: mask 'toolong' is longer than the 5 characters the column holds (the column is T on the target)");
    expect(check({ kind: 'fixed', value: { kind: 'string', value: 'né' } }, { kind: 'binary', length: 2, fixed: true }).map((d) => d.code)).toEqual(['DMS3458']);
    expect(check({ kind: 'fixed', value: { kind: 'string', value: 'toolong' } }, TEXT.kind === 'text' ? { ...TEXT, length: undefined } : TEXT)).toEqual([]);
  });
});
