/**
 * AST + comments → canonical text. One style, no options:
 *  - two-space indentation, one construct per line, `{` on the header line;
 *  - a block with a single setting and no comments stays on one line (`source a mysql { url = ... }`)
 *    when that line fits in 80 columns;
 *  - `=` aligned within a run of consecutive settings, `->` aligned within a `types` block;
 *  - blank lines from the source kept (at most one), plus one between top-level blocks;
 *  - comments kept: a comment after code stays at the end of that line, others on their own line
 *    before the next construct (comments inside a construct that the formatter joins onto one
 *    line move just before it).
 */
import type { Span } from '../diagnostics/diagnostic.js';
import type * as A from './ast.js';
import {
  assertNever, doubleQuoted, printExpr, printLiteral, printName, printNamePattern, printSelector, printType, printValue, singleQuoted,
} from './print-expr.js';

/** A one-setting block stays on one line only if the line fits in this width. */
const MAX_INLINE_WIDTH = 80;

/** Rule patterns longer than this do not push the `->` of the other rules to the right. */
const MAX_ARROW_ALIGN = 40;

interface Item {
  /** Where the item starts and ends in the source (for comments and blank lines). */
  readonly span: Span;
  /** Writes the item at the current indentation. */
  readonly emit: () => void;
  /** Whether this item is printed over several lines (a block). */
  readonly multiline: boolean;
  readonly kind: string;
}

export function printPlan(plan: A.PlanAst): string {
  return new Printer(plan.comments).plan(plan);
}

class Printer {
  private readonly lines: string[] = [];
  private readonly comments: A.CommentAst[];
  private indent = 0;

  constructor(comments: readonly A.CommentAst[]) {
    this.comments = [...comments].sort((a, b) => a.span.startOffset - b.span.startOffset);
  }

  plan(plan: A.PlanAst): string {
    const items = plan.statements.map((s) => this.statementItem(s));
    this.itemsWithComments(items, undefined, true);
    while (this.lines.length > 0 && this.lines[this.lines.length - 1] === '') this.lines.pop();
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }

  // ── layout machinery ─────────────────────────────────────────────────────────────────────
  private line(text: string): void {
    this.lines.push(`${'  '.repeat(this.indent)}${text}`);
  }

  private blank(): void {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
  }

  /** Appends a trailing comment that sits on `sourceLine` (after the code) to the last line. */
  private trailing(sourceLine: number, afterOffset: number): void {
    const next = this.comments[0];
    if (next && next.span.startLine === sourceLine && next.span.startOffset >= afterOffset) {
      this.comments.shift();
      this.lines[this.lines.length - 1] += `  #${next.text.trimEnd()}`;
    }
  }

  /**
   * Writes comments that start before `offset` on their own lines, keeping (at most one) blank
   * line between two of them. Returns the source line where the last one ended.
   */
  private leadingComments(offset: number): number | undefined {
    let last: number | undefined;
    while (this.comments[0] && this.comments[0].span.startOffset < offset) {
      const comment = this.comments.shift() as A.CommentAst;
      if (last !== undefined && comment.span.startLine > last + 1) this.blank();
      this.line(`#${comment.text.trimEnd()}`);
      last = comment.span.endLine;
    }
    return last;
  }

  private hasCommentsWithin(span: Span): boolean {
    return this.comments.some((c) => c.span.startOffset >= span.startOffset && c.span.startOffset < span.endOffset);
  }

  /**
   * Writes a list of items with their comments. `closeOffset`: comments before it that follow
   * the last item belong at the end of this list (before a block's `}`).
   */
  private itemsWithComments(items: readonly Item[], closeOffset: number | undefined, topLevel: boolean, firstLine?: number): void {
    let lastLine: number | undefined = firstLine;
    let previous: Item | undefined;
    for (const item of items) {
      const firstComment = this.comments[0];
      const commentBefore = firstComment !== undefined && firstComment.span.startOffset < item.span.startOffset;
      const firstLineOfItem = commentBefore ? firstComment.span.startLine : item.span.startLine;
      const sourceBlankBefore = lastLine !== undefined && firstLineOfItem > lastLine + 1;
      const forcedBlank = topLevel && previous !== undefined && (previous.multiline || item.multiline || previous.kind !== item.kind);
      if (previous !== undefined && lastLine !== undefined && (sourceBlankBefore || forcedBlank)) this.blank();
      // Comments before the item, and (for one-line items) inside it, go on lines before it.
      const commentsEndLine = this.leadingComments(item.multiline ? item.span.startOffset : item.span.endOffset);
      if (commentBefore && commentsEndLine !== undefined && commentsEndLine < item.span.startLine - 1) this.blank();
      item.emit();
      lastLine = this.lastSourceLine;
      previous = item;
    }
    const endComments = this.comments[0];
    if (endComments && endComments.span.startOffset < (closeOffset ?? Number.POSITIVE_INFINITY) && lastLine !== undefined && previous !== undefined && endComments.span.startLine > lastLine + 1) this.blank();
    this.leadingComments(closeOffset ?? Number.POSITIVE_INFINITY);
  }

