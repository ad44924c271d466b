/**
 * CST → AST. The CST may be partial (the parser recovers from errors): an item whose pieces are
 * missing is dropped here — its syntax error has already been reported — so that lowering never
 * sees half-built names and reports nonsense on top of the real error.
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import { error, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import { MAX_EXPRESSION_DEPTH, SYNTAX } from '../diagnostics/codes/syntax.js';
import type * as A from './ast.js';
import { joinSpans, spanOfLocation, spanOfToken } from './span.js';

/** Thrown (and caught within this file only) when a CST piece is missing after recovery. */
class Damaged extends Error {}

/** Items that are blocks: kept after recovery (their own complete items are worth lowering). */
const BLOCK_RULES: ReadonlySet<string> = new Set(['migrationBlock', 'endpointBlock', 'mapBlock', 'typesBlock', 'mergeBlock', 'tableBlock', 'subBlock']);

type Children = Record<string, CstElement[] | undefined>;

function isToken(element: CstElement | undefined): element is IToken {
  return element !== undefined && 'image' in element;
}

export class CstToAst {
  /** Mistakes found while converting (the parser accepted them): filters nested too deeply. */
  readonly problems: Diagnostic[] = [];

  constructor(private readonly file: string) {}

  // ── helpers ──────────────────────────────────────────────────────────────────────────────
  private kids(node: CstNode): Children {
    return node.children as Children;
  }

  private token(node: CstNode, key: string, index = 0): IToken | undefined {
    const element = this.kids(node)[key]?.[index];
    if (!isToken(element) || element.isInsertedInRecovery || Number.isNaN(element.startOffset)) return undefined;
    return element;
  }

  private needToken(node: CstNode, key: string, index = 0): IToken {
    const token = this.token(node, key, index);
    if (!token) throw new Damaged(key);
    return token;
  }

  private tokens(node: CstNode, key: string): IToken[] {
    return (this.kids(node)[key] ?? []).filter(isToken);
  }

  private node(node: CstNode, key: string, index = 0): CstNode | undefined {
    const element = this.kids(node)[key]?.[index];
    return element !== undefined && !isToken(element) ? element : undefined;
  }

  private needNode(node: CstNode, key: string, index = 0): CstNode {
    const child = this.node(node, key, index);
    if (!child || (child.recoveredNode && !BLOCK_RULES.has(child.name))) throw new Damaged(key);
    return child;
  }

  private nodes(node: CstNode, key: string): CstNode[] {
    return (this.kids(node)[key] ?? []).filter((e): e is CstNode => !isToken(e));
  }

  private span(node: CstNode): Span {
    const location = node.location;
    if (!location || Number.isNaN(location.startOffset) || location.endOffset === undefined || Number.isNaN(location.endOffset)) throw new Damaged(node.name);
    return spanOfLocation(this.file, location);
  }

  private tokenSpan(token: IToken): Span {
    return spanOfToken(this.file, token);
  }

  /** Converts each item, dropping those that recovery left incomplete. */
  private items<T>(nodes: readonly CstNode[], convert: (node: CstNode) => T): T[] {
    const out: T[] = [];
    for (const node of nodes) {
      // A recovered block may still hold complete items; a recovered simple item never does.
      if (node.recoveredNode && !BLOCK_RULES.has(Object.keys(node.children)[0] ?? '')) continue;
      try {
        out.push(convert(node));
      } catch (e) {
        if (!(e instanceof Damaged)) throw e;
      }
    }
    return out;
  }

  /** The braces of a block; a `}` lost to recovery is placed at the end of the block's text. */
  private braces(node: CstNode): A.BracesAst {
    const open = this.needToken(node, 'LCurly');
    const close = this.token(node, 'RCurly');
    const openSpan = this.tokenSpan(open);
    if (close) return { openSpan, closeSpan: this.tokenSpan(close) };
    const end = node.location?.endOffset !== undefined && !Number.isNaN(node.location.endOffset) ? this.span(node) : openSpan;
    const closeSpan: Span = { ...end, startOffset: end.endOffset, startLine: end.endLine, startColumn: end.endColumn };
    return { openSpan, closeSpan };
  }

