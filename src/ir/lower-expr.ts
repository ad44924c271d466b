/** Literals, filter expressions and added-column values. */
import { LANGUAGE } from '../diagnostics/codes/language.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { ExprAst, LiteralAst, ValueExprAst } from '../syntax/ast.js';
import type { ExprIR, LiteralValue, ValueExprIR } from './ir.js';
import { VALUE_FUNCTIONS, findValueFunction } from './lower-functions.js';
import { assertNever } from './lower-names.js';
import type { Report } from './lower-report.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;

export function lowerLiteral(literal: LiteralAst, report: Report): LiteralValue {
  switch (literal.kind) {
    case 'null': return { kind: 'null' };
    case 'bool': return { kind: 'bool', value: literal.value };
    case 'number': return { kind: 'number', text: literal.text };
    case 'string': return { kind: 'string', value: literal.value };
    case 'date':
      if (!isValidDate(DATE.exec(literal.value))) report.error(LANGUAGE.invalidDateLiteral, `invalid date '${literal.value}': expected an existing date as YYYY-MM-DD`, literal.span);
      return { kind: 'date', value: literal.value };
    case 'timestamp': {
      const match = TIMESTAMP.exec(literal.value);
      const timeOk = match !== null && Number(match[4]) < 24 && Number(match[5]) < 60 && Number(match[6] ?? 0) < 60;
      if (!isValidDate(match) || !timeOk) report.error(LANGUAGE.invalidDateLiteral, `invalid timestamp '${literal.value}': expected YYYY-MM-DD hh:mm[:ss[.fff]]`, literal.span);
      return { kind: 'timestamp', value: literal.value };
    }
    default:
      return assertNever(literal);
  }
}

function isValidDate(match: RegExpExecArray | null): boolean {
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

export function lowerExpr(expr: ExprAst, report: Report): ExprIR {
  const span = expr.span;
  switch (expr.kind) {
    case 'literal': return { kind: 'literal', value: lowerLiteral(expr.value, report), span };
    case 'column': return { kind: 'column', name: expr.name, span };
    case 'not': return { kind: 'not', operand: lowerExpr(expr.operand, report), span };
    case 'logical': return { kind: 'logical', op: expr.op, left: lowerExpr(expr.left, report), right: lowerExpr(expr.right, report), span };
    case 'compare': return { kind: 'compare', op: expr.op, left: lowerExpr(expr.left, report), right: lowerExpr(expr.right, report), span };
    case 'is_null': return { kind: 'is_null', negated: expr.negated, operand: lowerExpr(expr.operand, report), span };
    case 'in': return { kind: 'in', negated: expr.negated, operand: lowerExpr(expr.operand, report), list: expr.list.map((e) => lowerExpr(e, report)), span };
    case 'between': return { kind: 'between', negated: expr.negated, operand: lowerExpr(expr.operand, report), low: lowerExpr(expr.low, report), high: lowerExpr(expr.high, report), span };
    case 'like': return { kind: 'like', negated: expr.negated, operand: lowerExpr(expr.operand, report), pattern: lowerExpr(expr.pattern, report), span };
    default: return assertNever(expr);
  }
}

export function lowerValue(value: ValueExprAst, report: Report): ValueExprIR {
  switch (value.kind) {
    case 'literal': return { kind: 'literal', value: lowerLiteral(value.value, report), span: value.span };
    case 'column': return { kind: 'column', name: value.name, span: value.span };
    case 'call': {
      const fn = findValueFunction(value.fn.text);
      if (!fn) {
        report.error(LANGUAGE.unknownFunction, `unknown function '${value.fn.text}'`, value.fn.span, didYouMean(value.fn.text, VALUE_FUNCTIONS.map((f) => f.name)) ?? `functions: ${VALUE_FUNCTIONS.map((f) => f.name).join(', ')}`);
      } else if (value.args.length < fn.minArgs || (fn.maxArgs !== undefined && value.args.length > fn.maxArgs)) {
        const expected = fn.maxArgs === undefined ? `at least ${fn.minArgs}` : fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
        report.error(LANGUAGE.wrongArgumentCount, `${fn.name}() takes ${expected} argument${expected === '1' ? '' : 's'}, not ${value.args.length}`, value.span, fn.description);
      }
      return { kind: 'call', fn: value.fn.text, args: value.args.map((a) => lowerValue(a, report)), span: value.span };
    }
    default:
      return assertNever(value);
  }
}
