/**
 * Validation of one loaded table: `counts` compares source rows (with the plan's filter) with the
 * target's rows plus rejects; `checksums` also reads the target back and compares an
 * order-independent checksum of its canonical values with the one recorded while writing.
 */
import type { TableMapping } from '../check/checked-plan.js';
import type { Dialect, EngineConnection, SourceSnapshot } from '../engines/contract.js';
import type { ValidationLevel } from '../ir/ir.js';
import { combineDigests, normaliserFor, RowChecksum } from './checksum.js';
import type { ChunkRecord } from './control-schema.js';
import type { RowProgram } from './row-program.js';

export interface ValidationOutcome {
  readonly ok: boolean;
  readonly sourceRows: number;
  readonly targetRows: number;
  readonly rejectedRows: number;
  readonly detail: string;
}

export async function validateTable(
  level: Exclude<ValidationLevel, 'none'>,
  table: TableMapping,
  program: RowProgram,
  chunks: readonly ChunkRecord[],
  source: SourceSnapshot,
  lane: number,
  target: EngineConnection,
  targetDialect: Dialect,
): Promise<ValidationOutcome> {
  const qname = { schema: table.target.schema, name: table.target.table };
  const slice = await sliceWhere(table, source, lane, targetDialect);
  const rejectedRows = chunks.reduce((n, c) => n + c.rowsRejected, 0);
  const snapshot = await target.snapshot(1);
  try {
    // Both sides counted at once: each is a scan on its own server connection.
    const [sourceRows, targetRows] = await Promise.all([source.count({ schema: table.source.schema, name: table.source.table }, table.where, lane), snapshot.count(qname, slice, 0)]);
    const countsOk = sourceRows === targetRows + rejectedRows;
    const countDetail = countsOk
      ? `${sourceRows} source rows = ${targetRows} loaded + ${rejectedRows} rejected`
      : `${sourceRows} source rows, but ${targetRows} loaded + ${rejectedRows} rejected`;
    if (level === 'counts' || !countsOk) return { ok: countsOk, sourceRows, targetRows, rejectedRows, detail: countDetail };

    const checksum = new RowChecksum(program.write.map((w) => normaliserFor(w.logical)));
    const request = { table: qname, columns: program.write, where: slice, range: undefined, orderBy: [], batchRows: 5000 } as const;
    for await (const batch of snapshot.read(request, 0)) for (const row of batch) checksum.add(row);
    // Chunks copied raw (binary passthrough) were never decoded: checksum the source side now.
    // Rows a foreign key step moved to the rejects table afterwards are taken out again by the
    // (negated) checksums of its adjustments.
    const copied = chunks.filter((c) => c.chunkNo >= 0);
    const adjustments = chunks.filter((c) => c.chunkNo < 0).map((c) => c.checksum ?? '');
    const base = copied.every((c) => c.checksum) ? combineDigests(copied.map((c) => c.checksum!)) : await sourceChecksum(table, program, source, lane);
    const expected = combineDigests([base, ...adjustments]);
    const ok = checksum.digest() === expected;
    return {
      ok,
      sourceRows,
      targetRows,
      rejectedRows,
      detail: ok ? `${countDetail}; checksums match (${expected})` : `${countDetail}; checksum of the target ${checksum.digest()} differs from the rows written ${expected}`,
    };
  } finally {
    await snapshot.close();
  }
}

/**
 * A merge source's rows in the shared target table: its tag values, or (offset merges without
 * tags) its key range after the offset — ranges that plan checked do not overlap.
 */
export async function sliceWhere(table: TableMapping, source: SourceSnapshot, lane: number, dialect: Dialect): Promise<string | undefined> {
  const slice = table.merge?.slice;
  if (!slice) return undefined;
  if (slice.tags.length) return slice.tags.map((t) => `${dialect.quoteIdent(t.column)} = ${dialect.renderLiteral(t.value)}`).join(' AND ');
  const key = slice.offsetKey;
  const column = key ? table.columns.find((c) => c.source.kind === 'column' && c.source.name === key.sourceColumn) : undefined;
  if (!key || !column || column.source.kind !== 'column') return undefined;
  const bounds = await source.keyBounds({ schema: table.source.schema, name: table.source.table }, { name: column.source.name, native: column.source.native, logical: column.source.logical }, table.where, lane);
  if (!bounds) return '1 = 0';
  const shift = BigInt(key.offset);
  return `${dialect.quoteIdent(key.targetColumn)} BETWEEN ${BigInt(bounds.min) + shift} AND ${BigInt(bounds.max) + shift}`;
}

/** The checksum of the source's rows as the row program turns them into target values. */
async function sourceChecksum(table: TableMapping, program: RowProgram, source: SourceSnapshot, lane: number): Promise<string> {
  const checksum = new RowChecksum(program.write.map((w) => normaliserFor(w.logical)));
  const request = { table: { schema: table.source.schema, name: table.source.table }, columns: program.read, where: table.where, range: undefined, orderBy: [], batchRows: 5000 } as const;
  for await (const batch of source.read(request, lane)) {
    for (const row of batch) {
      const out = program.run(row);
      if (Array.isArray(out)) checksum.add(out);
    }
  }
  return checksum.digest();
}
