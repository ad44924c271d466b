/**
 * What the follower needs per table mapping, compiled once: the same row program as the full load,
 * the target key, and which target columns depend on which source columns (an unchanged TOASTed
 * value the source did not send must not overwrite the target's).
 */
import type { TableMapping } from '../../check/checked-plan.js';
import type { CaptureTable, ChangeRow, EngineModule, QualifiedName, WriteColumn } from '../../engines/contract.js';
import type { Row, Value } from '../../types/logical.js';
import { compileRowProgram, type RowProgram } from '../row-program.js';

export interface FollowedTable {
  readonly mapping: TableMapping;
  readonly program: RowProgram;
  readonly target: QualifiedName;
  /** Target key columns (primary key, else the first unique key) and their positions in program.write. */
  readonly key: readonly WriteColumn[];
  readonly keyAt: readonly number[];
  /** For each written column: the read indexes it depends on (all of them for computed columns). */
  readonly dependsOn: readonly (readonly number[])[];
}

export function sameTable(a: QualifiedName, b: QualifiedName): boolean {
  return (a.schema ?? '') === (b.schema ?? '') && a.name === b.name;
}

/** The target key of a mapping, or why it has none. */
export function targetKeyOf(mapping: TableMapping): readonly string[] | undefined {
  const def = mapping.targetDef;
  return def.primaryKey?.columns ?? def.uniqueKeys[0]?.columns;
}

export function compileFollowedTable(mapping: TableMapping, targetEngine: EngineModule): FollowedTable {
  const program = compileRowProgram(mapping, targetEngine);
  const keyNames = targetKeyOf(mapping) ?? [];
  const keyAt = keyNames.map((k) => program.write.findIndex((w) => w.name === k));
  if (keyNames.length === 0 || keyAt.some((i) => i < 0)) throw new Error(`${mapping.id}: the target table has no key, so changes cannot be applied by key`);
  const readIndex = new Map(program.read.map((c, i) => [c.name, i]));
  const all = program.read.map((_, i) => i);
  const dependsOn = mapping.columns.map((c) => (c.source.kind === 'column' ? [readIndex.get(c.source.name) ?? -1] : all));
  return { mapping, program, target: { schema: mapping.target.schema, name: mapping.target.table }, key: keyAt.map((i) => program.write[i]!), keyAt, dependsOn };
}

/** The capture's view of a mapping: source table, columns read, every column the table had. */
export function captureTableOf(mapping: TableMapping, program: RowProgram, knownColumns: readonly string[]): CaptureTable {
  return { table: { schema: mapping.source.schema, name: mapping.source.table }, columns: program.read, knownColumns };
}

/** A change row in program.read order; `missing` lists read indexes the source did not send. */
export function readRow(table: FollowedTable, change: ChangeRow): { row: Value[]; missing: number[] } {
  const row: Value[] = new Array(table.program.read.length);
  const missing: number[] = [];
  table.program.read.forEach((c, i) => {
    const v = change[c.name];
    if (v === undefined) {
      missing.push(i);
      row[i] = null;
    } else row[i] = v;
  });
  return { row, missing };
}

/** Written columns that can be written for a row whose `missing` source columns were not sent. */
export function writableColumns(table: FollowedTable, missing: readonly number[]): readonly number[] {
  const all = table.program.write.map((_, i) => i);
  if (missing.length === 0) return all;
  return all.filter((w) => table.keyAt.includes(w) || !table.dependsOn[w]!.some((r) => missing.includes(r)));
}

export function keyOf(table: FollowedTable, target: Row): Row {
  return table.keyAt.map((i) => target[i] ?? null);
}
