/**
 * fast-check arbitraries for the plan AST: every value generated here is a plan the printer can
 * write and the parser reads back to the same AST (modulo spans). Spans are a dummy constant:
 * tests compare ASTs with spans stripped.
 */
import fc from 'fast-check';
import type { Span } from '../../src/diagnostics/diagnostic.js';
import type * as A from '../../src/syntax/ast.js';

export const DUMMY_SPAN: Span = { file: 'gen.dmsplan', startOffset: 0, endOffset: 0, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
const span = DUMMY_SPAN;
const braces: A.BracesAst = { openSpan: span, closeSpan: span };

const KEYWORDS = ['table', 'key', 'from', 'date', 'in', 'not', 'null', 'where', 'using', 'lossy', 'default', 'tag', 'env', 'and', 'raw', 'rows'];

/** Plain identifiers (never keywords). */
export const identifier: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('a', 'b', 'x', 'Total', 'Invoice', '_t', 'col', 'C'), fc.stringMatching(/^[A-Za-z0-9_]{0,6}$/))
  .map(([head, tail]) => head + tail)
  .filter((s) => !KEYWORDS.includes(s) && !['import', 'migration', 'source', 'target', 'map', 'types', 'merge', 'include', 'exclude', 'rename', 'drop', 'add', 'mask', 'column', 'chunk', 'by', 'unsigned', 'auto_increment', 'into', 'offset', 'or', 'is', 'between', 'like', 'true', 'false', 'timestamp'].includes(s));

/** Any text a name may hold: identifiers, keywords, and names needing quotes (spaces, quotes, symbols). */
export const nameText: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: identifier },
  { weight: 1, arbitrary: fc.constantFrom(...KEYWORDS) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9 _"`'*.#-]{1,10}$/) },
);

const name: fc.Arbitrary<A.NameAst> = nameText.map((text) => ({ text, span }));

/** String values: anything on one line, quotes included. */
const stringValue: fc.Arbitrary<string> = fc.string({ maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));

const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.nat({ max: 100000 }).map(String),
  fc.integer({ min: -999, max: -1 }).map(String),
  fc.tuple(fc.nat(99), fc.nat(99)).map(([a, b]) => `${a}.${b}`),
);

const globText: fc.Arbitrary<string> = fc.oneof(
  fc.constant('*'),
  fc.tuple(identifier, fc.constantFrom('*', '?', '*_x', '?')).map(([a, b]) => a + b),
  identifier.map((a) => `*${a}`),
);

const namePattern: fc.Arbitrary<A.NamePatternAst> = fc.oneof(
  { weight: 4, arbitrary: nameText.map((text) => ({ kind: 'name' as const, text, span })) },
  { weight: 2, arbitrary: globText.map((text) => ({ kind: 'glob' as const, text, span })) },
  { weight: 1, arbitrary: fc.tuple(fc.stringMatching(/^[a-z^$.*_ ]{1,8}$/), fc.constantFrom('', 'i', 'im')).map(([source, flags]) => ({ kind: 'regex' as const, source, flags, span })) },
);

const selector: fc.Arbitrary<A.SelectorAst> = fc.array(namePattern, { minLength: 1, maxLength: 3 }).map((parts) => ({ parts, span }));

const settingValue: fc.Arbitrary<A.SettingValueAst> = fc.oneof(
  fc.oneof(identifier, fc.constantFrom(...KEYWORDS)).map((text) => ({ kind: 'word' as const, text, span })),
  stringValue.map((value) => ({ kind: 'string' as const, value, span })),
  numberText.map((text) => ({ kind: 'number' as const, text, span })),
  fc.tuple(stringValue, fc.option(stringValue, { nil: undefined })).map(([variable, fallback]) => ({ kind: 'env' as const, variable, fallback, span })),
);

const setting: fc.Arbitrary<A.SettingAst> = fc.record({ name, value: settingValue }).map((s) => ({ kind: 'setting' as const, ...s, span }));
const settings = fc.array(setting, { maxLength: 4 });

export const literal: fc.Arbitrary<A.LiteralAst> = fc.oneof(
  fc.constant({ kind: 'null' as const, span }),
  fc.boolean().map((value) => ({ kind: 'bool' as const, value, span })),
  numberText.map((text) => ({ kind: 'number' as const, text, span })),
  stringValue.map((value) => ({ kind: 'string' as const, value, span })),
  stringValue.map((value) => ({ kind: 'date' as const, value, span })),
  stringValue.map((value) => ({ kind: 'timestamp' as const, value, span })),
);

