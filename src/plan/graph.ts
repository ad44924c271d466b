/**
 * The execution graph: the ordered, explicit list of what `apply` will do. Saved as JSON by
 * `plan --out`; a saved plan holds no secrets (URLs are env() references).
 */
import type { CheckedPlan, EndpointPlan, TableMapping } from '../check/checked-plan.js';
import type { ConflictPolicy, MergeKeyStrategy, MigrationIR } from '../ir/ir.js';

export type StepKind =
  | 'create_schema'
  | 'create_types'
  | 'drop_table'
  | 'truncate_table'
  | 'create_table'
  | 'map_keys'
  | 'copy'
  | 'add_primary_key'
  | 'add_unique_key'
  | 'create_index'
  | 'add_foreign_key'
  | 'reset_identity'
  | 'create_view'
  | 'refresh_materialized_view'
  | 'create_sequence'
  | 'create_function'
  | 'create_trigger'
  | 'enable_row_security'
  | 'validate';

export interface Step {
  /** Unique in the graph, readable: `copy:dw.chinook.album`. */
  readonly id: string;
  readonly kind: StepKind;
  /** The target endpoint the step acts on. */
  readonly endpoint: string;
  /** The TableMapping id the step belongs to, if any. */
  readonly table: string | undefined;
  /** Statements run by DDL steps, in order (empty for copy and validate). */
  readonly sql: readonly string[];
  readonly dependsOn: readonly string[];
  /** Content hash: a step whose fingerprint is recorded as done in the control schema is skipped. */
  readonly fingerprint: string;
  /** One line for listings and progress. */
  readonly summary: string;
  /**
   * add_foreign_key whose SQL does not check the rows (Dialect.addForeignKeyUnchecked): apply moves
   * the rows whose parent is missing to the rejects table first, then runs it.
   */
  readonly orphansFirst?: boolean;
  /**
   * add_foreign_key replacing a key the target has on the same columns, which acts otherwise: what
   * changes (`on delete cascade → set null`). Its SQL drops the target's key first.
   */
  readonly changes?: string;
  /**
   * create_view: over a view of that name the target has (dropped, and made again). create_function,
   * create_trigger: over the target's own of that name, whose definition differs (replaced).
   */
  readonly replaces?: boolean;
}

/** Whether a kind of step acts on one target table (its id then names that table). */
const ON_A_TABLE: Readonly<Record<StepKind, boolean>> = {
  create_schema: false,
  create_types: true,
  drop_table: true,
  truncate_table: true,
  create_table: true,
  map_keys: true,
  copy: true,
  add_primary_key: true,
  add_unique_key: true,
  create_index: true,
  add_foreign_key: true,
  reset_identity: true,
  create_view: false,
  refresh_materialized_view: false,
  create_sequence: false,
  create_function: false,
  create_trigger: true,
  enable_row_security: true,
  validate: true,
};

/** How step ids name a target table: `endpoint.schema.table`, or `endpoint.table` without a schema. */
export function targetTableRef(target: { readonly endpoint: string; readonly schema: string | undefined; readonly table: string }): string {
  return `${target.endpoint}.${target.schema ? `${target.schema}.` : ''}${target.table}`;
}

/**
 * Whether a step id — of this plan or of any earlier version of it, as the control schema recorded
 * it — names a step on the target table `ref` (`kind:ref`, or `kind:ref:what` for a table's
 * indexes, foreign keys and merge sources).
 */
export function stepIdIsOnTable(id: string, ref: string): boolean {
  const colon = id.indexOf(':');
  if (colon < 0 || !(ON_A_TABLE as Readonly<Record<string, boolean>>)[id.slice(0, colon)]) return false;
  const rest = id.slice(colon + 1);
  return rest === ref || rest.startsWith(`${ref}:`);
}

export interface PlanSummary {
  readonly tablesToCreate: number;
  readonly tablesToDrop: number;
  readonly tablesToTruncate: number;
  readonly tablesToLoad: number;
  readonly rowsEstimate: number;
  readonly primaryKeys: number;
  readonly uniqueKeys: number;
  readonly indexes: number;
  readonly foreignKeys: number;
  readonly unchangedTables: number;
  /** Views made again (`views = recreate`); absent in plans without any. */
  readonly views?: number;
  /** Materialized views refreshed (made WITH NO DATA, or reading tables loaded again); absent in plans without any. */
  readonly materializedViewsToRefresh?: number;
  /** Standalone sequences made or moved forward; absent in plans without any. */
  readonly sequences?: number;
  /** Functions and procedures made or replaced; absent in plans without any. */
  readonly routines?: number;
  /** Triggers made after their tables' loads; absent in plans without any. */
  readonly triggers?: number;
}

/** What `plan` found out about each merge before any row moves. */
export interface MergeReport {
  readonly name: string;
  readonly strategy: MergeKeyStrategy;
  readonly onConflict: ConflictPolicy;
  /** Each source, with its key range after the offset (offset merges). */
  readonly sources: readonly { readonly source: string; readonly keyRange: string | undefined }[];
  /** Pairs of sources whose shifted key ranges overlap (with on_conflict = reject the plan is refused). */
  readonly overlaps: number;
  /** Distinct keys more than one source holds, and the smallest few. */
  readonly collisions: number;
  readonly examples: readonly string[];
}

export const PLAN_FORMAT = 'dmsplan-plan/1';

export interface ExecutionGraph {
  readonly format: typeof PLAN_FORMAT;
  readonly toolVersion: string;
  readonly planFile: string;
  readonly migration: MigrationIR;
  readonly endpoints: readonly EndpointPlan[];
  readonly tables: readonly TableMapping[];
  readonly steps: readonly Step[];
  /**
   * Endpoint name → `schema.table` → fingerprint of that table's structure at planning time
   * (sources: the tables read; targets: every table). Stale-plan detection compares them.
   */
  readonly catalogFingerprints: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly notMigrated: CheckedPlan['notMigrated'];
  /** Views made again from their definitions (`views = recreate`), when there are any. */
  readonly views?: CheckedPlan['views'];
  readonly merges: readonly MergeReport[];
  readonly summary: PlanSummary;
  /** Hash of everything above but itself. */
  readonly fingerprint: string;
}
