/**
 * The AST: the plan as written, before any name resolution or defaults. Names are stored plain
 * (quotes removed); string values are stored decoded. Every node keeps its span so lowering can
 * point at it; nothing else about the source layout is kept except comments (for the formatter)
 * and the positions of block braces (so comments inside a block stay inside it).
 */
import type { Span } from '../diagnostics/diagnostic.js';

export interface PlanAst {
  readonly file: string;
  readonly statements: readonly StatementAst[];
  readonly comments: readonly CommentAst[];
  readonly span: Span;
}

export interface CommentAst {
  /** The comment without its leading `#`. */
  readonly text: string;
  readonly span: Span;
}

/** The braces of a block, for the formatter to keep comments where they were. */
export interface BracesAst {
  readonly openSpan: Span;
  readonly closeSpan: Span;
}

export type StatementAst = ImportAst | MigrationAst | EndpointAst | MapAst | TypesAst | MergeAst;

export interface NameAst {
  readonly text: string;
  readonly span: Span;
}

export interface ImportAst {
  readonly kind: 'import';
  readonly path: string;
  readonly pathSpan: Span;
  readonly span: Span;
}

export interface MigrationAst extends BracesAst {
  readonly kind: 'migration';
  readonly name: NameAst | undefined;
  readonly settings: readonly SettingAst[];
  readonly span: Span;
}

export type SettingValueAst =
  | { readonly kind: 'word'; readonly text: string; readonly span: Span }
  | { readonly kind: 'string'; readonly value: string; readonly span: Span }
  | { readonly kind: 'number'; readonly text: string; readonly span: Span }
  | { readonly kind: 'env'; readonly variable: string; readonly fallback: string | undefined; readonly span: Span };

export interface SettingAst {
  readonly kind: 'setting';
  readonly name: NameAst;
  readonly value: SettingValueAst;
  readonly span: Span;
}

/** `tls { ... }`, `session { ... }`: a named group of settings inside an endpoint. */
export interface SubBlockAst extends BracesAst {
  readonly kind: 'block';
  readonly name: NameAst;
  readonly settings: readonly SettingAst[];
  readonly span: Span;
}

export interface EndpointAst extends BracesAst {
  readonly kind: 'endpoint';
  readonly role: 'source' | 'target';
  readonly name: NameAst;
  readonly engine: NameAst;
  readonly items: readonly (SettingAst | SubBlockAst)[];
  readonly span: Span;
}

export type NamePatternAst =
  | { readonly kind: 'name'; readonly text: string; readonly span: Span }
  | { readonly kind: 'glob'; readonly text: string; readonly span: Span }
  | { readonly kind: 'regex'; readonly source: string; readonly flags: string; readonly span: Span };

/** `shop.Chinook.*`: dot-separated parts, each a name pattern (shape checked when lowering). */
export interface SelectorAst {
  readonly parts: readonly NamePatternAst[];
  readonly span: Span;
}

export interface MapAst extends BracesAst {
  readonly kind: 'map';
  readonly source: SelectorAst;
  readonly target: SelectorAst;
  readonly items: readonly MapItemAst[];
  readonly span: Span;
}

export type MapItemAst =
  | SettingAst
  | { readonly kind: 'include'; readonly pattern: NamePatternAst; readonly span: Span }
  | { readonly kind: 'exclude'; readonly pattern: NamePatternAst; readonly span: Span }
  | TableAst;

export interface TableAst extends BracesAst {
  readonly kind: 'table';
  readonly match: NamePatternAst;
  readonly renameTo: NameAst | undefined;
  readonly items: readonly TableItemAst[];
  readonly span: Span;
}

export type MaskMethodAst =
  | { readonly kind: 'method'; readonly name: string; readonly span: Span }
  | { readonly kind: 'literal'; readonly value: LiteralAst; readonly span: Span };

export type TableItemAst =
  | { readonly kind: 'where'; readonly filter: FilterAst; readonly span: Span }
  | { readonly kind: 'rename'; readonly from: NameAst; readonly to: NameAst; readonly span: Span }
  | { readonly kind: 'drop'; readonly column: NameAst; readonly span: Span }
  | { readonly kind: 'add'; readonly column: NameAst; readonly type: TypeExprAst; readonly value: ValueExprAst; readonly span: Span }
  | { readonly kind: 'mask'; readonly column: NameAst; readonly method: MaskMethodAst; readonly span: Span }
  | { readonly kind: 'column'; readonly column: NameAst; readonly type: TypeExprAst; readonly conversion: NameAst | undefined; readonly lossy: boolean; readonly span: Span }
  | { readonly kind: 'chunk'; readonly rows: NumberAst | undefined; readonly by: NameAst | undefined; readonly span: Span };

