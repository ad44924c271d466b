/**
 * on_conflict acting on an offset merge: the colliding keys of the whole merge, found once per run
 * from the run's own snapshots (so they are exactly the rows the copies read), and the row-program
 * wrapper that turns a losing row into a rejection instead of a target row. The copy loop knows
 * nothing of it: a losing row is one more rejected row, recorded with its chunk.
 */
import type { TableMapping } from '../check/checked-plan.js';
import { sourceTableName } from '../check/checked-plan.js';
import type { Row, Value } from '../types/logical.js';
import { conflictReason, losingKeys, type Collisions } from './merge-collisions.js';
import { offsetKeyOf } from './merge-overlaps.js';
import type { RowProgram, RowRejection } from './row-program.js';

/** Whether apply must resolve collisions for this member before copying it. */
export function resolvesConflicts(table: TableMapping): boolean {
  return table.merge?.strategy === 'offset' && table.merge.onConflict !== 'reject';
}

/**
 * Wraps `program` so that a row whose shifted key this member loses is rejected with a reason
 * naming the other source(s) and the policy. Members that lose nothing keep the program as is.
 */
export function guardConflicts(program: RowProgram, member: TableMapping, members: readonly TableMapping[], collisions: Collisions): RowProgram {
  const merge = member.merge;
  const key = offsetKeyOf(member);
  if (!merge || !key) return program;
  const losing = losingKeys(merge.onConflict, merge.index, collisions);
  if (losing.size === 0) return program;
  const at = program.read.findIndex((c) => c.name === key.column.name);
  if (at < 0) throw new Error(`bug: the offset key ${key.column.name} is not read for ${member.id}`);
  const names = members.map(sourceTableName);
  const column = merge.slice.offsetKey?.targetColumn;
  return {
    ...program,
    run(row: readonly Value[]): Row | RowRejection {
      const v = row[at];
      if (typeof v === 'string') {
        const shifted = String(BigInt(v) + key.offset);
        const holders = losing.get(shifted);
        if (holders) return { column, value: shifted, reason: conflictReason(merge.onConflict, shifted, merge.index, holders, names) };
      }
      return program.run(row);
    },
  };
}
