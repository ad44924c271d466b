/**
 * When a table's validation runs, relative to the key and index builds of the same target table.
 *
 * Both read the whole table. Beside the builds, which fill the cores, the validation's counts take
 * a share of them; after the builds, they run beside the foreign key checks that follow (one core
 * each on PostgreSQL, which cannot check a foreign key in parallel). So a validation waits while
 * its table's builds are pending or running: a soft order, not a dependency — a build that fails
 * (a key refused for duplicate rows, when the counts matter most) does not hold the validation
 * back. Session 14, a 2-core VM, alternating pairs of the PostgreSQL → PostgreSQL bench job: the
 * time after the copy fell by a median 0.17 s (5 of 6 pairs).
 */
import type { TableMapping } from '../check/checked-plan.js';
import { targetTableRef, type Step, type StepKind } from '../plan/graph.js';

const BUILDS: ReadonlySet<StepKind> = new Set<StepKind>(['add_primary_key', 'add_unique_key', 'create_index']);

/** Each validate step's id → the ids of the builds on its target table it waits for. */
export function buildsBeforeValidation(steps: readonly Step[], mappingsById: ReadonlyMap<string, TableMapping>): ReadonlyMap<string, readonly string[]> {
  const targetOf = (step: Step) => {
    const mapping = step.table === undefined ? undefined : mappingsById.get(step.table);
    return mapping ? targetTableRef(mapping.target) : undefined;
  };
  const buildsByTarget = new Map<string, string[]>();
  for (const step of steps) {
    const target = BUILDS.has(step.kind) ? targetOf(step) : undefined;
    if (target !== undefined) buildsByTarget.set(target, [...(buildsByTarget.get(target) ?? []), step.id]);
  }
  const out = new Map<string, readonly string[]>();
  for (const step of steps) {
    const target = step.kind === 'validate' ? targetOf(step) : undefined;
    const builds = target === undefined ? undefined : buildsByTarget.get(target);
    if (builds) out.set(step.id, builds);
  }
  return out;
}

/** Whether a validation still waits: one of its builds has yet to start or to end (whatever its outcome). */
export function waitsForBuilds(builds: readonly string[] | undefined, state: (id: string) => string | undefined): boolean {
  return builds?.some((id) => state(id) === 'pending' || state(id) === 'running') ?? false;
}
