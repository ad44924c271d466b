/**
 * A saved plan is the approval of exactly what it lists; if a schema it was made against changed
 * since, applying it could do something else. This reads the catalogs again and names what changed.
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ExecutionGraph } from '../plan/graph.js';
import { planCatalogFingerprints } from '../plan/build-graph.js';
import type { Catalog } from '../schema/catalog.js';
import { closeAll, connectAll, describeError, resolveEndpoints } from './endpoints.js';

export async function checkSavedPlanFresh(graph: ExecutionGraph, env: Readonly<Record<string, string | undefined>>): Promise<readonly Diagnostic[]> {
  const resolved = resolveEndpoints(graph.endpoints, env);
  if (resolved.diagnostics.length) return resolved.diagnostics;
  const { connections, diagnostics } = await connectAll(resolved.endpoints, 1, env);
  if (diagnostics.length) return diagnostics;
  const sources = new Map<string, Catalog>();
  const targets = new Map<string, Catalog>();
  try {
    for (const [name, open] of connections) {
      try {
        const catalog = await open.connection.introspect({ schemas: undefined });
        (open.endpoint.plan.role === 'source' ? sources : targets).set(name, catalog);
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
    for (const [table, fp] of Object.entries(before)) {
      if (!(table in after)) changes.push(`${endpoint}: table ${table.replace(/^\./, '')} was dropped`);
      else if (after[table] !== fp) changes.push(`${endpoint}: table ${table.replace(/^\./, '')} changed`);
    }
    for (const table of Object.keys(after)) if (!(table in before)) changes.push(`${endpoint}: table ${table.replace(/^\./, '')} was created`);
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