  // ── statements ───────────────────────────────────────────────────────────────────────────
  statements(plan: CstNode): A.StatementAst[] {
    return this.items(this.nodes(plan, 'statement'), (statement) => this.statement(statement));
  }

  private statement(node: CstNode): A.StatementAst {
    const [key] = Object.keys(this.kids(node));
    const child = this.needNode(node, key ?? '');
    switch (key) {
      case 'importStatement': return this.importStatement(child);
      case 'migrationBlock': return this.migration(child);
      case 'endpointBlock': return this.endpoint(child);
      case 'mapBlock': return this.map(child);
      case 'typesBlock': return this.types(child);
      case 'mergeBlock': return this.merge(child);
      default: throw new Damaged(String(key));
    }
  }

  private importStatement(node: CstNode): A.ImportAst {
    const path = this.needNode(node, 'stringLiteral');
    return { kind: 'import', path: this.stringValue(path), pathSpan: this.span(path), span: this.span(node) };
  }

  private migration(node: CstNode): A.MigrationAst {
    const name = this.node(node, 'name');
    return {
      kind: 'migration',
      name: name ? this.name(name) : undefined,
      settings: this.items(this.nodes(node, 'setting'), (s) => this.setting(s)),
      ...this.braces(node),
      span: this.span(node),
    };
  }

  private endpoint(node: CstNode): A.EndpointAst {
    const role = this.token(node, 'Kw_source') ? 'source' : 'target';
    return {
      kind: 'endpoint',
      role,
      name: this.name(this.needNode(node, 'endpointName')),
      engine: this.name(this.needNode(node, 'engine')),
      items: this.items(this.nodes(node, 'endpointItem'), (item) => {
        const setting = this.node(item, 'setting');
        return setting ? this.setting(this.needNode(item, 'setting')) : this.subBlock(this.needNode(item, 'subBlock'));
      }),
      ...this.braces(node),
      span: this.span(node),
    };
  }

  private subBlock(node: CstNode): A.SubBlockAst {
    return {
      kind: 'block',
      name: this.name(this.needNode(node, 'name')),
      settings: this.items(this.nodes(node, 'setting'), (s) => this.setting(s)),
      ...this.braces(node),
      span: this.span(node),
    };
  }

  private setting(node: CstNode): A.SettingAst {
    return { kind: 'setting', name: this.name(this.needNode(node, 'name')), value: this.settingValue(this.needNode(node, 'settingValue')), span: this.span(node) };
  }

  private settingValue(node: CstNode): A.SettingValueAst {
    const span = this.span(node);
    const env = this.node(node, 'envCall');
    if (env) {
      const call = this.needNode(node, 'envCall');
      const fallback = this.node(call, 'fallback');
      this.needToken(call, 'RParen');
      return { kind: 'env', variable: this.stringValue(this.needNode(call, 'variable')), fallback: fallback ? this.stringValue(this.needNode(call, 'fallback')) : undefined, span };
    }
    const string = this.node(node, 'stringLiteral');
    if (string) return { kind: 'string', value: this.stringValue(this.needNode(node, 'stringLiteral')), span };
    const number = this.token(node, 'NumberLiteral');
    if (number) return { kind: 'number', text: number.image, span };
    const word = this.token(node, 'Identifier') ?? this.needToken(node, 'SoftKeyword');
    return { kind: 'word', text: word.image, span };
  }

  // ── maps ─────────────────────────────────────────────────────────────────────────────────
  private map(node: CstNode): A.MapAst {
    return {
      kind: 'map',
      source: this.selector(this.needNode(node, 'source')),
      target: this.selector(this.needNode(node, 'target')),
      items: this.items(this.nodes(node, 'mapItem'), (item) => this.mapItem(item)),
      ...this.braces(node),
      span: this.span(node),
    };
  }

