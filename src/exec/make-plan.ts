/**
 * The effectful half of `plan`: read the catalogs of every endpoint and what the targets already
 * hold, then run the pure checker and planner. Writes nothing anywhere.
 */
import { error, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { checkPlan, toEndpointPlan } from '../check/check-plan.js';
import { checkEngineRoles } from '../check/engine-roles.js';
import type { CheckedPlan } from '../check/checked-plan.js';
import type { EngineConnection } from '../engines/contract.js';
import { findEngine } from '../engines/registry.js';
import type { PlanIR } from '../ir/ir.js';
import { buildGraph, copyStepFingerprint } from '../plan/build-graph.js';
import type { ExecutionGraph } from '../plan/graph.js';
import { findTargetTable, tableKey, type TargetState } from '../plan/target-state.js';
import type { Catalog } from '../schema/catalog.js';
import { builtinTypeRules } from '../types/prelude.js';
import { ControlSchema } from './control-schema.js';
import { closeAll, connectAll, describeError, resolveEndpoints, type OpenConnection } from './endpoints.js';
import { checkCapturePrerequisites } from './cdc/plan-checks.js';
import { checkMergeKeys } from './merge-ranges.js';
import { withPlannedSchemas } from './target-catalog.js';

export interface MadePlan {
  readonly graph: ExecutionGraph | undefined;
  readonly checked: CheckedPlan | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** Endpoint name → resolved URL (secret; for connecting and for redacted display only). */
  readonly urls: ReadonlyMap<string, string>;
  /** With `keepConnections`, and a graph: the open connections, now the caller's to close. */
  readonly connections?: ReadonlyMap<string, OpenConnection>;
}

export interface MakePlanOptions {
  readonly planFile: string;
  readonly toolVersion: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Keep the connections open for the apply that follows (pools of this many connections), rather
   * than connect twice: each connection costs a round of authentication and session setup, and an
   * embedded engine (PGlite) loads its whole database again.
   */
  readonly keepConnections?: { readonly poolSize: number };
}

export async function makePlan(ir: PlanIR, options: MakePlanOptions): Promise<MadePlan> {
  const resolved = resolveEndpoints(ir.endpoints.map(toEndpointPlan), options.env);
  const urls = new Map(resolved.endpoints.map((e) => [e.plan.name, e.url]));
  if (resolved.diagnostics.length) return { graph: undefined, checked: undefined, diagnostics: resolved.diagnostics, urls };
  // An engine in a role it cannot have (an Oracle target) is refused before anything connects.
  const roles = checkEngineRoles(ir);
  if (roles.length) return { graph: undefined, checked: undefined, diagnostics: roles, urls };

  // Kept for an apply, the connections will write; otherwise planning only reads.
  const { connections, diagnostics } = await connectAll(resolved.endpoints, options.keepConnections?.poolSize ?? 2, options.env, options.keepConnections === undefined);
  if (diagnostics.length) return { graph: undefined, checked: undefined, diagnostics, urls };
  let kept = false;
  try {
    const made = await planWithConnections(ir, options, connections, urls);
    kept = options.keepConnections !== undefined && made.graph !== undefined;
    return kept ? { ...made, connections } : made;
  } finally {
    if (!kept) await closeAll(connections);
  }
}

async function planWithConnections(ir: PlanIR, options: MakePlanOptions, connections: ReadonlyMap<string, OpenConnection>, urls: ReadonlyMap<string, string>): Promise<MadePlan> {
  const diagnostics: Diagnostic[] = [];
  const catalogs = new Map<string, Catalog>();
  await Promise.all(
    [...connections.entries()].map(async ([name, open]) => {
      try {
        catalogs.set(name, await open.connection.introspect({ schemas: undefined }));
      } catch (err) {
        diagnostics.push(error('DMS5004', `${open.endpoint.plan.role} ${name}: cannot read the schema: ${describeError(err, [open.endpoint.url])}`));
      }
    }),
  );
  if (diagnostics.length) return { graph: undefined, checked: undefined, diagnostics, urls };

  const checked = checkPlan({ ir, catalogs, builtinRules: builtinTypeRules });
  diagnostics.push(...checked.diagnostics);
  diagnostics.push(...(await checkCapturePrerequisites(checked.value, connections, options.env)));
  // A plan the checker refused breaks what the planner relies on (two tables into one target
  // table give two steps of one id): the errors are the answer, without a graph.
  if (hasErrors(diagnostics)) return { graph: undefined, checked: checked.value, diagnostics, urls };

  const targets = new Map<string, TargetState>();
  for (const e of ir.endpoints.filter((x) => x.role === 'target')) {
    const open = connections.get(e.name);
    const catalog = catalogs.get(e.name);
    const engine = findEngine(e.engine);
    if (!open || !catalog || !engine) continue;
    try {
      const planned = checked.value.tables.filter((t) => t.target.endpoint === e.name).map((t) => t.target.schema);
      const seen = await withPlannedSchemas(open.connection, catalog, planned);
      targets.set(e.name, await readTargetState(open.connection, engine.dialect, seen, checked.value, e.name));
    } catch (err) {
      diagnostics.push(error('DMS5004', `target ${e.name}: cannot read the control schema: ${describeError(err, [open.endpoint.url])}`));
    }
  }
  const sources = new Map([...catalogs].filter(([name]) => ir.endpoints.find((e) => e.name === name)?.role === 'source'));
  const merges = await checkMergeKeys(checked.value.tables, connections);
  diagnostics.push(...merges.diagnostics);
  const graph = buildGraph({ checked: checked.value, planFile: options.planFile, toolVersion: options.toolVersion, targets, sources, merges: merges.reports });
  diagnostics.push(...graph.diagnostics);
  return { graph: hasErrors(diagnostics) ? undefined : graph.value, checked: checked.value, diagnostics, urls };
}

async function readTargetState(conn: EngineConnection, dialect: ConstructorParameters<typeof ControlSchema>[0], catalog: Catalog, checked: CheckedPlan, endpoint: string): Promise<TargetState> {
  const control = new ControlSchema(dialect);
  const hasControl = await control.exists(conn);
  const nonEmptyTables = new Set<string>();
  for (const t of checked.tables.filter((x) => x.target.endpoint === endpoint)) {
    const existing = findTargetTable(catalog, t.target.schema, t.target.table);
    if (!existing) continue;
    const rows = await conn.query(`SELECT 1 AS one FROM ${dialect.qualify({ schema: t.target.schema, name: existing.name })} LIMIT 1`);
    if (rows.length) nonEmptyTables.add(tableKey(existing.schema, existing.name));
  }
  // A copy of this very plan that began is this plan's own progress (resumed from its chunks), not
  // rows of an earlier version: its started record does not count as one.
  const ownStarts = new Set(checked.tables.filter((t) => t.target.endpoint === endpoint).map((t) => ControlSchema.startedRecord(copyStepFingerprint(t))));
  const records = hasControl ? await control.recordedStepIds(conn) : new Map<string, string>();
  return {
    catalog,
    completedSteps: hasControl ? await control.completedSteps(conn) : new Set(),
    recordedStepIds: new Set([...records].filter(([fp]) => !ownStarts.has(fp)).map(([, id]) => id)),
    startedCopies: hasControl ? await control.startedCopies(conn) : new Set(),
    nonEmptyTables,
  };
}
