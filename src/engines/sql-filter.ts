/**
 * The engine-neutral filter language compiled to SQL. The shape of the SQL is the same on every
 * engine; what differs — literals, identifier quoting, and how LIKE is spelt — each dialect passes in.
 */
import type { ExprIR, LiteralValue } from '../ir/ir.js';

export interface SqlSpelling {
  readonly literal: (value: LiteralValue) => string;
  readonly ident: (name: string) => string;
  /** `operand [NOT] LIKE pattern` by default; SQLite compiles literal patterns to GLOB. */
  readonly like?: (operand: string, pattern: ExprIR, negated: boolean, compile: (e: ExprIR) => string) => string;
}

export function compileSqlFilter(expr: ExprIR, spelling: SqlSpelling): string {
  const c = (e: ExprIR): string => compileSqlFilter(e, spelling);
  const not = (negated: boolean) => (negated ? 'NOT ' : '');
  switch (expr.kind) {
    case 'literal':
      return spelling.literal(expr.value);
    case 'column':
      return spelling.ident(expr.name);
    case 'not':
      return `(NOT ${c(expr.operand)})`;
    case 'logical':
      return `(${c(expr.left)} ${expr.op === 'and' ? 'AND' : 'OR'} ${c(expr.right)})`;
    case 'compare':
      return `(${c(expr.left)} ${expr.op === '!=' ? '<>' : expr.op} ${c(expr.right)})`;
    case 'is_null':
      return `(${c(expr.operand)} IS ${not(expr.negated)}NULL)`;
    case 'in':
      return `(${c(expr.operand)} ${not(expr.negated)}IN (${expr.list.map(c).join(', ')}))`;
    case 'between':
      return `(${c(expr.operand)} ${not(expr.negated)}BETWEEN ${c(expr.low)} AND ${c(expr.high)})`;
    case 'like':
      return spelling.like ? spelling.like(c(expr.operand), expr.pattern, expr.negated, c) : `(${c(expr.operand)} ${not(expr.negated)}LIKE ${c(expr.pattern)})`;
    default: {
      const never: never = expr;
      return never;
    }
  }
}

export const SQL_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;

export interface LiteralSpelling {
  readonly quoteString: (s: string) => string;
  readonly bool: (b: boolean) => string;
  /** Typed literal keywords (`DATE '…'`), or undefined where the engine has none (SQLite: plain text). */
  readonly dateKeyword: string | undefined;
  readonly timestampKeyword: string | undefined;
}

/** A plan literal in SQL. Anything that is not a plain number goes in quotes, never raw into the SQL. */
export function renderSqlLiteral(value: LiteralValue, spelling: LiteralSpelling): string {
  const q = spelling.quoteString;
  switch (value.kind) {
    case 'null':
      return 'NULL';
    case 'bool':
      return spelling.bool(value.value);
    case 'number':
      return SQL_NUMBER.test(value.text) ? value.text : q(value.text);
    case 'string':
      return q(value.value);
    case 'date':
      return DATE.test(value.value) && spelling.dateKeyword ? `${spelling.dateKeyword} ${q(value.value)}` : q(value.value);
    case 'timestamp': {
      if (!TIMESTAMP.test(value.value)) return q(value.value);
      const text = q(value.value.replace('T', ' '));
      return spelling.timestampKeyword ? `${spelling.timestampKeyword} ${text}` : text;
    }
    default: {
      const never: never = value;
      return never;
    }
  }
}