  private mapItem(node: CstNode): A.MapItemAst {
    const [key] = Object.keys(this.kids(node));
    const child = this.needNode(node, key ?? '');
    switch (key) {
      case 'setting': return this.setting(child);
      case 'includeClause': return { kind: 'include', pattern: this.namePattern(this.needNode(child, 'namePattern')), span: this.span(child) };
      case 'excludeClause': return { kind: 'exclude', pattern: this.namePattern(this.needNode(child, 'namePattern')), span: this.span(child) };
      case 'tableBlock': return this.table(child);
      default: throw new Damaged(String(key));
    }
  }

  private table(node: CstNode): A.TableAst {
    const renameTo = this.node(node, 'renameTo');
    return {
      kind: 'table',
      match: this.namePattern(this.needNode(node, 'namePattern')),
      renameTo: renameTo ? this.name(this.needNode(node, 'renameTo')) : undefined,
      items: this.items(this.nodes(node, 'tableItem'), (item) => this.tableItem(item)),
      ...this.braces(node),
      span: this.span(node),
    };
  }

  private tableItem(node: CstNode): A.TableItemAst {
    const [key] = Object.keys(this.kids(node));
    const child = this.needNode(node, key ?? '');
    const span = this.span(child);
    switch (key) {
      case 'whereClause': {
        const body = this.needNode(child, 'whereBody');
        const raw = this.node(body, 'stringLiteral');
        if (raw) return { kind: 'where', filter: { kind: 'raw', sql: this.stringValue(this.needNode(body, 'stringLiteral')), span: this.span(body) }, span };
        return { kind: 'where', filter: { kind: 'expr', expr: this.shallow(this.orExpr(this.needNode(body, 'orExpr'))), span: this.span(body) }, span };
      }
      case 'renameClause':
        this.needToken(child, 'Arrow');
        return { kind: 'rename', from: this.name(this.needNode(child, 'from')), to: this.name(this.needNode(child, 'to')), span };
      case 'dropClause':
        return { kind: 'drop', column: this.name(this.needNode(child, 'name')), span };
      case 'addClause':
        this.needToken(child, 'Equals');
        return { kind: 'add', column: this.name(this.needNode(child, 'name')), type: this.typeExpr(this.needNode(child, 'typeExpr')), value: this.valueExpr(this.needNode(child, 'valueExpr')), span };
      case 'maskClause': {
        this.needToken(child, 'Equals');
        const methodNode = this.needNode(child, 'maskMethod');
        const literal = this.node(methodNode, 'literal');
        const method: A.MaskMethodAst = literal
          ? { kind: 'literal', value: this.literal(this.needNode(methodNode, 'literal')), span: this.span(methodNode) }
          : { kind: 'method', name: this.needToken(methodNode, 'Identifier').image, span: this.span(methodNode) };
        return { kind: 'mask', column: this.name(this.needNode(child, 'name')), method, span };
      }
      case 'columnClause': {
        const tail = this.conversionTail(this.needNode(child, 'conversionTail'));
        return { kind: 'column', column: this.name(this.needNode(child, 'name')), type: this.typeExpr(this.needNode(child, 'typeExpr')), ...tail, span };
      }
      case 'chunkClause': {
        const rows = this.token(child, 'NumberLiteral');
        if (this.kids(child)['Kw_rows'] && !rows) throw new Damaged('rows');
        const by = this.node(child, 'name');
        return { kind: 'chunk', rows: rows ? { text: rows.image, span: this.tokenSpan(rows) } : undefined, by: by ? this.name(this.needNode(child, 'name')) : undefined, span };
      }
      default:
        throw new Damaged(String(key));
    }
  }

