/**
 * The IR: a .dmsplan file (plus its imports) after name resolution and defaults. It is what the
 * checker consumes. It never holds secret values: a URL taken from the environment is kept as the
 * variable's name and resolved only by the executor.
 */
import type { Span } from '../diagnostics/diagnostic.js';

export type EngineName = 'postgres' | 'mysql' | 'sqlite' | 'pglite' | 'sqlserver' | 'oracle';
export const ENGINE_NAMES: readonly EngineName[] = ['postgres', 'mysql', 'sqlite', 'pglite', 'sqlserver', 'oracle'];

export type MigrationMode = 'full_load' | 'cdc' | 'full_load_and_cdc';
export type ValidationLevel = 'none' | 'counts' | 'checksums';
export type TargetPreparation = 'do_nothing' | 'truncate' | 'drop_and_create';
export type ErrorPolicy = 'stop' | 'continue';
export type NamingPolicy = 'keep' | 'lower' | 'snake_case' | 'fold';

export interface PlanIR {
  /** Every file read, the main one first, then imports in the order they were resolved. */
  readonly files: readonly string[];
  readonly migration: MigrationIR;
  readonly endpoints: readonly EndpointIR[];
  readonly maps: readonly MapIR[];
  readonly typeRules: readonly TypeRulesIR[];
  readonly merges: readonly MergeIR[];
}

export interface MigrationIR {
  readonly name: string;
  readonly mode: MigrationMode;
  /** How many steps run at once. Default 4. */
  readonly workers: number;
  readonly validate: ValidationLevel;
  /** Stop the run after this many rejected rows; undefined = no limit. */
  readonly maxRejects: number | undefined;
  /** What a failed step does to the rest of the run. Default 'stop'. */
  readonly onError: ErrorPolicy;
  readonly span: Span | undefined;
}

/** A URL is never a literal secret: it is an env() reference, optionally with a non-secret default. */
export type UrlRef =
  | { readonly kind: 'env'; readonly variable: string; readonly fallback: string | undefined; readonly span: Span }
  | { readonly kind: 'literal'; readonly value: string; readonly span: Span };

export interface TlsIR {
  readonly mode: 'disable' | 'prefer' | 'require' | 'verify_ca' | 'verify_full';
  /** Paths of PEM files, or env() references to them. */
  readonly ca: UrlRef | undefined;
  readonly cert: UrlRef | undefined;
  readonly key: UrlRef | undefined;
}

export interface EndpointIR {
  readonly role: 'source' | 'target';
  readonly name: string;
  readonly engine: EngineName;
  readonly url: UrlRef;
  /** Targets only. Default 'do_nothing': create what is missing, never drop or empty a table. */
  readonly prepare: TargetPreparation;
  readonly tls: TlsIR | undefined;
  /** Session settings run on every connection (`SET name = value`). */
  readonly session: readonly { readonly name: string; readonly value: string; readonly span: Span }[];
  readonly span: Span;
}

/** A name matcher over schema, table or column names. */
export type NamePattern =
  | { readonly kind: 'exact'; readonly text: string }
  | { readonly kind: 'glob'; readonly text: string }
  | { readonly kind: 'regex'; readonly source: string; readonly flags: string };

export interface SourceSelector {
  readonly endpoint: string;
  readonly schema: NamePattern;
  readonly table: NamePattern;
  readonly span: Span;
}

/** `dw.chinook.*` — a target schema (or `*` = the source schema's name) and table (`*` = derived). */
export interface TargetSelector {
  readonly endpoint: string;
  readonly schema: string | '*';
  readonly table: string | '*';
  readonly span: Span;
}

export interface MapIR {
  readonly source: SourceSelector;
  readonly target: TargetSelector;
  readonly naming: NamingPolicy;
  /** `names` is not set in the map: the checker may pick the source engine's default (check/naming.ts). */
  readonly namingDefaulted?: true;
  /** `views = include`: a view's rows are copied into a table. */
  readonly includeViews: boolean;
  /** `views = recreate`: a view is made again on the target from its definition (PostgreSQL family). */
  readonly recreateViews?: boolean;
  /** Additional selections (tables not matched by `source`); empty = `source` alone selects. */
  readonly includes: readonly NamePattern[];
  readonly excludes: readonly NamePattern[];
  readonly tables: readonly TableRuleIR[];
  readonly span: Span;
}

export type MaskMethod =
  | { readonly kind: 'hash' }
  | { readonly kind: 'redact' }
  | { readonly kind: 'randomize_digits' }
  | { readonly kind: 'fixed'; readonly value: LiteralValue };

export interface ColumnTypeOverrideIR {
  readonly column: string;
  readonly type: TypeExprIR;
  readonly conversion: string | undefined;
  readonly lossy: boolean;
  readonly span: Span;
}

export interface TableRuleIR {
  /** Which source tables of the map this block applies to (usually an exact name). */
  readonly match: NamePattern;
  readonly renameTo: string | undefined;
  readonly where: FilterIR | undefined;
  readonly renames: readonly { readonly from: string; readonly to: string; readonly span: Span }[];
  readonly drops: readonly { readonly column: string; readonly span: Span }[];
  /** Added columns; `value` is evaluated per row by the executor (same result on every engine). */
  readonly adds: readonly { readonly column: string; readonly type: TypeExprIR; readonly value: ValueExprIR; readonly span: Span }[];
  readonly masks: readonly { readonly column: string; readonly method: MaskMethod; readonly span: Span }[];
  readonly columnTypes: readonly ColumnTypeOverrideIR[];
  readonly chunk: ChunkIR | undefined;
  readonly span: Span;
}