const compareOp = fc.constantFrom<A.CompareOp>('=', '!=', '<', '<=', '>', '>=');

export const expr: fc.Arbitrary<A.ExprAst> = fc.letrec<{ expr: A.ExprAst }>((tie) => {
  const sub = tie('expr');
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      literal.map((value) => ({ kind: 'literal' as const, value, span })),
      nameText.map((n) => ({ kind: 'column' as const, name: n, span })),
      sub.map((operand) => ({ kind: 'not' as const, operand, span })),
      fc.record({ op: fc.constantFrom<'and' | 'or'>('and', 'or'), left: sub, right: sub }).map((e) => ({ kind: 'logical' as const, ...e, span })),
      fc.record({ op: compareOp, left: sub, right: sub }).map((e) => ({ kind: 'compare' as const, ...e, span })),
      fc.record({ negated: fc.boolean(), operand: sub }).map((e) => ({ kind: 'is_null' as const, ...e, span })),
      fc.record({ negated: fc.boolean(), operand: sub, list: fc.array(sub, { minLength: 1, maxLength: 3 }) }).map((e) => ({ kind: 'in' as const, ...e, span })),
      fc.record({ negated: fc.boolean(), operand: sub, low: sub, high: sub }).map((e) => ({ kind: 'between' as const, ...e, span })),
      fc.record({ negated: fc.boolean(), operand: sub, pattern: sub }).map((e) => ({ kind: 'like' as const, ...e, span })),
    ),
  };
}).expr;

const functionName = fc.constantFrom('concat', 'upper', 'lower', 'coalesce', 'substr', 'now', 'frobnicate');

export const valueExpr: fc.Arbitrary<A.ValueExprAst> = fc.letrec<{ value: A.ValueExprAst }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal.map((value) => ({ kind: 'literal' as const, value, span })),
    nameText.map((n) => ({ kind: 'column' as const, name: n, span })),
    fc.record({ fn: functionName.map((text) => ({ text, span })), args: fc.array(tie('value'), { maxLength: 3 }) }).map((c) => ({ kind: 'call' as const, ...c, span })),
  ),
})).value;

/** Type names: single words (keywords such as `date` included) and quoted multi-word names. */
const typeName = fc.constantFrom('int', 'bigint', 'decimal', 'numeric', 'varchar', 'text', 'timestamptz', 'date', 'timestamp', 'jsonb', 'double precision', 'timestamp with time zone', 'character varying').map((text) => ({ text, span }));

const typeParam: fc.Arbitrary<A.TypeParamAst> = fc.oneof(
  numberText.map((text) => ({ kind: 'number' as const, text, span })),
  fc.constant({ kind: 'any' as const, span }),
  fc.constantFrom('p', 's', 'n', 'len').map((n) => ({ kind: 'bind' as const, name: n, span })),
);

const typeExpr: fc.Arbitrary<A.TypeExprAst> = fc
  .record({ name: typeName, params: fc.option(fc.array(typeParam, { minLength: 1, maxLength: 3 }), { nil: undefined }), unsigned: fc.boolean(), array: fc.boolean() })
  .map((t) => ({ ...t, span }));

const maskMethod: fc.Arbitrary<A.MaskMethodAst> = fc.oneof(
  fc.constantFrom('hash', 'redact', 'randomize_digits', 'shuffle').map((n) => ({ kind: 'method' as const, name: n, span })),
  literal.map((value) => ({ kind: 'literal' as const, value, span })),
);

const numberAst = fc.nat({ max: 1_000_000 }).map((n) => ({ text: String(n), span }));

const tableItem: fc.Arbitrary<A.TableItemAst> = fc.oneof(
  expr.map((e) => ({ kind: 'where' as const, filter: { kind: 'expr' as const, expr: e, span }, span })),
  stringValue.map((sql) => ({ kind: 'where' as const, filter: { kind: 'raw' as const, sql, span }, span })),
  fc.record({ from: name, to: name }).map((r) => ({ kind: 'rename' as const, ...r, span })),
  name.map((column) => ({ kind: 'drop' as const, column, span })),
  fc.record({ column: name, type: typeExpr, value: valueExpr }).map((r) => ({ kind: 'add' as const, ...r, span })),
  fc.record({ column: name, method: maskMethod }).map((r) => ({ kind: 'mask' as const, ...r, span })),
  fc.record({ column: name, type: typeExpr, conversion: fc.option(name, { nil: undefined }), lossy: fc.boolean() }).map((r) => ({ kind: 'column' as const, ...r, span })),
  fc.record({ rows: fc.option(numberAst, { nil: undefined }), by: fc.option(name, { nil: undefined }) }).map((r) => ({ kind: 'chunk' as const, ...r, span })),
);

