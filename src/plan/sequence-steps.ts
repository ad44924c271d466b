/**
 * The steps that make the application's own sequences (no column draws from them) on a target of
 * the source's dialect, set to where the source's stand. Planned where the target lacks one or it
 * is behind the source's; a second plan after the run has nothing to do.
 */
import type { CheckedPlan, SequenceMapping } from '../check/checked-plan.js';
import { findEngine } from '../engines/registry.js';
import type { SequenceCatalog } from '../schema/catalog.js';
import { fingerprint } from './fingerprint.js';
import type { Step } from './graph.js';
import { schemaStepFor } from './schema-step.js';
import type { TargetState } from './target-state.js';

/** Whether the target's sequence already stands where the source's does, or past it. */
function caughtUp(target: SequenceCatalog, source: SequenceCatalog): boolean {
  if (source.lastValue === undefined) return true;
  if (target.lastValue === undefined) return false;
  const descending = source.definition?.increment.startsWith('-') ?? false;
  return descending ? BigInt(target.lastValue) <= BigInt(source.lastValue) : BigInt(target.lastValue) >= BigInt(source.lastValue);
}

export function sequenceStepId(s: SequenceMapping): string {
  return `create_sequence:${s.target.endpoint}.${s.target.schema ? `${s.target.schema}.` : ''}${s.target.name}`;
}

/** Adds the sequences' steps to `steps`; returns how many sequences it makes or moves. */
export function planSequences(checked: CheckedPlan, targets: ReadonlyMap<string, TargetState>, steps: Step[]): number {
  let planned = 0;
  for (const s of checked.sequences ?? []) {
    const endpoint = checked.endpoints.find((e) => e.name === s.target.endpoint);
    const engine = endpoint ? findEngine(endpoint.engine) : undefined;
    const state = targets.get(s.target.endpoint);
    if (!engine?.dialect.createSequence || !state) continue;
    const existing = state.catalog.sequences.find((q) => q.schema === (s.target.schema ?? q.schema) && q.name === s.target.name);
    if (existing && caughtUp(existing, s.sequence)) continue;
    const schemaStep = schemaStepFor(engine, state, s.target.endpoint, s.target.schema, steps);
    const sql = engine.dialect.createSequence({ schema: s.target.schema, name: s.target.name }, s.sequence);
    const qualified = `${s.target.schema ? `${s.target.schema}.` : ''}${s.target.name}`;
    steps.push({
      id: sequenceStepId(s),
      kind: 'create_sequence',
      endpoint: s.target.endpoint,
      table: undefined,
      sql,
      dependsOn: schemaStep ? [schemaStep] : [],
      fingerprint: fingerprint({ kind: 'create_sequence', sql }),
      summary: `${qualified}${s.sequence.lastValue === undefined ? ' (never used on the source)' : ` at ${s.sequence.lastValue}`}`,
    });
    planned++;
  }
  return planned;
}
