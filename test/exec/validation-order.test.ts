import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { TableMapping } from '../../src/check/checked-plan.js';
import type { Step, StepKind } from '../../src/plan/graph.js';
import { buildsBeforeValidation, waitsForBuilds } from '../../src/exec/validation-order.js';

const step = (id: string, kind: StepKind, table: string | undefined): Step => ({ id, kind, endpoint: 'dst', table, sql: [], dependsOn: [], fingerprint: id, summary: id });
// Only `target` is read: two mappings of one merge share their target table.
const mapping = (id: string, table: string) => ({ id, target: { endpoint: 'dst', schema: 'public', table } }) as unknown as TableMapping;

describe('buildsBeforeValidation', () => {
  const mappings = new Map([
    ['a', mapping('a', 'orders')],
    ['b1', mapping('b1', 'merged')],
    ['b2', mapping('b2', 'merged')],
    ['c', mapping('c', 'plain')],
  ]);
  const steps = [
    step('copy:a', 'copy', 'a'),
    step('validate:a', 'validate', 'a'),
    step('pk:a', 'add_primary_key', 'a'),
    step('ix:a', 'create_index', 'a'),
    step('uk:a', 'add_unique_key', 'a'),
    step('fk:a', 'add_foreign_key', 'a'),
    step('reset:a', 'reset_identity', 'a'),
    step('validate:b1', 'validate', 'b1'),
    step('validate:b2', 'validate', 'b2'),
    step('pk:b', 'add_primary_key', 'b1'),
    step('validate:c', 'validate', 'c'),
    step('view', 'create_view', undefined),
  ];

  it("gives each validation the key and index builds of its own target table, and nothing else", () => {
    const order = buildsBeforeValidation(steps, mappings);
    expect(order.get('validate:a')).toEqual(['pk:a', 'ix:a', 'uk:a']);
    // Every source of a merge is validated after the merged table's builds.
    expect(order.get('validate:b1')).toEqual(['pk:b']);
    expect(order.get('validate:b2')).toEqual(['pk:b']);
    expect(order.has('validate:c')).toBe(false);
    expect([...order.keys()].sort()).toEqual(['validate:a', 'validate:b1', 'validate:b2']);
  });

  it('waits only while a build is pending or running: one that failed or was blocked holds nothing back', () => {
    const outcomes = ['pending', 'running', 'done', 'skipped', 'failed', 'blocked'] as const;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...outcomes), { maxLength: 5 }), (states) => {
        const ids = states.map((_, i) => `b${i}`);
        const waits = waitsForBuilds(ids, (id) => states[Number(id.slice(1))]);
        expect(waits).toBe(states.some((s) => s === 'pending' || s === 'running'));
      }),
    );
    expect(waitsForBuilds(undefined, () => 'pending')).toBe(false);
  });
});
