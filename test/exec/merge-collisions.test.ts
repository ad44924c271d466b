import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { conflictReason, findCollisions, keeperOf, losingKeys, overlapHulls, type ShiftedRange } from '../../src/exec/merge-collisions.js';

/** Reads in-memory key lists the way apply reads sources: one after the other, only within the hull, in batches. */
function collide(sources: readonly (readonly bigint[])[]) {
  const ranges = sources.map((keys): ShiftedRange | undefined => (keys.length ? { lo: keys.reduce((a, b) => (a < b ? a : b)), hi: keys.reduce((a, b) => (a > b ? a : b)) } : undefined));
  const hulls = overlapHulls(ranges);
  const read: number[] = [];
  const result = findCollisions(hulls, async (index, hull, add) => {
    const inHull = sources[index]!.filter((k) => k >= hull.lo && k <= hull.hi).map(String);
    read.push(inHull.length);
    for (let i = 0; i < inHull.length; i += 3) add(inHull.slice(i, i + 3));
  });
  return { result, hulls, read };
}

const uniqueKeys = fc.uniqueArray(fc.bigInt({ min: -50n, max: 50n }), { maxLength: 40 });

describe('merge collisions', () => {
  it('hulls are the spans a range shares with others', () => {
    expect(overlapHulls([{ lo: 1n, hi: 300n }, { lo: 101n, hi: 300n }, { lo: 251n, hi: 350n }, { lo: 400n, hi: 500n }, undefined])).toEqual([
      { lo: 101n, hi: 300n },
      { lo: 101n, hi: 300n },
      { lo: 251n, hi: 300n },
      undefined,
      undefined,
    ]);
  });

  it('finds the keys several sources hold, with their holders in from order', async () => {
    const { result } = collide([[1n, 2n, 3n, 4n], [3n, 4n, 5n], [4n, 9n]]);
    expect([...(await result)]).toEqual([
      ['3', [0, 1]],
      ['4', [0, 1, 2]],
    ]);
  });

  it('each policy names its keeper', () => {
    expect(keeperOf('keep_first', [0, 2])).toBe(0);
    expect(keeperOf('keep_last', [0, 1, 2])).toBe(2);
    expect(keeperOf('rejects_table', [1, 2])).toBeUndefined();
    expect(keeperOf('rejects_table', [1])).toBe(1);
    expect(conflictReason('keep_first', '4', 2, [0, 1, 2], ['eu.s.c', 'us.s.c', 'ap.s.c'])).toBe('key 4 also comes from eu.s.c, us.s.c; on_conflict = keep_first kept the row of eu.s.c');
    expect(conflictReason('rejects_table', '4', 0, [0, 1], ['eu.s.c', 'us.s.c'])).toBe('key 4 also comes from us.s.c; on_conflict = rejects_table loads none of them');
  });

  it('property: every source row is loaded or rejected, and each key is loaded once (keep_*) or, if shared, never (rejects_table)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(uniqueKeys, { minLength: 1, maxLength: 4 }), fc.constantFrom('keep_first' as const, 'keep_last' as const, 'rejects_table' as const), async (sources, policy) => {
        const { result } = collide(sources);
        const collisions = await result;
        const losing = sources.map((_, i) => losingKeys(policy, i, collisions));
        const loadedBy = new Map<string, number[]>();
        for (const [i, keys] of sources.entries()) {
          for (const k of keys.map(String)) if (!losing[i]!.has(k)) loadedBy.set(k, [...(loadedBy.get(k) ?? []), i]);
        }
        const holders = new Map<string, number[]>();
        for (const [i, keys] of sources.entries()) for (const k of keys.map(String)) holders.set(k, [...(holders.get(k) ?? []), i]);
        for (const [k, h] of holders) {
          const loaded = loadedBy.get(k) ?? [];
          if (h.length === 1) expect(loaded).toEqual(h);
          else if (policy === 'rejects_table') expect(loaded).toEqual([]);
          else expect(loaded).toEqual([policy === 'keep_first' ? h[0] : h[h.length - 1]]);
          // A row not loaded is rejected naming exactly the other holders.
          for (const i of h.filter((x) => !loaded.includes(x))) expect(losing[i]!.get(k)).toEqual(h);
        }
      }),
    );
  });

  it('reads only the keys inside each hull', async () => {
    const { read, result } = collide([[1n, 2n, 3n, 10n], [10n, 11n, 12n], [100n]]);
    expect([...(await result).keys()]).toEqual(['10']);
    // Source 1 and 2 meet only at key 10; source 3 overlaps nothing and is not read at all.
    expect(read).toEqual([1, 1]);
  });
});
