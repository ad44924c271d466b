/**
 * Applies a batch of source transactions to one target in ONE target transaction, together with
 * the stream position they reach: a follower killed at any moment either applied the whole batch
 * and its position, or nothing of it. Within a batch, only the last image of each key matters
 * (changes are full row images applied by key): per table one delete and one upsert statement.
 */
import { sourceTableName } from '../../check/checked-plan.js';
import { EngineError, type ChangeRow, type Dialect, type EngineConnection, type SourceChange, type TargetTransaction } from '../../engines/contract.js';
import type { Row, Value } from '../../types/logical.js';
import type { ControlSchema, RejectRecord } from '../control-schema.js';
import { describeKey, isRejection } from '../row-program.js';
import { keyOf, readRow, sameTable, writableColumns, type FollowedTable } from './followed-tables.js';
import { RefusalReader } from '../refused-row.js';

export interface ChangeBatch {
  readonly transactions: readonly { readonly position: string; readonly changes: readonly SourceChange[] }[];
}

export interface ApplyContext {
  readonly target: EngineConnection;
  readonly streamKey: string;
  readonly dialect: Dialect;
  readonly control: ControlSchema;
  /** The tables of this target followed from this source. */
  readonly tables: readonly FollowedTable[];
  readonly source: string;
  readonly plan: string;
  readonly captureName: string;
  readonly runId: string;
  readonly now: () => string;
}

/** The follower stops with this message (a column added on the source, an unsupported change). */
export class FollowStop extends Error {
  readonly kind = 'unsupported';
}

/**
 * One stretch of a batch between truncates, collapsed: per table and target key, the last image
 * (upsert) or a delete. Replaying full row images by key, only the last one of each key matters;
 * a partial image (unchanged TOASTed values not sent) takes the missing values from an earlier image
 * of the same key in the batch, and otherwise leaves them out of the write.
 */
interface TableChanges {
  readonly table: FollowedTable;
  /** Rows whose key changed while some of their values were not sent: moved in place first. */
  readonly rekeys: { readonly from: Row; readonly to: Row }[];
  readonly deletes: Map<string, Row>;
  readonly upserts: Map<string, { row: Row; read: Value[]; missing: readonly number[] }>;
}

type Step = { readonly kind: 'changes'; readonly tables: Map<FollowedTable, TableChanges> } | { readonly kind: 'truncate'; readonly tables: readonly FollowedTable[] };

export interface BatchOutcome {
  readonly upserts: number;
  readonly deletes: number;
  readonly rejected: number;
  readonly rejects: readonly RejectRecord[];
}