  /** The source line of the last construct written (for blank-line preservation). */
  private lastSourceLine = 0;

  private simple(span: Span, kind: string, text: () => string): Item {
    return {
      span,
      kind,
      multiline: false,
      emit: () => {
        this.line(text());
        this.trailing(span.endLine, span.endOffset);
        this.lastSourceLine = span.endLine;
      },
    };
  }

  /** A block `header { items }`, inline when it has one setting and no comments inside. */
  private block(node: A.BracesAst & { readonly span: Span }, kind: string, header: string, items: readonly Item[], settings: readonly A.SettingAst[] | undefined): Item {
    const inner: Span = { ...node.span, startOffset: node.openSpan.startOffset, endOffset: node.closeSpan.endOffset };
    const inline =
      items.length === 0 ? '{}' : settings !== undefined && settings.length === 1 && items.length === 1 && settings[0] ? `{ ${this.setting(settings[0], 0)} }` : undefined;
    // Decided once, when the block is about to be written: only then is its indentation known
    // (and afterwards its comments are gone from the queue).
    let decided: boolean | undefined;
    const useInline = (): boolean =>
      (decided ??= inline !== undefined && this.indent * 2 + header.length + 1 + inline.length <= MAX_INLINE_WIDTH && !this.hasCommentsWithin(inner));
    return {
      span: node.span,
      kind,
      get multiline() {
        return !useInline();
      },
      emit: () => {
        if (useInline()) {
          this.line(`${header} ${inline}`);
          this.trailing(node.closeSpan.endLine, node.closeSpan.endOffset);
          this.lastSourceLine = node.closeSpan.endLine;
          return;
        }
        // Comments between the header's words move before the header.
        this.leadingComments(node.openSpan.startOffset);
        this.line(`${header} {`);
        this.trailing(node.openSpan.startLine, node.openSpan.endOffset);
        this.indent++;
        this.itemsWithComments(items, node.closeSpan.startOffset, false, node.openSpan.startLine);
        this.indent--;
        this.line('}');
        this.trailing(node.closeSpan.endLine, node.closeSpan.endOffset);
        this.lastSourceLine = node.closeSpan.endLine;
      },
    };
  }

  // ── statements ───────────────────────────────────────────────────────────────────────────
  private statementItem(statement: A.StatementAst): Item {
    switch (statement.kind) {
      case 'import':
        return this.simple(statement.span, 'import', () => `import ${doubleQuoted(statement.path)}`);
      case 'migration':
        return this.block(statement, 'migration', statement.name ? `migration ${printName(statement.name.text)}` : 'migration', this.settingItems(statement.settings), statement.settings);
      case 'endpoint': {
        const settings = statement.items.filter((i): i is A.SettingAst => i.kind === 'setting');
        const items = this.alignedItems(statement.items, (item) => this.subBlockItem(item as A.SubBlockAst));
        return this.block(statement, 'endpoint', `${statement.role} ${printName(statement.name.text)} ${printName(statement.engine.text)}`, items, settings.length === statement.items.length ? settings : undefined);
      }
      case 'map':
        return this.block(statement, 'map', `map ${printSelector(statement.source)} -> ${printSelector(statement.target)}`, this.alignedItems(statement.items, (item) => this.mapItem(item as Exclude<A.MapItemAst, A.SettingAst>)), undefined);
      case 'types':
        return this.block(statement, 'types', `types ${printName(statement.from.text)} -> ${printName(statement.to.text)}`, this.typeRuleItems(statement.rules), undefined);
      case 'merge':
        return this.block(statement, 'merge', `merge ${printName(statement.name.text)} into ${printSelector(statement.into)}`, this.alignedItems(statement.items, (item) => this.mergeItem(item as Exclude<A.MergeItemAst, A.SettingAst>)), undefined);
      default:
        return assertNever(statement);
    }
  }

  private setting(setting: A.SettingAst, width: number): string {
    return `${printName(setting.name.text).padEnd(width)} = ${this.settingValue(setting.value)}`;
  }

  private settingValue(value: A.SettingValueAst): string {
    switch (value.kind) {
      case 'word': return value.text;
      case 'number': return value.text;
      case 'string': return doubleQuoted(value.value);
      case 'env': return `env(${doubleQuoted(value.variable)}${value.fallback !== undefined ? `, ${doubleQuoted(value.fallback)}` : ''})`;
      default: return assertNever(value);
    }
  }

  private settingItems(settings: readonly A.SettingAst[]): Item[] {
    return this.alignedItems(settings, () => {
      throw new Error('only settings expected');
    });
  }

