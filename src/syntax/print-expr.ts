/**
 * Canonical text of names, strings, literals, types and expressions. Quoting rules:
 *  - names are written bare when they are plain identifiers, else in double quotes ("" inside);
 *  - inside expressions, a column named like an expression keyword (`date`, `in`, ...) is quoted;
 *  - expression strings use single quotes ('' inside), setting strings use double quotes.
 */
import { EXPRESSION_KEYWORDS } from '../../grammar/tokens.js';
import type { ExprAst, LiteralAst, NamePatternAst, SelectorAst, TypeExprAst, TypeParamAst, ValueExprAst } from './ast.js';

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function printName(text: string): string {
  return PLAIN_IDENTIFIER.test(text) ? text : doubleQuoted(text);
}

/** A column inside a filter or value expression. */
export function printColumn(text: string): string {
  return PLAIN_IDENTIFIER.test(text) && !EXPRESSION_KEYWORDS.includes(text) ? text : doubleQuoted(text);
}

export function singleQuoted(value: string): string {
  return `'${value.split("'").join("''")}'`;
}

export function doubleQuoted(value: string): string {
  return `"${value.split('"').join('""')}"`;
}

export function printNamePattern(pattern: NamePatternAst): string {
  switch (pattern.kind) {
    case 'name': return printName(pattern.text);
    case 'glob': return pattern.text;
    case 'regex': return `/${pattern.source}/${pattern.flags}`;
    default: return assertNever(pattern);
  }
}

export function printSelector(selector: SelectorAst): string {
  return selector.parts.map(printNamePattern).join('.');
}

export function printLiteral(literal: LiteralAst): string {
  switch (literal.kind) {
    case 'null': return 'null';
    case 'bool': return literal.value ? 'true' : 'false';
    case 'number': return literal.text;
    case 'string': return singleQuoted(literal.value);
    case 'date': return `date ${singleQuoted(literal.value)}`;
    case 'timestamp': return `timestamp ${singleQuoted(literal.value)}`;
    default: return assertNever(literal);
  }
}

function printTypeParam(param: TypeParamAst): string {
  switch (param.kind) {
    case 'number': return param.text;
    case 'any': return '*';
    case 'bind': return printName(param.name);
    default: return assertNever(param);
  }
}

export function printType(type: TypeExprAst): string {
  const params = type.params ? `(${type.params.map(printTypeParam).join(', ')})` : '';
  return `${printName(type.name.text)}${params}${type.unsigned ? ' unsigned' : ''}${type.array ? '[]' : ''}`;
}

/** Binding strength: a child weaker than its context is parenthesised. */
const Precedence = { Or: 1, And: 2, Not: 3, Predicate: 4, Atom: 5 } as const;
type Precedence = (typeof Precedence)[keyof typeof Precedence];

function precedenceOf(expr: ExprAst): Precedence {
  switch (expr.kind) {
    case 'logical': return expr.op === 'or' ? Precedence.Or : Precedence.And;
    case 'not': return Precedence.Not;
    case 'compare': case 'is_null': case 'in': case 'between': case 'like': return Precedence.Predicate;
    case 'literal': case 'column': return Precedence.Atom;
    default: return assertNever(expr);
  }
}

export function printExpr(expr: ExprAst, context: Precedence = Precedence.Or): string {
  const text = printExprBare(expr);
  return precedenceOf(expr) < context ? `(${text})` : text;
}

function operand(expr: ExprAst): string {
  return printExpr(expr, Precedence.Atom);
}

function printExprBare(expr: ExprAst): string {
  const not = (negated: boolean): string => (negated ? 'not ' : '');
  switch (expr.kind) {
    case 'literal': return printLiteral(expr.value);
    case 'column': return printColumn(expr.name);
    case 'not': return `not ${printExpr(expr.operand, Precedence.Not)}`;
    case 'logical': {
      // Left-associative: the right operand of `a or b` must bind tighter than `or` to round-trip.
      const own: Precedence = expr.op === 'or' ? Precedence.Or : Precedence.And;
      return `${printExpr(expr.left, own)} ${expr.op} ${printExpr(expr.right, expr.op === 'or' ? Precedence.And : Precedence.Not)}`;
    }
    case 'compare': return `${operand(expr.left)} ${expr.op} ${operand(expr.right)}`;
    case 'is_null': return `${operand(expr.operand)} is ${not(expr.negated)}null`;
    case 'in': return `${operand(expr.operand)} ${not(expr.negated)}in (${expr.list.map(operand).join(', ')})`;
    case 'between': return `${operand(expr.operand)} ${not(expr.negated)}between ${operand(expr.low)} and ${operand(expr.high)}`;
    case 'like': return `${operand(expr.operand)} ${not(expr.negated)}like ${operand(expr.pattern)}`;
    default: return assertNever(expr);
  }
}

export function printValue(value: ValueExprAst): string {
  switch (value.kind) {
    case 'literal': return printLiteral(value.value);
    case 'column': return printColumn(value.name);
    case 'call': return `${value.fn.text}(${value.args.map(printValue).join(', ')})`;
    default: return assertNever(value);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
