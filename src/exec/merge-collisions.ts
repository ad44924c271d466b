/**
 * Key collisions between the sources of an offset merge, and which source keeps a colliding key.
 * Pure: the sources' shifted keys come in as streams, one source at a time, so a caller needs one
 * read lane at a time whatever the number of sources (two sources of one endpoint share its lanes).
 *
 * Only keys inside a source's *overlap hull* are read — the span of its shifted range that meets
 * another source's range — because a key outside it cannot collide. Memory: one entry per distinct
 * key read in the hulls (the overlap), never the whole tables.
 */
import type { ConflictPolicy } from '../ir/ir.js';

/** A source's key range after its offset (inclusive). */
export interface ShiftedRange {
  readonly lo: bigint;
  readonly hi: bigint;
}

/**
 * For each range, the part that can collide: from the smallest to the largest point it shares with
 * any other range; undefined when it overlaps none.
 */
export function overlapHulls(ranges: readonly (ShiftedRange | undefined)[]): (ShiftedRange | undefined)[] {
  return ranges.map((a, i) => {
    if (!a) return undefined;
    let lo: bigint | undefined;
    let hi: bigint | undefined;
    for (const [j, b] of ranges.entries()) {
      if (j === i || !b || a.lo > b.hi || b.lo > a.hi) continue;
      const l = a.lo > b.lo ? a.lo : b.lo;
      const h = a.hi < b.hi ? a.hi : b.hi;
      if (lo === undefined || l < lo) lo = l;
      if (hi === undefined || h > hi) hi = h;
    }
    return lo === undefined || hi === undefined ? undefined : { lo, hi };
  });
}

/** Colliding shifted key (canonical digits) → the indexes of the sources holding it, ascending. */
export type Collisions = ReadonlyMap<string, readonly number[]>;

/**
 * Reads each source's keys within its hull (`readKeys(index, hull, add)` hands them to `add` in
 * batches, one source after the other) and returns the keys more than one source holds. A source
 * repeating a key (it cannot: keys are primary keys) counts once.
 */
export async function findCollisions(
  hulls: readonly (ShiftedRange | undefined)[],
  readKeys: (index: number, hull: ShiftedRange, add: (keys: readonly string[]) => void) => Promise<void>,
): Promise<Map<string, number[]>> {
  // A key seen once holds its source's index; a second source turns it into a list.
  const seen = new Map<string, number | number[]>();
  for (const [index, hull] of hulls.entries()) {
    if (!hull) continue;
    await readKeys(index, hull, (batch) => {
      for (const key of batch) {
        const before = seen.get(key);
        if (before === undefined) seen.set(key, index);
        else if (typeof before === 'number') {
          if (before !== index) seen.set(key, [before, index]);
        } else if (before[before.length - 1] !== index) before.push(index);
      }
    });
  }
  const out = new Map<string, number[]>();
  for (const [key, holders] of seen) if (typeof holders !== 'number') out.set(key, holders);
  return out;
}

/**
 * The source whose row is loaded for a key several sources hold (`holders` ascending, in `from`
 * order), or undefined when none is (rejects_table). `reject` never gets here: such a plan is refused.
 */
export function keeperOf(policy: ConflictPolicy, holders: readonly number[]): number | undefined {
  if (holders.length === 1) return holders[0];
  switch (policy) {
    case 'keep_first':
      return holders[0];
    case 'keep_last':
      return holders[holders.length - 1];
    case 'rejects_table':
    case 'reject':
      return undefined;
    default: {
      const never: never = policy;
      return never;
    }
  }
}

/** The keys one source loses, each with the other sources holding it. */
export function losingKeys(policy: ConflictPolicy, index: number, collisions: Collisions): Map<string, readonly number[]> {
  const out = new Map<string, readonly number[]>();
  for (const [key, holders] of collisions) {
    if (!holders.includes(index)) continue;
    if (keeperOf(policy, holders) !== index) out.set(key, holders);
  }
  return out;
}

/** Why a source's row is not loaded, naming the other source(s) and the policy. */
export function conflictReason(policy: ConflictPolicy, key: string, index: number, holders: readonly number[], names: readonly string[]): string {
  const keeper = keeperOf(policy, holders);
  const others = holders.filter((h) => h !== index).map((h) => names[h] ?? `source ${h + 1}`);
  if (keeper === undefined) return `key ${key} also comes from ${others.join(', ')}; on_conflict = ${policy} loads none of them`;
  return `key ${key} also comes from ${others.join(', ')}; on_conflict = ${policy} kept the row of ${names[keeper] ?? `source ${keeper + 1}`}`;
}
