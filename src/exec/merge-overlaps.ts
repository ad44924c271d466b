/**
 * Reads what decides an offset merge's collisions from the sources: each source's shifted key range
 * and, within the overlap hulls, the keys themselves (see merge-collisions.ts). Shared by `plan`
 * (fresh snapshots, to report) and `apply` (the run's snapshots, to resolve exactly what it copies).
 */
import type { TableMapping } from '../check/checked-plan.js';
import type { ReadColumn, SourceSnapshot } from '../engines/contract.js';
import { findCollisions, overlapHulls, type ShiftedRange } from './merge-collisions.js';

/** Runs `work` on a read lane of the member's source, one member at a time. */
export type WithSource = <T>(member: TableMapping, work: (snapshot: SourceSnapshot, lane: number) => Promise<T>) => Promise<T>;

export interface OffsetKey {
  readonly column: ReadColumn;
  readonly offset: bigint;
}

/** The integer key column an offset merge shifts, as read from this member's source. */
export function offsetKeyOf(member: TableMapping): OffsetKey | undefined {
  const key = member.merge?.slice.offsetKey;
  const mapped = key ? member.columns.find((c) => c.source.kind === 'column' && c.source.name === key.sourceColumn) : undefined;
  if (!key || !mapped || mapped.source.kind !== 'column') return undefined;
  return { column: { name: mapped.source.name, native: mapped.source.native, logical: mapped.source.logical }, offset: BigInt(key.offset) };
}

export interface MergeOverlaps {
  /** Per member (in `from` order): its shifted key range, undefined when it has no rows. */
  readonly ranges: readonly (ShiftedRange | undefined)[];
  /** Colliding shifted key → indexes of the members holding it. */
  readonly collisions: ReadonlyMap<string, readonly number[]>;
}

export async function readMergeOverlaps(members: readonly TableMapping[], withSource: WithSource): Promise<MergeOverlaps> {
  const ranges: (ShiftedRange | undefined)[] = [];
  for (const m of members) {
    const key = offsetKeyOf(m);
    if (!key) {
      ranges.push(undefined);
      continue;
    }
    const bounds = await withSource(m, (snapshot, lane) => snapshot.keyBounds({ schema: m.source.schema, name: m.source.table }, key.column, m.where, lane));
    ranges.push(bounds ? { lo: BigInt(bounds.min) + key.offset, hi: BigInt(bounds.max) + key.offset } : undefined);
  }
  const hulls = overlapHulls(ranges);
  const collisions = await findCollisions(hulls, (index, hull, add) => readShiftedKeys(members[index]!, hull, withSource, add));
  return { ranges, collisions };
}

/** One member's shifted keys within `hull`, handed to `add` batch by batch on one lane. */
async function readShiftedKeys(member: TableMapping, hull: ShiftedRange, withSource: WithSource, add: (keys: readonly string[]) => void): Promise<void> {
  const key = offsetKeyOf(member);
  if (!key) return;
  await withSource(member, async (snapshot, lane) => {
    const request = {
      table: { schema: member.source.schema, name: member.source.table },
      columns: [key.column],
      where: member.where,
      range: { column: key.column, after: String(hull.lo - key.offset - 1n), upTo: String(hull.hi - key.offset) },
      orderBy: [],
      batchRows: 10_000,
    };
    for await (const batch of snapshot.read(request, lane)) add(batch.map((row) => String(BigInt(String(row[0])) + key.offset)));
  });
}
