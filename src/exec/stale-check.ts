/**
 * A saved plan is the approval of exactly what it lists; if a schema it was made against changed
 * since, applying it could do something else. This reads the catalogs again and names what changed.
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ExecutionGraph } from '../plan/graph.js';
import { planCatalogFingerprints } from '../plan/build-graph.js';
import type { Catalog } from '../schema/catalog.js';
import type { EngineConnection } from '../engines/contract.js';
import { findEngine } from '../engines/registry.js';
import { ControlSchema } from './control-schema.js';
import { closeAll, connectAll, describeError, resolveEndpoints } from './endpoints.js';
import { withPlannedSchemas } from './target-catalog.js';

export async function checkSavedPlanFresh(graph: ExecutionGraph, env: Readonly<Record<string, string | undefined>>): Promise<readonly Diagnostic[]> {
  const resolved = resolveEndpoints(graph.endpoints, env);
  if (resolved.diagnostics.length) return resolved.diagnostics;
  const { connections, diagnostics } = await connectAll(resolved.endpoints, 1, env, true);
  if (diagnostics.length) return diagnostics;
  const sources = new Map<string, Catalog>();
  const targets = new Map<string, Catalog>();
  /** Targets where this very plan already ran without finishing: its own changes are expected there. */
  const resuming = new Set<string>();
  try {
    for (const [name, open] of connections) {
      try {
        const read = await open.connection.introspect({ schemas: undefined });
        const planned = graph.tables.filter((t) => t.target.endpoint === name).map((t) => t.target.schema);
        const catalog = open.endpoint.plan.role === 'target' ? await withPlannedSchemas(open.connection, read, planned) : read;
        (open.endpoint.plan.role === 'source' ? sources : targets).set(name, catalog);
        if (open.endpoint.plan.role === 'target' && (await ranUnfinished(open.connection, open.endpoint.plan.engine, graph.fingerprint))) resuming.add(name);
      } catch (err) {
        return [error('DMS5004', `${open.endpoint.plan.role} ${name}: cannot read the schema: ${describeError(err, [open.endpoint.url])}`)];
      }
    }
  } finally {
    await closeAll(connections);
  }
  const now = planCatalogFingerprints(graph, sources, targets);
  const changes: string[] = [];
  for (const [endpoint, before] of Object.entries(graph.catalogFingerprints)) {
    const after = now[endpoint] ?? {};
    // Resuming: the tables this plan creates, drops or loads on that target are its own work in
    // progress; every other table, and every source table, must still be as planned.
    const ownWork = resuming.has(endpoint) ? plannedTargetTables(graph, endpoint) : undefined;
    const checked = (table: string) => !ownWork?.(table);
    for (const [table, fp] of Object.entries(before)) {
      if (!checked(table)) continue;
      if (!(table in after)) changes.push(`${endpoint}: table ${table.replace(/^\./, '')} was dropped`);
      else if (after[table] !== fp) changes.push(`${endpoint}: table ${table.replace(/^\./, '')} changed`);
    }
    for (const table of Object.keys(after)) if (!(table in before) && checked(table)) changes.push(`${endpoint}: table ${table.replace(/^\./, '')} was created`);
  }
  if (changes.length === 0) return [];
  return [
    error(
      'DMS4003',
      `the saved plan is stale: ${changes.slice(0, 10).join('; ')}${changes.length > 10 ? `; and ${changes.length - 10} more` : ''}`,
      undefined,
      'make a new plan with `dmsplan plan FILE --out PLAN.json`, review it, and apply that',
    ),
  ];
}

/** Whether the target's control schema holds a run of this plan that did not finish 'ok'. */
async function ranUnfinished(conn: EngineConnection, engineName: Parameters<typeof findEngine>[0], planFingerprint: string): Promise<boolean> {
  const engine = findEngine(engineName);
  if (!engine) return false;
  const control = new ControlSchema(engine.dialect);
  if (!(await control.exists(conn))) return false;
  const runs = engine.dialect.qualify(engine.dialect.controlTable('runs'));
  const rows = await conn.query(`SELECT status FROM ${runs} WHERE plan_fingerprint = ${engine.dialect.placeholder(1)}`, [planFingerprint]);
  return rows.length > 0 && !rows.some((r) => r.status === 'ok');
}

/** Matches the catalog keys (`schema.table`) of the target tables the plan's steps write. */
function plannedTargetTables(graph: ExecutionGraph, endpoint: string): (key: string) => boolean {
  const written = graph.tables.filter((t) => t.target.endpoint === endpoint && graph.steps.some((s) => s.endpoint === endpoint && s.table === t.id));
  return (key) => {
    const dot = key.indexOf('.');
    const schema = key.slice(0, dot);
    const name = key.slice(dot + 1);
    return written.some((t) => t.target.table === name && (t.target.schema === undefined || t.target.schema === schema));
  };
}