  // ── types ────────────────────────────────────────────────────────────────────────────────
  private types(node: CstNode): A.TypesAst {
    this.needToken(node, 'Arrow');
    return {
      kind: 'types',
      from: this.name(this.needNode(node, 'from')),
      to: this.name(this.needNode(node, 'to')),
      rules: this.items(this.nodes(node, 'typeRule'), (rule) => this.typeRule(rule)),
      ...this.braces(node),
      span: this.span(node),
    };
  }

  private typeRule(node: CstNode): A.TypeRuleAst {
    this.needToken(node, 'Arrow');
    const scopeNode = this.node(node, 'ruleScope');
    let scope: A.RuleScopeAst | undefined;
    if (scopeNode) {
      const s = this.needNode(node, 'ruleScope');
      this.needToken(s, 'Colon');
      const first = this.namePattern(this.needNode(s, 'namePattern', 0));
      const second = this.node(s, 'namePattern', 1);
      scope = second
        ? { table: first, column: this.namePattern(this.needNode(s, 'namePattern', 1)), span: this.span(s) }
        : { table: undefined, column: first, span: this.span(s) };
    }
    return {
      scope,
      pattern: this.typeExpr(this.needNode(node, 'pattern')),
      guards: this.nodes(node, 'guard').map((g) => this.guard(g)),
      target: this.typeExpr(this.needNode(node, 'target')),
      ...this.conversionTail(this.needNode(node, 'conversionTail')),
      span: this.span(node),
    };
  }

  private guard(node: CstNode): A.GuardAst {
    if (node.recoveredNode) throw new Damaged('guard');
    const span = this.span(node);
    if (this.token(node, 'Kw_unsigned')) return { kind: 'unsigned', span };
    if (this.token(node, 'Kw_not')) {
      this.needToken(node, 'Kw_null');
      return { kind: 'not_null', span };
    }
    if (this.token(node, 'Kw_default')) return { kind: 'default', span };
    if (this.token(node, 'Kw_auto_increment')) return { kind: 'auto_increment', span };
    const param = this.needToken(node, 'Identifier');
    const value = this.needToken(node, 'NumberLiteral');
    return {
      kind: 'compare',
      param: { text: param.image, span: this.tokenSpan(param) },
      op: this.compareOp(this.needNode(node, 'compareOp')),
      value: { text: value.image, span: this.tokenSpan(value) },
      span,
    };
  }

  private conversionTail(node: CstNode): { conversion: A.NameAst | undefined; lossy: boolean } {
    const using = this.node(node, 'name');
    return { conversion: using ? this.name(this.needNode(node, 'name')) : undefined, lossy: this.token(node, 'Kw_lossy') !== undefined };
  }

  private typeExpr(node: CstNode): A.TypeExprAst {
    const hasParens = this.kids(node)['LParen'] !== undefined;
    if (hasParens) this.needToken(node, 'RParen');
    if (this.kids(node)['LBracket']) this.needToken(node, 'RBracket');
    return {
      name: this.name(this.needNode(node, 'name')),
      params: hasParens ? this.nodes(node, 'typeParam').map((p) => this.typeParam(p)) : undefined,
      unsigned: this.token(node, 'Kw_unsigned') !== undefined,
      array: this.token(node, 'LBracket') !== undefined,
      span: this.span(node),
    };
  }

  private typeParam(node: CstNode): A.TypeParamAst {
    if (node.recoveredNode) throw new Damaged('typeParam');
    const span = this.span(node);
    const number = this.token(node, 'NumberLiteral');
    if (number) return { kind: 'number', text: number.image, span };
    if (this.token(node, 'Star')) return { kind: 'any', span };
    return { kind: 'bind', name: this.name(this.needNode(node, 'name')).text, span };
  }