const table: fc.Arbitrary<A.TableAst> = fc
  .record({ match: namePattern, renameTo: fc.option(name, { nil: undefined }), items: fc.array(tableItem, { maxLength: 4 }) })
  .map((t) => ({ kind: 'table' as const, ...t, ...braces, span }));

const mapItem: fc.Arbitrary<A.MapItemAst> = fc.oneof(
  setting,
  namePattern.map((pattern) => ({ kind: 'include' as const, pattern, span })),
  namePattern.map((pattern) => ({ kind: 'exclude' as const, pattern, span })),
  table,
);

const guard: fc.Arbitrary<A.GuardAst> = fc.oneof(
  fc.constantFrom('unsigned' as const, 'not_null' as const, 'default' as const, 'auto_increment' as const).map((kind) => ({ kind, span })),
  fc.record({ param: fc.constantFrom('p', 's', 'n').map((text) => ({ text, span })), op: compareOp, value: numberAst }).map((g) => ({ kind: 'compare' as const, ...g, span })),
);

const typeRule: fc.Arbitrary<A.TypeRuleAst> = fc
  .record({
    scope: fc.option(fc.record({ table: fc.option(namePattern, { nil: undefined }), column: namePattern }).map((s) => ({ ...s, span })), { nil: undefined }),
    pattern: typeExpr,
    guards: fc.array(guard, { maxLength: 3 }),
    target: typeExpr,
    conversion: fc.option(name, { nil: undefined }),
    lossy: fc.boolean(),
  })
  .map((r) => ({ ...r, span }));

const mergeItem: fc.Arbitrary<A.MergeItemAst> = fc.oneof(
  fc
    .record({ selector, tags: fc.array(fc.record({ column: name, value: literal }).map((t) => ({ ...t, span })), { maxLength: 2 }), offset: fc.option(numberAst, { nil: undefined }) })
    .map((f) => ({ kind: 'from' as const, ...f, span })),
  fc.array(name, { minLength: 1, maxLength: 3 }).map((columns) => ({ kind: 'key' as const, columns, span })),
  setting,
);

const subBlock: fc.Arbitrary<A.SubBlockAst> = fc.record({ name, settings }).map((b) => ({ kind: 'block' as const, ...b, ...braces, span }));

export const statement: fc.Arbitrary<A.StatementAst> = fc.oneof(
  stringValue.map((p) => ({ kind: 'import' as const, path: p, pathSpan: span, span })),
  fc.record({ name: fc.option(name, { nil: undefined }), settings }).map((m) => ({ kind: 'migration' as const, ...m, ...braces, span })),
  fc
    .record({ role: fc.constantFrom<'source' | 'target'>('source', 'target'), name, engine: name, items: fc.array(fc.oneof(setting, subBlock), { maxLength: 4 }) })
    .map((e) => ({ kind: 'endpoint' as const, ...e, ...braces, span })),
  fc.record({ source: selector, target: selector, items: fc.array(mapItem, { maxLength: 4 }) }).map((m) => ({ kind: 'map' as const, ...m, ...braces, span })),
  fc.record({ from: name, to: name, rules: fc.array(typeRule, { maxLength: 4 }) }).map((t) => ({ kind: 'types' as const, ...t, ...braces, span })),
  fc.record({ name, into: selector, items: fc.array(mergeItem, { maxLength: 4 }) }).map((m) => ({ kind: 'merge' as const, ...m, ...braces, span })),
);

export const planAst: fc.Arbitrary<A.PlanAst> = fc.array(statement, { maxLength: 5 }).map((statements) => ({ file: 'gen.dmsplan', statements, comments: [], span }));

/** Removes every span so that ASTs from different texts compare equal when they mean the same. */
export function stripSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSpans);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === 'span' || key.endsWith('Span') || key === 'file') continue;
      if (v === undefined) continue;
      out[key] = stripSpans(v);
    }
    return out;
  }
  return value;
}
