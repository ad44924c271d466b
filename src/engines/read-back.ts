/**
 * Values a change stream does not carry, read back from the source by key before a transaction is
 * applied: MySQL spatial columns (the binlog library drops a geometry's type and spatial reference),
 * PostgreSQL generated columns (pgoutput does not send them), and any value a change left out —
 * an unchanged TOASTed value (PostgreSQL, REPLICA IDENTITY DEFAULT), a column outside the row
 * image (MySQL, a session with binlog_row_image = NOBLOB or MINIMAL). Written without such a value
 * a row that is not on the target yet (it has just come to pass the plan's filter, or an earlier
 * version was rejected) would arrive without it. The source may have moved on since the
 * transaction: a later value is taken, and the later transaction that wrote it sets it again
 * (a changed value is always sent), so the target ends equal. A row gone since is not written (its
 * delete follows); if the change also moved it to a new key, its old key is deleted. Pure but for
 * the engine's `read`.
 */
import type { ChangeRow, QualifiedName, ReadColumn, SourceChange } from './contract.js';
import type { Value } from '../types/logical.js';

export interface ReadBack {
  /** The columns of a table's upserts always read back (the stream never carries them). */
  columns(table: QualifiedName): readonly ReadColumn[];
  /** Every followed column of the table: one an upsert leaves undefined (not sent) is read back too. */
  followed(table: QualifiedName): readonly ReadColumn[];
  /** The table's key columns (followed ones); refuses a table without one. */
  key(table: QualifiedName): Promise<readonly ReadColumn[]>;
  /**
   * The values of `columns` (canonical, in that order) of the rows whose keys are `keys`, by the
   * keyText of their key values; a row missing is a row gone.
   */
  read(table: QualifiedName, key: readonly ReadColumn[], columns: readonly ReadColumn[], keys: readonly (readonly Value[])[]): Promise<ReadonlyMap<string, readonly Value[]>>;
}

/** The text a key (its canonical values, several columns) is matched by. */
export function keyText(values: readonly (Value | undefined)[]): string {
  return JSON.stringify(values.map((v) => (v === undefined ? null : Buffer.isBuffer(v) ? `x${v.toString('hex')}` : v)));
}

type Upsert = Extract<SourceChange, { kind: 'upsert' }>;

/** The changes with the read-back columns of their upserts filled in; `changes` itself when none has any. */
export async function withReadBack(changes: readonly SourceChange[], source: ReadBack): Promise<readonly SourceChange[]> {
  const tableId = (t: QualifiedName) => `${t.schema ?? ''}\u0000${t.name}`;
  const unsent = (c: Upsert) => source.followed(c.table).filter((col) => c.row[col.name] === undefined);
  const needs = (c: SourceChange): c is Upsert => c.kind === 'upsert' && (source.columns(c.table).length > 0 || unsent(c).length > 0);
  if (!changes.some(needs)) return changes;

  const read = new Map<string, { key: readonly ReadColumn[]; columns: readonly ReadColumn[]; rows: ReadonlyMap<string, readonly Value[]> }>();
  for (const c of changes) {
    if (!needs(c) || read.has(tableId(c.table))) continue;
    const key = await source.key(c.table);
    const columns = [...source.columns(c.table)];
    const keys = new Map<string, readonly Value[]>();
    for (const x of changes) {
      if (!needs(x) || tableId(x.table) !== tableId(c.table)) continue;
      for (const col of unsent(x)) if (!columns.some((known) => known.name === col.name)) columns.push(col);
      const values = key.map((k) => x.row[k.name] ?? null);
      keys.set(keyText(values), values);
    }
    read.set(tableId(c.table), { key, columns, rows: await source.read(c.table, key, columns, [...keys.values()]) });
  }

  const out: SourceChange[] = [];
  for (const c of changes) {
    const table = needs(c) ? read.get(tableId(c.table)) : undefined;
    if (!table || c.kind !== 'upsert') {
      out.push(c);
      continue;
    }
    const keyOf = (row: ChangeRow) => keyText(table.key.map((k) => row[k.name]));
    const values = table.rows.get(keyOf(c.row));
    if (values) {
      const always = new Set(source.columns(c.table).map((col) => col.name));
      const row: Record<string, Value | undefined> = { ...c.row };
      // Values the change sent stay (they are this transaction's); the others take the source's.
      table.columns.forEach((col, j) => {
        if (always.has(col.name) || row[col.name] === undefined) row[col.name] = values[j] ?? null;
      });
      out.push({ ...c, row });
    } else if (c.oldKey && keyOf(c.oldKey) !== keyOf(c.row)) {
      out.push({ kind: 'delete', table: c.table, key: c.oldKey });
    }
  }
  return out;
}