  // ── merges ───────────────────────────────────────────────────────────────────────────────
  private merge(node: CstNode): A.MergeAst {
    this.needToken(node, 'Kw_into');
    return {
      kind: 'merge',
      name: this.name(this.needNode(node, 'name')),
      into: this.selector(this.needNode(node, 'selector')),
      items: this.items(this.nodes(node, 'mergeItem'), (item) => this.mergeItem(item)),
      ...this.braces(node),
      span: this.span(node),
    };
  }

  private mergeItem(node: CstNode): A.MergeItemAst {
    const [key] = Object.keys(this.kids(node));
    const child = this.needNode(node, key ?? '');
    switch (key) {
      case 'fromClause': {
        const offset = this.token(child, 'NumberLiteral');
        if (this.kids(child)['Kw_offset'] && !offset) throw new Damaged('offset');
        return {
          kind: 'from',
          selector: this.selector(this.needNode(child, 'selector')),
          tags: this.nodes(child, 'tagClause').map((tag) => {
            if (tag.recoveredNode) throw new Damaged('tag');
            this.needToken(tag, 'Equals');
            return { column: this.name(this.needNode(tag, 'name')), value: this.literal(this.needNode(tag, 'literal')), span: this.span(tag) };
          }),
          offset: offset ? { text: offset.image, span: this.tokenSpan(offset) } : undefined,
          span: this.span(child),
        };
      }
      case 'keyClause':
        this.needToken(child, 'RParen');
        return { kind: 'key', columns: this.nodes(child, 'name').map((n) => this.name(n)), span: this.span(child) };
      case 'setting':
        return this.setting(child);
      default:
        throw new Damaged(String(key));
    }
  }

  // ── names ────────────────────────────────────────────────────────────────────────────────
  private selector(node: CstNode): A.SelectorAst {
    const parts = this.nodes(node, 'namePattern').map((p) => this.namePattern(p));
    if (parts.length === 0 || this.tokens(node, 'Dot').length !== parts.length - 1) throw new Damaged('selector');
    return { parts, span: this.span(node) };
  }

  private namePattern(node: CstNode): A.NamePatternAst {
    if (node.recoveredNode) throw new Damaged('namePattern');
    const span = this.span(node);
    const glob = this.token(node, 'Glob') ?? this.token(node, 'Star');
    if (glob) return { kind: 'glob', text: glob.image, span };
    const regex = this.token(node, 'RegexLiteral');
    if (regex) {
      const lastSlash = regex.image.lastIndexOf('/');
      return { kind: 'regex', source: regex.image.slice(1, lastSlash), flags: regex.image.slice(lastSlash + 1), span };
    }
    return { kind: 'name', text: this.name(this.needNode(node, 'name')).text, span };
  }

  private name(node: CstNode): A.NameAst {
    if (node.recoveredNode) throw new Damaged('name');
    const token = this.token(node, 'Identifier') ?? this.token(node, 'SoftKeyword') ?? this.token(node, 'DoubleQuoted') ?? this.needToken(node, 'BacktickQuoted');
    return { text: nameText(token), span: this.tokenSpan(token) };
  }

  private stringValue(node: CstNode): string {
    if (node.recoveredNode) throw new Damaged('string');
    const token = this.token(node, 'SingleQuoted') ?? this.needToken(node, 'DoubleQuoted');
    return unquote(token.image);
  }

  // ── expressions ──────────────────────────────────────────────────────────────────────────
  private orExpr(node: CstNode): A.ExprAst {
    if (node.recoveredNode) throw new Damaged('orExpr');
    return this.fold(this.nodes(node, 'andExpr').map((n) => this.andExpr(n)), 'or');
  }

  private andExpr(node: CstNode): A.ExprAst {
    if (node.recoveredNode) throw new Damaged('andExpr');
    return this.fold(this.nodes(node, 'notExpr').map((n) => this.notExpr(n)), 'and');
  }