  /** Items of a block: settings (aligned by runs of consecutive settings) and other items. */
  private alignedItems<T extends { readonly kind: string; readonly span: Span }>(items: readonly T[], other: (item: T) => Item): Item[] {
    const out: Item[] = [];
    let run: A.SettingAst[] = [];
    const flush = (): void => {
      const width = Math.max(0, ...run.map((s) => printName(s.name.text).length));
      for (const setting of run) out.push(this.simple(setting.span, 'setting', () => this.setting(setting, width)));
      run = [];
    };
    for (const item of items) {
      if (item.kind === 'setting') run.push(item as unknown as A.SettingAst);
      else {
        flush();
        out.push(other(item));
      }
    }
    flush();
    return out;
  }

  private subBlockItem(block: A.SubBlockAst): Item {
    return this.block(block, 'block', printName(block.name.text), this.settingItems(block.settings), block.settings);
  }

  // ── maps ─────────────────────────────────────────────────────────────────────────────────
  private mapItem(item: Exclude<A.MapItemAst, A.SettingAst>): Item {
    switch (item.kind) {
      case 'include': return this.simple(item.span, 'include', () => `include ${printNamePattern(item.pattern)}`);
      case 'exclude': return this.simple(item.span, 'exclude', () => `exclude ${printNamePattern(item.pattern)}`);
      case 'table': {
        const header = `table ${printNamePattern(item.match)}${item.renameTo ? ` -> ${printName(item.renameTo.text)}` : ''}`;
        return this.block(item, 'table', header, item.items.map((i) => this.simple(i.span, i.kind, () => this.tableItem(i))), undefined);
      }
      default: return assertNever(item);
    }
  }

  private tableItem(item: A.TableItemAst): string {
    switch (item.kind) {
      case 'where':
        return item.filter.kind === 'raw' ? `where raw ${doubleQuoted(item.filter.sql)}` : `where ${printExpr(item.filter.expr)}`;
      case 'rename': return `rename ${printName(item.from.text)} -> ${printName(item.to.text)}`;
      case 'drop': return `drop ${printName(item.column.text)}`;
      case 'add': return `add ${printName(item.column.text)} ${printType(item.type)} = ${printValue(item.value)}`;
      case 'mask': return `mask ${printName(item.column.text)} = ${item.method.kind === 'method' ? item.method.name : printLiteral(item.method.value)}`;
      case 'column': return `column ${printName(item.column.text)} ${printType(item.type)}${conversionTail(item.conversion, item.lossy)}`;
      case 'chunk': return ['chunk', item.rows ? `rows = ${item.rows.text}` : '', item.by ? `by ${printName(item.by.text)}` : ''].filter((p) => p !== '').join(' ');
      default: return assertNever(item);
    }
  }

  // ── types ────────────────────────────────────────────────────────────────────────────────
  private typeRuleItems(rules: readonly A.TypeRuleAst[]): Item[] {
    const lefts = rules.map((rule) => ruleLeft(rule));
    const width = Math.max(0, ...lefts.filter((l) => l.length <= MAX_ARROW_ALIGN).map((l) => l.length));
    return rules.map((rule, i) => {
      const left = lefts[i] ?? '';
      return this.simple(rule.span, 'rule', () => `${left.padEnd(width)} -> ${printType(rule.target)}${conversionTail(rule.conversion, rule.lossy)}`);
    });
  }

  // ── merges ───────────────────────────────────────────────────────────────────────────────
  private mergeItem(item: Exclude<A.MergeItemAst, A.SettingAst>): Item {
    switch (item.kind) {
      case 'from':
        return this.simple(item.span, 'from', () =>
          [`from ${printSelector(item.selector)}`, ...item.tags.map((t) => `tag ${printName(t.column.text)} = ${printLiteral(t.value)}`), ...(item.offset ? [`offset ${item.offset.text}`] : [])].join(' '),
        );
      case 'key':
        return this.simple(item.span, 'key', () => `key (${item.columns.map((c) => printName(c.text)).join(', ')})`);
      default:
        return assertNever(item);
    }
  }
}

function ruleLeft(rule: A.TypeRuleAst): string {
  const scope = rule.scope ? `column ${rule.scope.table ? `${printNamePattern(rule.scope.table)}.` : ''}${printNamePattern(rule.scope.column)}: ` : '';
  const guards = rule.guards.length > 0 ? ` where ${rule.guards.map(printGuard).join(' and ')}` : '';
  return `${scope}${printType(rule.pattern)}${guards}`;
}

function printGuard(guard: A.GuardAst): string {
  switch (guard.kind) {
    case 'unsigned': return 'unsigned';
    case 'not_null': return 'not null';
    case 'default': return 'default';
    case 'auto_increment': return 'auto_increment';
    case 'compare': return `${guard.param.text} ${guard.op} ${guard.value.text}`;
    default: return assertNever(guard);
  }
}

function conversionTail(conversion: A.NameAst | undefined, lossy: boolean): string {
  return `${conversion ? ` using ${printName(conversion.text)}` : ''}${lossy ? ' lossy' : ''}`;
}

export { singleQuoted };
