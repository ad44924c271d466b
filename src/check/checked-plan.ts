/**
 * What the checker produces: every decision of the migration made explicit — which source table
 * goes where, each column's target type and conversion, masks, filters, keys — before any I/O that
 * writes. `plan` turns it into an execution graph; `exec` runs it.
 */
import type { CopyPath } from './copy-path.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { ConflictPolicy, EngineName, ExprIR, LiteralValue, MaskMethod, MergeKeyStrategy, MigrationIR, TargetPreparation, UrlRef, ValueExprIR } from '../ir/ir.js';
import type { NativeType, RoutineCatalog, SequenceCatalog, TriggerCatalog, ViewDefinition } from '../schema/catalog.js';
import type { TargetTableDef } from '../engines/contract.js';
import type { LogicalType } from '../types/logical.js';
import type { ConversionName } from '../types/conversion-names.js';

export interface EndpointPlan {
  readonly name: string;
  readonly role: 'source' | 'target';
  readonly engine: EngineName;
  /** How to find the URL at apply time; never the secret itself. */
  readonly url: UrlRef;
  readonly prepare: TargetPreparation;
  readonly session: readonly { readonly name: string; readonly value: string }[];
  readonly tls: { readonly mode: 'disable' | 'prefer' | 'require' | 'verify_ca' | 'verify_full'; readonly ca?: UrlRef; readonly cert?: UrlRef; readonly key?: UrlRef } | undefined;
}

/** A source column read for a filter (it may be dropped from the target). */
export interface ColumnSourceRef {
  readonly name: string;
  readonly native: NativeType;
  readonly logical: LogicalType;
}

export type ColumnSource =
  | { readonly kind: 'column'; readonly name: string; readonly native: NativeType; readonly logical: LogicalType }
  | { readonly kind: 'expression'; readonly expr: ValueExprIR; readonly logical: LogicalType };

export interface ColumnMapping {
  readonly target: string;
  readonly source: ColumnSource;
  readonly targetType: NativeType;
  readonly targetLogical: LogicalType;
  readonly conversion: ConversionName;
  readonly lossless: boolean;
  /** Why the conversion is lossy, when it is (acknowledged by `lossy` in the plan). */
  readonly lossReason: string | undefined;
  /** The rule that chose the type, for the plan listing. */
  readonly rule: { readonly origin: 'plan' | 'builtin' | 'override' | 'fallback' | 'added'; readonly text: string; readonly span: Span | undefined };
  readonly mask: MaskMethod | undefined;
  /** Merges with strategy = offset: added to the (integer) key value of this source's rows. */
  readonly offset?: string;
  /**
   * The value is a new key looked up in a surrogate merge's key map (`key_map` control table of the
   * target): of this row's source key (`row_key`, the merged table's new key column), or of this
   * column's own source value (`column`, a foreign key into a surrogate-merged parent).
   */
  readonly keyMap?: KeyMapLookup;
  /**
   * SQLite → SQLite with the declaration kept (EngineTypes.keepsDeclaredTypes): the column's values
   * are read and written as SQLite stores them — their storage class and text as they are, not their
   * canonical form under the declared type — so text in an INT column, a 500-character VARCHAR(10)
   * or an integer in a BLOB column arrive as they were instead of being rejected or respelt.
   */
  readonly keepsStoredValues?: true;
}

export interface KeyMapLookup {
  /**
   * The surrogate merge whose key map holds the keys, and its merged table (`schema.table`): a
   * MySQL server's one `_dmsplan` database serves every target database on it.
   */
  readonly table: string;
  readonly merge: string;
  /** Its source (`endpoint.schema.table`) whose keys are looked up: the same endpoint as this row's. */
  readonly source: string;
  readonly lookup: 'row_key' | 'column';
}