  /** A filter every later stage can walk recursively, or a DMS1006 and the item dropped. */
  private shallow(expr: A.ExprAst): A.ExprAst {
    const depth = expressionDepth(expr);
    if (depth <= MAX_EXPRESSION_DEPTH) return expr;
    this.problems.push(
      error(SYNTAX.nestedTooDeeply, `this filter is nested ${depth} levels deep, more than ${MAX_EXPRESSION_DEPTH} (each and/or of a chain and each not is a level)`, expr.span, 'write a list of values as `column in (v1, v2, …)`, which is one level'),
    );
    throw new Damaged('where');
  }

  private fold(operands: A.ExprAst[], op: 'and' | 'or'): A.ExprAst {
    const [first, ...rest] = operands;
    if (!first) throw new Damaged(op);
    return rest.reduce<A.ExprAst>((left, right) => ({ kind: 'logical', op, left, right, span: joinSpans(left.span, right.span) }), first);
  }

  private notExpr(node: CstNode): A.ExprAst {
    if (node.recoveredNode) throw new Damaged('notExpr');
    const inner = this.node(node, 'notExpr');
    if (inner) return { kind: 'not', operand: this.notExpr(inner), span: this.span(node) };
    return this.predicate(this.needNode(node, 'predicate'));
  }

  private predicate(node: CstNode): A.ExprAst {
    const operand = this.operand(this.needNode(node, 'operand'));
    const tail = this.node(node, 'predicateTail');
    if (!tail) return operand;
    if (tail.recoveredNode) throw new Damaged('predicateTail');
    const span = this.span(node);
    const compare = this.node(tail, 'compareOp');
    if (compare) return { kind: 'compare', op: this.compareOp(compare), left: operand, right: this.operand(this.needNode(tail, 'right')), span };
    if (this.token(tail, 'Kw_is')) {
      this.needToken(tail, 'Kw_null');
      return { kind: 'is_null', negated: this.token(tail, 'isNot') !== undefined, operand, span };
    }
    const negated = this.token(tail, 'Kw_not') !== undefined;
    if (this.token(tail, 'Kw_in')) {
      this.needToken(tail, 'RParen');
      return { kind: 'in', negated, operand, list: this.nodes(tail, 'list').map((n) => this.operand(n)), span };
    }
    if (this.token(tail, 'Kw_between')) {
      this.needToken(tail, 'Kw_and');
      return { kind: 'between', negated, operand, low: this.operand(this.needNode(tail, 'low')), high: this.operand(this.needNode(tail, 'high')), span };
    }
    this.needToken(tail, 'Kw_like');
    return { kind: 'like', negated, operand, pattern: this.operand(this.needNode(tail, 'pattern')), span };
  }

  private compareOp(node: CstNode): A.CompareOp {
    if (node.recoveredNode) throw new Damaged('compareOp');
    if (this.token(node, 'Equals')) return '=';
    if (this.token(node, 'NotEquals')) return '!=';
    if (this.token(node, 'LessEquals')) return '<=';
    if (this.token(node, 'GreaterEquals')) return '>=';
    if (this.token(node, 'Less')) return '<';
    if (this.token(node, 'Greater')) return '>';
    throw new Damaged('compareOp');
  }

  private operand(node: CstNode): A.ExprAst {
    if (node.recoveredNode) throw new Damaged('operand');
    const literal = this.node(node, 'literal');
    if (literal) return { kind: 'literal', value: this.literal(literal), span: this.span(node) };
    const inner = this.node(node, 'orExpr');
    if (inner) {
      this.needToken(node, 'RParen');
      return this.orExpr(inner);
    }
    return this.columnRef(this.needNode(node, 'columnRef'));
  }

  private columnRef(node: CstNode): A.ExprAst & { kind: 'column' } {
    if (node.recoveredNode) throw new Damaged('columnRef');
    const token = this.token(node, 'Identifier') ?? this.token(node, 'ExprSafeKeyword') ?? this.token(node, 'DoubleQuoted') ?? this.needToken(node, 'BacktickQuoted');
    return { kind: 'column', name: nameText(token), span: this.tokenSpan(token) };
  }