export type FilterAst =
  | { readonly kind: 'raw'; readonly sql: string; readonly span: Span }
  | { readonly kind: 'expr'; readonly expr: ExprAst; readonly span: Span };

export interface NumberAst {
  readonly text: string;
  readonly span: Span;
}

export type LiteralAst =
  | { readonly kind: 'null'; readonly span: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'number'; readonly text: string; readonly span: Span }
  | { readonly kind: 'string'; readonly value: string; readonly span: Span }
  | { readonly kind: 'date'; readonly value: string; readonly span: Span }
  | { readonly kind: 'timestamp'; readonly value: string; readonly span: Span };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** Filter expressions. Parentheses are not kept: the printer adds them where precedence needs. */
export type ExprAst =
  | { readonly kind: 'literal'; readonly value: LiteralAst; readonly span: Span }
  | { readonly kind: 'column'; readonly name: string; readonly span: Span }
  | { readonly kind: 'not'; readonly operand: ExprAst; readonly span: Span }
  | { readonly kind: 'logical'; readonly op: 'and' | 'or'; readonly left: ExprAst; readonly right: ExprAst; readonly span: Span }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: ExprAst; readonly right: ExprAst; readonly span: Span }
  | { readonly kind: 'is_null'; readonly negated: boolean; readonly operand: ExprAst; readonly span: Span }
  | { readonly kind: 'in'; readonly negated: boolean; readonly operand: ExprAst; readonly list: readonly ExprAst[]; readonly span: Span }
  | { readonly kind: 'between'; readonly negated: boolean; readonly operand: ExprAst; readonly low: ExprAst; readonly high: ExprAst; readonly span: Span }
  | { readonly kind: 'like'; readonly negated: boolean; readonly operand: ExprAst; readonly pattern: ExprAst; readonly span: Span };

export type ValueExprAst =
  | { readonly kind: 'literal'; readonly value: LiteralAst; readonly span: Span }
  | { readonly kind: 'column'; readonly name: string; readonly span: Span }
  | { readonly kind: 'call'; readonly fn: NameAst; readonly args: readonly ValueExprAst[]; readonly span: Span };

/** A type parameter: a number, `*` (any) or a bound name (`p` in `decimal(p, s)`). */
export type TypeParamAst =
  | { readonly kind: 'number'; readonly text: string; readonly span: Span }
  | { readonly kind: 'any'; readonly span: Span }
  | { readonly kind: 'bind'; readonly name: string; readonly span: Span };

export interface TypeExprAst {
  readonly name: NameAst;
  /** undefined when written without parentheses. */
  readonly params: readonly TypeParamAst[] | undefined;
  readonly unsigned: boolean;
  readonly array: boolean;
  readonly span: Span;
}

export type GuardAst =
  | { readonly kind: 'unsigned'; readonly span: Span }
  | { readonly kind: 'not_null'; readonly span: Span }
  | { readonly kind: 'default'; readonly span: Span }
  | { readonly kind: 'auto_increment'; readonly span: Span }
  | { readonly kind: 'compare'; readonly param: NameAst; readonly op: CompareOp; readonly value: NumberAst; readonly span: Span };

export interface RuleScopeAst {
  /** `column Invoice.Total:` has a table; `column Total:` does not. */
  readonly table: NamePatternAst | undefined;
  readonly column: NamePatternAst;
  readonly span: Span;
}

export interface TypeRuleAst {
  readonly scope: RuleScopeAst | undefined;
  readonly pattern: TypeExprAst;
  readonly guards: readonly GuardAst[];
  readonly target: TypeExprAst;
  readonly conversion: NameAst | undefined;
  readonly lossy: boolean;
  readonly span: Span;
}

export interface TypesAst extends BracesAst {
  readonly kind: 'types';
  readonly from: NameAst;
  readonly to: NameAst;
  readonly rules: readonly TypeRuleAst[];
  readonly span: Span;
}

export interface TagAst {
  readonly column: NameAst;
  readonly value: LiteralAst;
  readonly span: Span;
}

export type MergeItemAst =
  | { readonly kind: 'from'; readonly selector: SelectorAst; readonly tags: readonly TagAst[]; readonly offset: NumberAst | undefined; readonly span: Span }
  | { readonly kind: 'key'; readonly columns: readonly NameAst[]; readonly span: Span }
  | SettingAst;

export interface MergeAst extends BracesAst {
  readonly kind: 'merge';
  readonly name: NameAst;
  readonly into: SelectorAst;
  readonly items: readonly MergeItemAst[];
  readonly span: Span;
}
