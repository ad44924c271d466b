import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stronglyConnected } from '../../src/plan/strongly-connected.js';

/** Every node reachable from `from` (itself included), by breadth-first search. */
function reachable(edges: readonly (readonly [string, string])[], from: string): Set<string> {
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length) {
    const node = queue.shift()!;
    for (const [a, b] of edges) if (a === node && !seen.has(b)) {
      seen.add(b);
      queue.push(b);
    }
  }
  return seen;
}

describe('stronglyConnected', () => {
  it('puts two nodes in one component exactly when each reaches the other', () => {
    const node = fc.integer({ min: 0, max: 7 }).map((n) => `t${n}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(node, node), { maxLength: 20 }), (edges) => {
        const component = stronglyConnected(edges);
        const nodes = [...new Set(edges.flat())];
        expect(new Set(component.keys())).toEqual(new Set(nodes));
        for (const a of nodes) {
          const fromA = reachable(edges, a);
          for (const b of nodes) expect(component.get(a) === component.get(b)).toBe(fromA.has(b) && reachable(edges, b).has(a));
        }
      }),
    );
  });

  it('handles a chain of 100,000 tables without a deep stack', () => {
    const edges = Array.from({ length: 100_000 }, (_, i) => [`t${i}`, `t${i + 1}`] as const);
    expect(new Set(stronglyConnected(edges).values()).size).toBe(100_001);
  });
});