  private literal(node: CstNode): A.LiteralAst {
    if (node.recoveredNode) throw new Damaged('literal');
    const span = this.span(node);
    const number = this.token(node, 'NumberLiteral');
    if (number) return { kind: 'number', text: number.image, span };
    if (this.token(node, 'Kw_true')) return { kind: 'bool', value: true, span };
    if (this.token(node, 'Kw_false')) return { kind: 'bool', value: false, span };
    if (this.token(node, 'Kw_null')) return { kind: 'null', span };
    if (this.token(node, 'Kw_date')) return { kind: 'date', value: unquote(this.needToken(node, 'dateText').image), span };
    if (this.token(node, 'Kw_timestamp')) return { kind: 'timestamp', value: unquote(this.needToken(node, 'timestampText').image), span };
    return { kind: 'string', value: unquote(this.needToken(node, 'SingleQuoted').image), span };
  }

  private valueExpr(node: CstNode): A.ValueExprAst {
    if (node.recoveredNode) throw new Damaged('valueExpr');
    const literal = this.node(node, 'literal');
    if (literal) return { kind: 'literal', value: this.literal(literal), span: this.span(node) };
    const call = this.node(node, 'functionCall');
    if (call) {
      if (call.recoveredNode) throw new Damaged('call');
      this.needToken(call, 'RParen');
      const fn = this.needToken(call, 'Identifier');
      return { kind: 'call', fn: { text: fn.image, span: this.tokenSpan(fn) }, args: this.nodes(call, 'valueExpr').map((a) => this.valueExpr(a)), span: this.span(node) };
    }
    return this.columnRef(this.needNode(node, 'columnRef'));
  }
}

/** The plain name of an identifier, keyword or quoted-name token. */
function nameText(token: IToken): string {
  const first = token.image[0];
  return first === '"' || first === '`' ? unquote(token.image) : token.image;
}

/** Removes the quotes of a quoted token and undoubles the quote character inside. */
export function unquote(image: string): string {
  const quote = image[0] ?? '';
  const closed = isClosed(image, quote);
  const inner = image.slice(1, closed ? -1 : undefined);
  return inner.split(quote + quote).join(quote);
}

/** Whether a quoted image ends with its closing quote (an unterminated token has none). */
function isClosed(image: string, quote: string): boolean {
  if (image.length < 2 || !image.endsWith(quote)) return false;
  // Count the quotes at the end: after the opening quote, quotes come in doubled pairs, so an odd
  // run at the end means the last one closes the string.
  let run = 0;
  for (let i = image.length - 1; i >= 1 && image[i] === quote; i--) run++;
  return run % 2 === 1;
}

/** Levels of an expression tree, counted without recursion (the tree may be too deep for it). */
function expressionDepth(root: A.ExprAst): number {
  let deepest = 0;
  const pending: [A.ExprAst, number][] = [[root, 1]];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const [expr, depth] = item;
    deepest = Math.max(deepest, depth);
    switch (expr.kind) {
      case 'not':
      case 'is_null':
        pending.push([expr.operand, depth + 1]);
        break;
      case 'logical':
      case 'compare':
        pending.push([expr.left, depth + 1], [expr.right, depth + 1]);
        break;
      case 'in':
        pending.push([expr.operand, depth + 1], ...expr.list.map((e): [A.ExprAst, number] => [e, depth + 1]));
        break;
      case 'between':
        pending.push([expr.operand, depth + 1], [expr.low, depth + 1], [expr.high, depth + 1]);
        break;
      case 'like':
        pending.push([expr.operand, depth + 1], [expr.pattern, depth + 1]);
        break;
      case 'literal':
      case 'column':
        break;
      default: {
        const never: never = expr;
        return never;
      }
    }
  }
  return deepest;
}