/** Turns the batch into collapsed steps; throws FollowStop on a change the follower must not guess at. */
export function stepsOf(ctx: ApplyContext, batch: ChangeBatch, rejects: RejectRecord[]): Step[] {
  const steps: Step[] = [];
  let current: Map<FollowedTable, TableChanges> = new Map();
  const changesOf = (table: FollowedTable): TableChanges => {
    let c = current.get(table);
    if (!c) {
      c = { table, rekeys: [], deletes: new Map(), upserts: new Map() };
      current.set(table, c);
    }
    return c;
  };
  const reject = (table: FollowedTable, row: readonly Value[], column: string | undefined, value: string | undefined, reason: string) =>
    rejects.push({
      runId: ctx.runId,
      stepFingerprint: 'cdc',
      chunkNo: -1,
      sourceTable: sourceTableName(table.mapping),
      targetTable: targetTableName(table),
      key: describeKey(row, table.program.keyIndexes),
      column,
      value,
      reason,
      at: ctx.now(),
    });
  const targetKey = (table: FollowedTable, change: ChangeRow): Row | undefined => {
    const { row } = readRow(table, change);
    // The key columns alone: a before image (MySQL sends the whole old row) may hold a value the
    // target refuses elsewhere, which says nothing about the key.
    const out = table.program.run(table.program.keyIndexes.length ? keyColumnsOnly(table, row) : row);
    if (isRejection(out)) {
      reject(table, row, out.column, out.value, `${out.reason} (key of a deleted row)`);
      return undefined;
    }
    return keyOf(table, out);
  };
  const addDelete = (table: FollowedTable, key: Row) => {
    const c = changesOf(table);
    const id = keyId(key);
    c.upserts.delete(id);
    c.deletes.set(id, key);
  };

  for (const tx of batch.transactions) {
    for (const change of tx.changes) {
      switch (change.kind) {
        case 'new_columns': {
          if (tablesOf(ctx, change.table).length === 0) break;
          throw new FollowStop(
            `column(s) ${change.columns.join(', ')} were added to source table ${change.table.schema}.${change.table.name} while following: the follower stopped before applying the change (nothing was lost: it resumes from the last applied transaction). ` +
              `Add the column(s) to the target table and to the plan (or exclude them explicitly), then run apply again.`,
          );
        }
        case 'truncate': {
          // The tables of one TRUNCATE go together: a source TRUNCATE … CASCADE names a table and the
          // tables referring to it, and one by one the target refused the first (its foreign key) —
          // on every restart.
          const emptied: FollowedTable[] = [];
          for (const t of change.tables) for (const table of tablesOf(ctx, t)) {
            if (table.mapping.merge) throw new FollowStop(`source table ${t.schema}.${t.name} was truncated, and it is one source of merge ${table.mapping.merge.name}: truncate the target slice yourself, then run apply again`);
            if (!emptied.some((e) => sameTable(e.target, table.target))) emptied.push(table);
          }
          if (emptied.length === 0) break;
          if (current.size) steps.push({ kind: 'changes', tables: current });
          current = new Map();
          steps.push({ kind: 'truncate', tables: emptied });
          break;
        }
        case 'delete':
          for (const table of tablesOf(ctx, change.table)) {
            const key = targetKey(table, change.key);
            if (key) addDelete(table, key);
          }
          break;
        case 'upsert':
          for (const table of tablesOf(ctx, change.table)) {
            const c = changesOf(table);
            const old = change.oldKey ? targetKey(table, change.oldKey) : undefined;
            const { row: read, missing: sent } = readRow(table, change.row);
            let missing: readonly number[] = sent;
            if (missing.length) {
              // Fill unchanged values from the row's earlier image in the batch (under its old key
              // when the key changed), when there is one.
              const probe = table.program.run(read);
              const earlierId = old ? keyId(old) : isRejection(probe) ? undefined : keyId(keyOf(table, probe));
              const earlier = earlierId === undefined ? undefined : c.upserts.get(earlierId);
              if (earlier) {
                for (const i of missing) if (!earlier.missing.includes(i)) read[i] = earlier.read[i] ?? null;
                missing = missing.filter((i) => earlier.missing.includes(i));
              }
            }
            if (old) {
              // The key changed: the row moves; values the source did not send stay with it.
              const probe = table.program.run(read);
              if (missing.length && !isRejection(probe) && keyId(old) !== keyId(keyOf(table, probe))) {
                c.upserts.delete(keyId(old));
                c.rekeys.push({ from: old, to: keyOf(table, probe) });
              }
              addDelete(table, old);
            }
            const out = table.program.run(read);
            if (isRejection(out)) {
              reject(table, read, out.column, out.value, out.reason);
              // As in the full load, a rejected row is not on the target: its earlier version goes
              // (sources that send the old key deleted it above; PostgreSQL sends none when the key
              // stayed, so the target would keep a stale row that looks valid).
              if (!old) {
                const key = keyOfRejected(table, read);
                if (key) addDelete(table, key);
              }
              continue;
            }
            const filter = table.program.filter;
            if (filter) {
              if (table.program.filterReads.some((i) => missing.includes(i))) {
                throw new FollowStop(
                  `${table.mapping.id}: a change did not send the value of a column the plan's filter reads (an unchanged TOASTed value): set REPLICA IDENTITY FULL on the source table, then run apply again`,
                );
              }
              // A row that does not pass (any more) must not be on the target: delete by its key.
              if (!filter(read)) {
                addDelete(table, keyOf(table, out));
                continue;
              }
            }
            const id = keyId(keyOf(table, out));
            c.deletes.delete(id);
            c.upserts.delete(id); // the last image goes last
            c.upserts.set(id, { row: out, read, missing });
          }
          break;
        default: {
          const never: never = change;
          return never;
        }
      }
    }
  }
  if (current.size) steps.push({ kind: 'changes', tables: current });
  return steps;
}

