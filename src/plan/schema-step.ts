/** The step that makes a target schema: one per schema, for its tables, views and sequences alike. */
import type { EngineModule } from '../engines/contract.js';
import { fingerprint } from './fingerprint.js';
import type { Step } from './graph.js';
import type { TargetState } from './target-state.js';

/**
 * The id of the step making `schema` on `endpoint`: the one already planned for it, or a new one
 * when the target lacks the schema; undefined when it exists.
 */
export function schemaStepFor(engine: EngineModule, state: TargetState, endpoint: string, schema: string | undefined, steps: Step[]): string | undefined {
  if (!schema || !engine.capabilities.schemas) return undefined;
  const planned = steps.find((s) => s.kind === 'create_schema' && s.endpoint === endpoint && s.summary === schema);
  if (planned) return planned.id;
  if (state.catalog.schemas.includes(schema)) return undefined;
  const id = `create_schema:${endpoint}.${schema}`;
  steps.push({ id, kind: 'create_schema', endpoint, table: undefined, sql: engine.dialect.createSchema(schema), dependsOn: [], fingerprint: fingerprint({ kind: 'create_schema', schema }), summary: schema });
  return id;
}
