/**
 * Whether a column mask can produce values of the column's target type. A mask runs after the
 * conversion, on the target's values: `hash` and `redact` make text (bytes, for a binary column) and
 * `randomize_digits` changes the digits of a text or a number. Anywhere else they made values the
 * target refuses — a hex hash in a BIT or numeric column, '6202-78-21' from a date, 'xxxx' as JSON —
 * so every row was rejected at apply, one by one. Refused at plan time instead (DMS3458).
 */
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { MaskMethod } from '../ir/ir.js';
import type { LogicalType } from '../types/logical.js';

export function checkMaskFits(method: MaskMethod, target: LogicalType, what: string, targetType: string, span: Span, diagnostics: Diagnostic[]): void {
  const problem = maskProblem(method, target);
  if (problem === undefined) return;
  diagnostics.push(
    error('DMS3458', `${what}: mask ${describeMask(method)} ${problem} (the column is ${targetType} on the target)`, span, 'mask it with a literal of its type or `null`, or map the column to text first, e.g. `column NAME text`'),
  );
}

function maskProblem(method: MaskMethod, target: LogicalType): string | undefined {
  switch (method.kind) {
    case 'hash':
    case 'redact':
      return target.kind === 'text' || target.kind === 'binary' ? undefined : 'makes text, which this type does not take';
    case 'randomize_digits':
      return target.kind === 'text' || target.kind === 'int' || target.kind === 'decimal' ? undefined : 'changes digits of text or numbers only: here it would make values this type does not take';
    case 'fixed': {
      const value = method.value;
      if (value.kind !== 'string') return undefined;
      // Longer than the column holds: the target refuses every row it masks.
      if (target.kind === 'text' && target.length !== undefined && Array.from(value.value).length > target.length) return `is longer than the ${target.length} characters the column holds`;
      if (target.kind === 'binary' && target.length !== undefined && Buffer.byteLength(value.value, 'utf8') > target.length) return `is longer than the ${target.length} bytes the column holds`;
      if (target.kind !== 'enum') return undefined;
      return target.values.includes(value.value) ? undefined : `is not one of the column's labels (${target.values.map((l) => `'${l}'`).join(', ')})`;
    }
    default: {
      const never: never = method;
      return never;
    }
  }
}

function describeMask(method: MaskMethod): string {
  return method.kind === 'fixed' ? (method.value.kind === 'string' ? `'${method.value.value}'` : 'value') : method.kind;
}
