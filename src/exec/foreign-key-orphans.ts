/**
 * Rows that would break a foreign key once it is added: the child rows whose referenced row is not
 * in the target — because that row was rejected on its way in, was filtered out by the plan, or
 * never existed in the source (an orphan there). Left in place they make the foreign key step fail
 * on every run; deleted silently they would be lost. So they move, in one transaction per source
 * of the child, from the target table to the rejects table, each with its key, the foreign key
 * column(s), the value(s) and the reason, and the move is recorded as an adjustment of that
 * source's copy (written −n, rejected +n, and the checksum of the rows taken out), so counts and
 * checksums still add up: source rows = loaded + rejected.
 *
 * Only run when adding the foreign key failed on its data: the common case pays nothing.
 */
import { sourceTableName, type TableMapping } from '../check/checked-plan.js';
import type { Dialect, EngineConnection, QualifiedName } from '../engines/contract.js';
import type { ForeignKeyCatalog } from '../schema/catalog.js';
import type { Value } from '../types/logical.js';
import { negateDigest, normaliserFor, RowChecksum } from './checksum.js';
import type { ControlSchema, RejectRecord } from './control-schema.js';
import { RejectBuffer } from './reject-buffer.js';
import { describeKey, describeValue, joinKeyValues, type RowProgram } from './row-program.js';

export interface OrphanSweepMember {
  readonly mapping: TableMapping;
  readonly program: RowProgram;
  /** The fingerprint of this source's copy step: the adjustment is recorded against it. */
  readonly copyFingerprint: string;
  /** Target-dialect SQL selecting this source's rows of a merged table; undefined for a plain table. */
  readonly slice: string | undefined;
}

export interface OrphanSweep {
  readonly child: QualifiedName;
  readonly parent: QualifiedName;
  readonly fk: ForeignKeyCatalog;
  readonly members: readonly OrphanSweepMember[];
  /**
   * Why a referenced row is missing, as far as the run knows: `rejected` holds the parent's
   * rejected keys (described like a reject's key) when its key is the one the foreign key names;
   * `otherwise` explains a value not among them.
   */
  readonly why: { readonly rejected: ReadonlySet<string> | undefined; readonly otherwise: string };
  readonly target: EngineConnection;
  readonly dialect: Dialect;
  readonly control: ControlSchema;
  readonly runId: string;
  readonly now: () => string;
  /** Rows the run may still reject (`max_rejects` less those rejected so far); undefined: no limit. */
  readonly allowance: number | undefined;
}

/** More rows would move than `max_rejects` allows: nothing of that source is moved, the key is not added. */
export class RejectLimitError extends Error {
  readonly kind = 'rejects';
}

export interface SweptMember {
  readonly mapping: TableMapping;
  readonly rows: number;
  /** The first few records, for the event stream. */
  readonly examples: readonly RejectRecord[];
}

const EXAMPLES = 5;

/**
 * Moves every orphan of `fk` to the rejects table. A self-referencing foreign key repeats until no
 * orphan is left: taking a row out can orphan the rows that pointed at it.
 */
export async function sweepOrphans(sweep: OrphanSweep): Promise<SweptMember[]> {
  const totals = new Map<TableMapping, { rows: number; examples: RejectRecord[] }>();
  const selfReferencing = sameTable(sweep.child, sweep.parent);
  const rejectedHere = new Set<string>();
  for (;;) {
    let moved = 0;
    for (const member of sweep.members) moved += await sweepMember(sweep, member, totals, rejectedHere);
    if (moved === 0 || !selfReferencing) break;
  }
  return [...totals].map(([mapping, t]) => ({ mapping, rows: t.rows, examples: t.examples }));
}