/**
 * The target key of a row the program rejected, from its key columns alone (the rejected value is
 * elsewhere); undefined when the key itself does not convert, and then no such row is on the target.
 */
function keyOfRejected(table: FollowedTable, read: readonly Value[]): Row | undefined {
  if (table.program.keyIndexes.length === 0) return undefined;
  const out = table.program.run(keyColumnsOnly(table, read));
  return isRejection(out) ? undefined : keyOf(table, out);
}

/** The row with every column but the key's set to NULL (what a key-only change image holds). */
function keyColumnsOnly(table: FollowedTable, row: readonly Value[]): Value[] {
  return row.map((v, i) => (table.program.keyIndexes.includes(i) ? v : null));
}

function tablesOf(ctx: ApplyContext, source: { schema: string | undefined; name: string }): readonly FollowedTable[] {
  return ctx.tables.filter((t) => sameTable({ schema: t.mapping.source.schema, name: t.mapping.source.table }, source));
}

function keyId(key: Row): string {
  return JSON.stringify(key.map((v) => (Buffer.isBuffer(v) ? `\\x${v.toString('hex')}` : v)));
}

/**
 * Referenced tables before the tables referring to them (foreign keys between followed tables of
 * this target): upserts go in this order, deletes in the reverse one, so that a batch that was
 * consistent on the source is consistent at every statement on the target.
 */
