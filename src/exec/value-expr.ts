/**
 * Evaluation of added/computed column expressions, per row, in the executor: the same result on
 * every source engine and on the CDC path. Values are canonical (see types/logical.ts).
 */
import type { ValueExprIR } from '../ir/ir.js';
import type { Value } from '../types/logical.js';
import { literalValue } from './masks.js';

export type RowValue = (row: readonly Value[]) => Value;

/** `columnIndex` maps a source column name to its position in the row as read. */
export function compileValueExpr(expr: ValueExprIR, columnIndex: (name: string) => number): RowValue {
  switch (expr.kind) {
    case 'literal': {
      const v = literalValue(expr.value);
      return () => v;
    }
    case 'column': {
      const i = columnIndex(expr.name);
      return (row) => row[i] ?? null;
    }
    case 'call': {
      const args = expr.args.map((a) => compileValueExpr(a, columnIndex));
      const fn = FUNCTIONS[expr.fn.toLowerCase()];
      if (!fn) throw new Error(`bug: function ${expr.fn} passed the checker`);
      return (row) => fn(args.map((a) => a(row)));
    }
    default: {
      const never: never = expr;
      return never;
    }
  }
}

const text = (v: Value): string | null => (v === null ? null : typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'boolean' ? String(v) : JSON.stringify(v));

const FUNCTIONS: Readonly<Record<string, (args: readonly Value[]) => Value>> = {
  // PostgreSQL's concat(): null arguments count as empty (MySQL's CONCAT would return null).
  concat: (args) => args.map(text).filter((s): s is string => s !== null).join(''),
  upper: ([a]) => text(a ?? null)?.toUpperCase() ?? null,
  lower: ([a]) => text(a ?? null)?.toLowerCase() ?? null,
  coalesce: (args) => args.find((a) => a !== null) ?? null,
  substr: ([a, start, length]) => {
    const s = text(a ?? null);
    if (s === null) return null;
    const chars = Array.from(s);
    const from = Math.max(0, Number(start ?? '1') - 1);
    return chars.slice(from, length === undefined || length === null ? undefined : from + Number(length)).join('');
  },
  // now() is evaluated once per run so that every row of a run carries the same instant.
  now: () => RUN_STARTED_AT,
};

const RUN_STARTED_AT = new Date().toISOString().replace('T', ' ').replace('Z', '+00:00');

/** Names this evaluator implements; must cover the language's VALUE_FUNCTIONS (a test checks). */
export const IMPLEMENTED_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);