async function sweepMember(
  sweep: OrphanSweep,
  member: OrphanSweepMember,
  totals: Map<TableMapping, { rows: number; examples: RejectRecord[] }>,
  rejectedHere: Set<string>,
): Promise<number> {
  const { dialect, fk } = sweep;
  const where = [orphanCondition(dialect, sweep.child, sweep.parent, fk), member.slice].filter((w): w is string => w !== undefined).map((w) => `(${w})`).join(' AND ');
  const write = member.program.write;
  const fkIndexes = fk.columns.map((c) => write.findIndex((w) => w.name === c));
  if (fkIndexes.some((i) => i < 0)) throw new Error(`bug: foreign key ${fk.name} names a column ${member.mapping.id} does not write`);
  const keyAt = sourceKeyIndexes(member.mapping);
  // A self-referencing key names the table's own key: a row taken out in an earlier pass is then a
  // rejected parent of the rows the next pass finds.
  const refersToOwnKey = sameTable(sweep.child, sweep.parent) && keyAt.length === fk.referencedColumns.length && keyAt.every((i, j) => write[i]?.name === fk.referencedColumns[j]);
  const chunkNo = await sweep.control.nextAdjustmentNo(sweep.target, member.copyFingerprint);
  const checksum = new RowChecksum(write.map((w) => normaliserFor(w.logical)));
  const rejects = new RejectBuffer();
  const parentName = `${sweep.parent.schema ? `${sweep.parent.schema}.` : ''}${sweep.parent.name}`;
  const snapshot = await sweep.target.snapshot(1);
  try {
    const request = { table: sweep.child, columns: write, where, range: undefined, orderBy: [], batchRows: 5000 } as const;
    for await (const batch of snapshot.read(request, 0)) {
      for (const row of batch) {
        checksum.add(row);
        // Written as the parent's row_key would be, so a rejected parent's key is recognised.
        const values = joinKeyValues(fkIndexes.map((i) => describeValue(row[i] ?? null)));
        const key = describeKey(sourceKeyValues(member.mapping, row, keyAt), keyAt.map((_, i) => i));
        if (refersToOwnKey) rejectedHere.add(key);
        rejects.push({
          runId: sweep.runId,
          stepFingerprint: member.copyFingerprint,
          chunkNo,
          sourceTable: sourceTableName(member.mapping),
          targetTable: `${sweep.child.schema ? `${sweep.child.schema}.` : ''}${sweep.child.name}`,
          key,
          column: fk.columns.join(', '),
          value: values,
          reason: `foreign key ${fk.name}: ${fk.columns.join(', ')} = ${values} has no row in ${parentName} (${fk.referencedColumns.join(', ')}): ${sweep.why.rejected?.has(values) || rejectedHere.has(values) ? 'that row was rejected (see its own reject)' : sweep.why.otherwise}`,
          at: sweep.now(),
        });
      }
    }
  } finally {
    await snapshot.close();
  }
  const rows = rejects.count;
  if (rows === 0) return 0;
  const movedBefore = [...totals.values()].reduce((n, t) => n + t.rows, 0);
  if (sweep.allowance !== undefined && movedBefore + rows > sweep.allowance) {
    rejects.dispose();
    throw new RejectLimitError(
      `foreign key ${fk.name}: ${rows} row(s) of ${sourceTableName(member.mapping)} point at no row of ${parentName}; moving them to the rejects table would pass max_rejects (${sweep.allowance} more allowed in this run), so they stay and the key is not added`,
    );
  }
  const total = totals.get(member.mapping) ?? { rows: 0, examples: [] };
  totals.set(member.mapping, total);
  try {
    await sweep.target.transaction(async (tx) => {
      for await (const batch of rejects.batches()) {
        await sweep.control.recordRejects(tx, batch);
        for (const r of batch) if (total.examples.length < EXAMPLES) total.examples.push(r);
      }
      await tx.query(`DELETE FROM ${dialect.qualify(sweep.child)} WHERE ${where}`);
      await sweep.control.recordAdjustment(tx, { stepFingerprint: member.copyFingerprint, chunkNo, rowsWritten: -rows, rowsRejected: rows, checksum: negateDigest(checksum.digest()), runId: sweep.runId, at: sweep.now() });
    });
  } finally {
    rejects.dispose();
  }
  total.rows += rows;
  return rows;
}

/**
 * Child rows whose foreign key columns are all set (MATCH SIMPLE: a null column exempts the row)
 * and match no row of the parent. The parent is read through a derived table so that a DELETE of
 * a self-referencing table is accepted by MySQL, which refuses a subquery on the table it deletes
 * from; the child is named by its qualified name, as a DELETE has no alias everywhere.
 */
export function orphanCondition(dialect: Dialect, child: QualifiedName, parent: QualifiedName, fk: ForeignKeyCatalog): string {
  const childColumn = (c: string) => `${dialect.qualify(child)}.${dialect.quoteIdent(c)}`;
  const set = fk.columns.map((c) => `${childColumn(c)} IS NOT NULL`).join(' AND ');
  const parentColumns = fk.referencedColumns.map((c) => dialect.quoteIdent(c)).join(', ');
  const matches = fk.referencedColumns.map((c, i) => `dmsplan_parent.${dialect.quoteIdent(c)} = ${childColumn(fk.columns[i]!)}`).join(' AND ');
  return `${set} AND NOT EXISTS (SELECT 1 FROM (SELECT ${parentColumns} FROM ${dialect.qualify(parent)}) dmsplan_parent WHERE ${matches})`;
}

/** Write indexes of the columns holding the source's key (a tag or a new key is not part of it). */
function sourceKeyIndexes(mapping: TableMapping): number[] {
  return mapping.sourceKey.map((k) => mapping.columns.findIndex((c) => c.source.kind === 'column' && c.source.name === k)).filter((i) => i >= 0);
}

/** The source key of a target row: a key shifted by an offset merge is shifted back. */
function sourceKeyValues(mapping: TableMapping, row: readonly Value[], at: readonly number[]): Value[] {
  return at.map((i) => {
    const value = row[i] ?? null;
    const offset = mapping.columns[i]?.offset;
    // Integers are canonical text.
    return offset !== undefined && offset !== '0' && typeof value === 'string' && /^-?\d+$/.test(value) ? (BigInt(value) - BigInt(offset)).toString() : value;
  });
}

function sameTable(a: QualifiedName, b: QualifiedName): boolean {
  return (a.schema ?? '') === (b.schema ?? '') && a.name === b.name;
}