export interface TableMapping {
  /** Stable id: `source.schema.table -> target.schema.table`. */
  readonly id: string;
  readonly source: { readonly endpoint: string; readonly schema: string; readonly table: string; readonly rowEstimate: number };
  readonly target: { readonly endpoint: string; readonly schema: string | undefined; readonly table: string };
  readonly columns: readonly ColumnMapping[];
  /** Source-dialect SQL of the row filter. */
  readonly where: string | undefined;
  /**
   * The same filter as an engine-neutral expression (column names resolved) with the source columns
   * it reads — evaluated in the executor on captured changes. Absent for raw-SQL filters.
   */
  readonly filter?: { readonly expr: ExprIR; readonly columns: readonly ColumnSourceRef[] };
  /** The source key used to order, chunk and report rows (primary key, else a unique key, else none). */
  readonly sourceKey: readonly string[];
  /** Rows per chunk, and the source column that splits the table into key ranges (if it can be). */
  readonly chunk: { readonly rows: number; readonly by: string | undefined };
  readonly targetDef: TargetTableDef;
  readonly span: Span | undefined;
  /** Set when this mapping is one source of a `merge` block: several mappings share one target table. */
  readonly merge?: MergeMember;
  /** How the rows travel (check/copy-path.ts): set by checkPlan on every table it returns. */
  readonly copyPath?: CopyPath;
  /** The source table's triggers, made on the target table once it is loaded (PostgreSQL family). */
  readonly triggers?: readonly TriggerMapping[];
}

/** `endpoint.schema.table` of a mapping's source: how runs, rejects and merge reports name it. */
export function sourceTableName(table: Pick<TableMapping, 'source'>): string {
  return `${table.source.endpoint}.${table.source.schema}.${table.source.table}`;
}

export interface MergeMember {
  readonly name: string;
  /** Position of this source in the merge (0 = the first `from`). */
  readonly index: number;
  readonly sources: number;
  readonly strategy: MergeKeyStrategy;
  readonly onConflict: ConflictPolicy;
  /** How to find this source's rows in the target: its tag values, and its shifted key with `offset`. */
  readonly slice: {
    readonly tags: readonly { readonly column: string; readonly value: LiteralValue }[];
    readonly offsetKey: { readonly sourceColumn: string; readonly targetColumn: string; readonly offset: string } | undefined;
  };
}

export interface CheckedPlan {
  readonly migration: MigrationIR;
  readonly endpoints: readonly EndpointPlan[];
  readonly tables: readonly TableMapping[];
  /** Objects seen but not migrated, for the report (views, routines, excluded tables). */
  readonly notMigrated: readonly { readonly endpoint: string; readonly schema: string; readonly name: string; readonly kind: string; readonly reason: string }[];
  /** Views made again on their targets from their definitions (`views = recreate`), readers after what they read. */
  readonly views?: readonly ViewMapping[];
  /** Sequences no column draws from (the application's own), made on a target of the source's dialect. */
  readonly sequences?: readonly SequenceMapping[];
  /** The source's own functions and procedures, made on a target of its dialect before its tables. */
  readonly routines?: readonly RoutineMapping[];
}

/** A function or procedure of the source database, made on the target (PostgreSQL family). */
export interface RoutineMapping {
  /** `source.schema.name(args) -> target.schema.name`. */
  readonly id: string;
  readonly source: { readonly endpoint: string; readonly schema: string; readonly name: string; readonly args: string };
  readonly target: { readonly endpoint: string; readonly schema: string };
  readonly routine: RoutineCatalog;
}

/** A trigger of a copied table, made on its target table after the load (PostgreSQL family). */
export interface TriggerMapping {
  readonly trigger: TriggerCatalog;
  /** Where its function stands on the target (made by the plan, or the target's own). */
  readonly functionSchema: string;
}

/** A standalone sequence to make on the target, set to where the source's stands. */
export interface SequenceMapping {
  readonly source: { readonly endpoint: string; readonly schema: string; readonly name: string };
  readonly target: { readonly endpoint: string; readonly schema: string | undefined; readonly name: string };
  readonly sequence: SequenceCatalog;
}

/** A view to make again on a target of its source's dialect. */
export interface ViewMapping {
  /** `source.schema.view -> target.schema.view`. */
  readonly id: string;
  readonly source: { readonly endpoint: string; readonly schema: string; readonly name: string };
  readonly target: { readonly endpoint: string; readonly schema: string | undefined; readonly name: string };
  readonly definition: ViewDefinition;
  /** The table mappings (ids) whose target tables the query reads: the view is made after them. */
  readonly readsTables: readonly string[];
  /** The views of this plan (ids) the query reads. */
  readonly readsViews: readonly string[];
  readonly span: Span | undefined;
}