export function parentsFirst(tables: readonly FollowedTable[]): FollowedTable[] {
  const out: FollowedTable[] = [];
  const visiting = new Set<FollowedTable>();
  const visit = (t: FollowedTable) => {
    if (out.includes(t) || visiting.has(t)) return;
    visiting.add(t);
    for (const fk of t.mapping.targetDef.foreignKeys) {
      const parent = tables.find((p) => p !== t && p.target.name === fk.referencedTable && (fk.referencedSchema === '' || (p.target.schema ?? '') === fk.referencedSchema));
      if (parent) visit(parent);
    }
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}

export async function applyBatch(ctx: ApplyContext, batch: ChangeBatch, transactionsSoFar: number): Promise<BatchOutcome> {
  const lastTx = batch.transactions[batch.transactions.length - 1];
  if (!lastTx) return { upserts: 0, deletes: 0, rejected: 0, rejects: [] };
  try {
    return await applyCollapsed(ctx, batch, transactionsSoFar, lastTx.position);
  } catch (err) {
    // Collapsed per key, the batch's last images go in an order the source never wrote them in: a
    // unique value that moved from one row to another meets the row still holding it on the target
    // (which stopped the follower for good: the same batch failed again on every restart). Or the
    // target refuses a value. In source order, change by change, the first goes through and the
    // second lands in the rejects.
    if (!(err instanceof EngineError) || err.kind !== 'data') throw err;
    return applyInSourceOrder(ctx, batch, transactionsSoFar, lastTx.position);
  }
}

async function applyCollapsed(ctx: ApplyContext, batch: ChangeBatch, transactionsSoFar: number, position: string): Promise<BatchOutcome> {
  const rejects: RejectRecord[] = [];
  const steps = stepsOf(ctx, batch, rejects);
  const order = parentsFirst(ctx.tables);
  const counts = { upserts: 0, deletes: 0 };
  await ctx.target.transaction(async (tx) => {
    for (const step of steps) await applyStep(tx, ctx, step, order, counts);
    await ctx.control.recordRejects(tx, rejects);
    await savePosition(tx, ctx, batch, transactionsSoFar, position);
  });
  return { ...counts, rejected: rejects.length, rejects };
}

/**
 * The batch change by change in source order, each under a savepoint, still in one target
 * transaction with the position: a change the target refuses goes to the rejects with the
 * database's message, and the row's earlier version leaves the target (as the full load leaves a
 * refused row out), so the follower goes on.
 */
async function applyInSourceOrder(ctx: ApplyContext, batch: ChangeBatch, transactionsSoFar: number, position: string): Promise<BatchOutcome> {
  const rejects: RejectRecord[] = [];
  const order = parentsFirst(ctx.tables);
  const counts = { upserts: 0, deletes: 0 };
  await ctx.target.transaction(async (tx) => {
    let savepoints = 0;
    const underSavepoint = async (fn: () => Promise<void>): Promise<unknown> => {
      const name = `dms_cdc_${savepoints++}`;
      await tx.query(`SAVEPOINT ${name}`);
      try {
        await fn();
        await tx.query(`RELEASE SAVEPOINT ${name}`);
        return undefined;
      } catch (err) {
        // Released too: nested savepoints would pile up (see careful mode in copy-table.ts).
        await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
        await tx.query(`RELEASE SAVEPOINT ${name}`);
        if (!(err instanceof EngineError) || err.kind !== 'data') throw err;
        return err;
      }
    };
    for (const source of batch.transactions) {
      for (const change of source.changes) {
        for (const step of stepsOf(ctx, { transactions: [{ position: source.position, changes: [change] }] }, rejects)) {
          const done = { upserts: 0, deletes: 0 };
          const refused = await underSavepoint(() => applyStep(tx, ctx, step, order, done));
          if (refused === undefined) {
            counts.upserts += done.upserts;
            counts.deletes += done.deletes;
            continue;
          }
          if (step.kind === 'truncate') throw refused;
          rejects.push(...(await refusedRecords(ctx, tx, step.tables, refused as EngineError)));
          const gone = { upserts: 0, deletes: 0 };
          // A refused delete (say, a target-only foreign key) would be refused again: left as it is.
          if (await underSavepoint(() => removeEarlierVersions(tx, step.tables, gone))) continue;
          counts.deletes += gone.deletes;
        }
      }
    }
    await ctx.control.recordRejects(tx, rejects);
    await savePosition(tx, ctx, batch, transactionsSoFar, position);
  });
  return { ...counts, rejected: rejects.length, rejects };
}

async function applyStep(tx: TargetTransaction, ctx: ApplyContext, step: Step, order: readonly FollowedTable[], counts: { upserts: number; deletes: number }): Promise<void> {
  if (step.kind === 'truncate') {
    for (const sql of ctx.dialect.truncateTables(step.tables.map((t) => t.target))) await tx.query(sql);
    return;
  }
  for (const table of order) {
    const c = step.tables.get(table);
    for (const r of c?.rekeys ?? []) await rekey(tx, ctx.dialect, table, r.from, r.to);
  }
  for (const table of [...order].reverse()) {
    const c = step.tables.get(table);
    if (c?.deletes.size) counts.deletes += await remove(tx, table, [...c.deletes.values()]);
  }
  for (const table of order) {
    const c = step.tables.get(table);
    if (c?.upserts.size) counts.upserts += await upsert(tx, table, [...c.upserts.values()]);
  }
}

async function savePosition(tx: TargetTransaction, ctx: ApplyContext, batch: ChangeBatch, transactionsSoFar: number, position: string): Promise<void> {
  await ctx.control.saveCdcPosition(tx, { streamKey: ctx.streamKey, source: ctx.source, plan: ctx.plan, captureName: ctx.captureName, position, transactions: transactionsSoFar + batch.transactions.length, runId: ctx.runId, at: ctx.now() });
}

/**
 * The rejects of one change the target refused: its new image, or the key it deleted. The column
 * and value the target blamed are filled when the change wrote a single row (of several, the
 * error does not say which one it refused).
 */
async function refusedRecords(ctx: ApplyContext, tx: TargetTransaction, tables: ReadonlyMap<FollowedTable, TableChanges>, refused: EngineError): Promise<RejectRecord[]> {
  const out: RejectRecord[] = [];
  const message = refused.message;
  const images = [...tables.values()].reduce((n, c) => n + c.upserts.size, 0);
  for (const [table, c] of tables) {
    const base = { runId: ctx.runId, stepFingerprint: 'cdc', chunkNo: -1, sourceTable: sourceTableName(table.mapping), targetTable: targetTableName(table), column: undefined, value: undefined, at: ctx.now() };
    for (const image of c.upserts.values()) {
      const blamed = images === 1 ? await new RefusalReader(tx, table.target, table.program.write).fields(refused, image.row) : {};
      out.push({ ...base, ...blamed, key: describeKey(image.read, table.program.keyIndexes), reason: `refused by the target: ${message}` });
    }
    if (c.upserts.size === 0) for (const key of c.deletes.values()) out.push({ ...base, key: describeKey(key, key.map((_, i) => i)), reason: `refused by the target: ${message} (deleting the row)` });
  }
  return out;
}

/** Deletes the rows a refused change touched, under their old and new keys. */
async function removeEarlierVersions(tx: TargetTransaction, tables: ReadonlyMap<FollowedTable, TableChanges>, counts: { deletes: number }): Promise<void> {
  for (const [table, c] of tables) {
    const keys = [...c.deletes.values(), ...c.rekeys.map((r) => r.from), ...[...c.upserts.values()].map((image) => keyOf(table, image.row))];
    if (keys.length) counts.deletes += await remove(tx, table, keys);
  }
}

function targetTableName(table: FollowedTable): string {
  return `${table.mapping.target.schema ? `${table.mapping.target.schema}.` : ''}${table.mapping.target.table}`;
}

/** Full images in one statement; partial ones (unchanged values not sent) grouped by the columns they can write. */
async function upsert(tx: TargetTransaction, t: FollowedTable, images: readonly { row: Row; missing: readonly number[] }[]): Promise<number> {
  if (!tx.upsertRows) throw new FollowStop('this target engine cannot apply changes (no upsert)');
  const groups = new Map<string, { columns: readonly number[]; rows: Row[] }>();
  for (const image of images) {
    const columns = writableColumns(t, image.missing);
    const id = columns.join(',');
    const g = groups.get(id) ?? { columns, rows: [] };
    g.rows.push(columns.length === t.program.write.length ? image.row : columns.map((i) => image.row[i] ?? null));
    groups.set(id, g);
  }
  let n = 0;
  for (const g of groups.values()) {
    const columns = g.columns.length === t.program.write.length ? t.program.write : g.columns.map((i) => t.program.write[i]!);
    n += await tx.upsertRows(t.target, columns, t.key.map((k) => k.name), g.rows);
  }
  return n;
}

/** Moves a row to its new key in place (UPDATE of the key columns), unless the new key is there already. */
async function rekey(tx: TargetTransaction, dialect: Dialect, t: FollowedTable, from: Row, to: Row): Promise<void> {
  const param = (v: Value): string | number | null => {
    if (v === null || typeof v === 'string' || typeof v === 'number') return v;
    throw new FollowStop(`${t.mapping.id}: a key of this type cannot be changed in place by the follower; run the full load again`);
  };
  const names = t.key.map((k) => dialect.quoteIdent(k.name));
  const table = dialect.qualify(t.target);
  const exists = await tx.query(`SELECT 1 AS one FROM ${table} WHERE ${names.map((n, i) => `${n} = ${dialect.placeholder(i + 1)}`).join(' AND ')}`, to.map(param));
  if (exists.length) return;
  const set = names.map((n, i) => `${n} = ${dialect.placeholder(i + 1)}`).join(', ');
  const where = names.map((n, i) => `${n} = ${dialect.placeholder(names.length + i + 1)}`).join(' AND ');
  await tx.query(`UPDATE ${table} SET ${set} WHERE ${where}`, [...to.map(param), ...from.map(param)]);
}

async function remove(tx: TargetTransaction, t: FollowedTable, keys: readonly Row[]): Promise<number> {
  if (!tx.deleteRows) throw new FollowStop('this target engine cannot apply changes (no delete by key)');
  return tx.deleteRows(t.target, t.key, keys);
}