export interface ChunkIR {
  /** Target rows per chunk (a chunk is the unit of checkpoint and retry). */
  readonly rows: number | undefined;
  /** Column used to split into key ranges; default: the primary key's first column. */
  readonly by: string | undefined;
  readonly span: Span;
}

export type FilterIR =
  | { readonly kind: 'raw'; readonly sql: string; readonly span: Span }
  | { readonly kind: 'expr'; readonly expr: ExprIR; readonly span: Span };

export type LiteralValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'date'; readonly value: string }
  | { readonly kind: 'timestamp'; readonly value: string };

/** The engine-neutral expression language of filters (compiled to each source's SQL). */
export type ExprIR =
  | { readonly kind: 'literal'; readonly value: LiteralValue; readonly span: Span }
  | { readonly kind: 'column'; readonly name: string; readonly span: Span }
  | { readonly kind: 'not'; readonly operand: ExprIR; readonly span: Span }
  | { readonly kind: 'logical'; readonly op: 'and' | 'or'; readonly left: ExprIR; readonly right: ExprIR; readonly span: Span }
  | { readonly kind: 'compare'; readonly op: '=' | '!=' | '<' | '<=' | '>' | '>='; readonly left: ExprIR; readonly right: ExprIR; readonly span: Span }
  | { readonly kind: 'is_null'; readonly negated: boolean; readonly operand: ExprIR; readonly span: Span }
  | { readonly kind: 'in'; readonly negated: boolean; readonly operand: ExprIR; readonly list: readonly ExprIR[]; readonly span: Span }
  | { readonly kind: 'between'; readonly negated: boolean; readonly operand: ExprIR; readonly low: ExprIR; readonly high: ExprIR; readonly span: Span }
  | { readonly kind: 'like'; readonly negated: boolean; readonly operand: ExprIR; readonly pattern: ExprIR; readonly span: Span };

/** Values of added/computed columns: evaluated in the executor, per row, identically for every engine. */
export type ValueExprIR =
  | { readonly kind: 'literal'; readonly value: LiteralValue; readonly span: Span }
  | { readonly kind: 'column'; readonly name: string; readonly span: Span }
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly ValueExprIR[]; readonly span: Span };

/** A type as written in a plan: `numeric(20, 0)`, `varchar(255)`, `int unsigned`, `text[]`. */
export interface TypeExprIR {
  readonly name: string;
  readonly params: readonly number[];
  readonly unsigned: boolean;
  readonly array: boolean;
  readonly span: Span;
}

/** `decimal(p, s)`: params are bound names, literal numbers, or `*` (anything). */
export type TypeParamPattern =
  | { readonly kind: 'bind'; readonly name: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'any' };

export interface TypePatternIR {
  readonly name: string;
  /** undefined = any parameters (the pattern was written without parentheses). */
  readonly params: readonly TypeParamPattern[] | undefined;
  readonly unsigned: boolean;
  /** `int[]`: matches array columns of the element type. Absent = false. (Added by the front end.) */
  readonly array?: boolean;
  readonly span: Span;
}

export type GuardIR =
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'not_null' }
  | { readonly kind: 'default' }
  | { readonly kind: 'auto_increment' }
  | { readonly kind: 'compare'; readonly param: string; readonly op: '=' | '!=' | '<' | '<=' | '>' | '>='; readonly value: number };

/** Target types in a rule may use the pattern's bound parameters: `decimal(p, s) -> numeric(p, s)`. */
export interface TargetTypeIR {
  readonly name: string;
  readonly params: readonly ({ readonly kind: 'bind'; readonly name: string } | { readonly kind: 'number'; readonly value: number })[];
  readonly unsigned: boolean;
  readonly array: boolean;
  readonly span: Span;
}

export interface TypeRuleIR {
  readonly pattern: TypePatternIR;
  readonly guards: readonly GuardIR[];
  /** `column Invoice.Total` scoping; undefined = every column. */
  readonly scope: { readonly table: NamePattern | undefined; readonly column: NamePattern } | undefined;
  readonly target: TargetTypeIR;
  readonly conversion: string | undefined;
  readonly lossy: boolean;
  readonly span: Span;
}

export interface TypeRulesIR {
  readonly sourceEngine: EngineName;
  readonly targetEngine: EngineName;
  /** In file order; the first matching rule wins. Plan rules come before the built-in prelude. */
  readonly rules: readonly TypeRuleIR[];
  readonly span: Span;
}

export type MergeKeyStrategy = 'composite' | 'offset' | 'surrogate';
export type ConflictPolicy = 'reject' | 'keep_first' | 'keep_last' | 'rejects_table';

export interface MergeSourceIR {
  readonly endpoint: string;
  readonly schema: string;
  readonly table: string;
  readonly tags: readonly { readonly column: string; readonly value: LiteralValue; readonly span: Span }[];
  /** With strategy 'offset': added to this source's key values. */
  readonly offset: number | undefined;
  readonly span: Span;
}

export interface MergeIR {
  readonly name: string;
  readonly into: { readonly endpoint: string; readonly schema: string; readonly table: string; readonly span: Span };
  readonly sources: readonly MergeSourceIR[];
  readonly key: readonly string[];
  readonly strategy: MergeKeyStrategy;
  readonly onConflict: ConflictPolicy;
  readonly span: Span;
}
