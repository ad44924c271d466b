/**
 * Saved plans (`plan --out`): JSON checked against a schema with ajv when read back, and an
 * integrity check (the fingerprint is recomputed) so an edited plan is refused.
 */
import { graphFingerprint } from '../plan/fingerprint.js';
import { PLAN_FORMAT, type ExecutionGraph } from '../plan/graph.js';

const urlRef = {
  oneOf: [
    { type: 'object', required: ['kind', 'variable'], properties: { kind: { const: 'env' }, variable: { type: 'string' } } },
    { type: 'object', required: ['kind', 'value'], properties: { kind: { const: 'literal' }, value: { type: 'string' } } },
  ],
};

export const SAVED_PLAN_SCHEMA = {
  type: 'object',
  required: ['format', 'toolVersion', 'migration', 'endpoints', 'tables', 'steps', 'catalogFingerprints', 'summary', 'fingerprint'],
  properties: {
    format: { const: PLAN_FORMAT },
    toolVersion: { type: 'string' },
    planFile: { type: 'string' },
    migration: { type: 'object', required: ['name', 'mode', 'workers', 'validate'] },
    endpoints: {
      type: 'array',
      items: { type: 'object', required: ['name', 'role', 'engine', 'url', 'prepare'], properties: { role: { enum: ['source', 'target'] }, url: urlRef } },
    },
    tables: { type: 'array', items: { type: 'object', required: ['id', 'source', 'target', 'columns', 'targetDef'] } },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'kind', 'endpoint', 'sql', 'dependsOn', 'fingerprint', 'summary'],
        properties: { sql: { type: 'array', items: { type: 'string' } }, dependsOn: { type: 'array', items: { type: 'string' } } },
      },
    },
    catalogFingerprints: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } },
    fingerprint: { type: 'string' },
  },
} as const;

export function serializePlan(graph: ExecutionGraph): string {
  return JSON.stringify(graph, null, 2) + '\n';
}

/** Async because ajv is loaded only here: most commands never read a saved plan. */
export async function readSavedPlan(text: string): Promise<{ graph: ExecutionGraph } | { error: string }> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { error: `not JSON: ${(err as Error).message}` };
  }
  const { Ajv } = await import('ajv');
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(SAVED_PLAN_SCHEMA);
  if (!validate(data)) {
    const first = validate.errors?.[0];
    return { error: `not a dmsplan saved plan (${first ? `${first.instancePath || '/'} ${first.message}` : 'schema mismatch'})` };
  }
  const graph = data as ExecutionGraph;
  if (graphFingerprint(graph) !== graph.fingerprint) {
    return { error: 'the saved plan was modified after `dmsplan plan` wrote it' };
  }
  return { graph };
}
