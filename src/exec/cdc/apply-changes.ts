/**
 * Applies a batch of source transactions to one target in ONE target transaction, together with
 * the stream position they reach: a follower killed at any moment either applied the whole batch
 * and its position, or nothing of it. Changes are applied in source commit order; consecutive
 * changes of one kind to one table go as one statement (the last image of each key wins).
 */
import type { Dialect, EngineConnection, SourceChange, TargetTransaction } from '../../engines/contract.js';
import type { Row } from '../../types/logical.js';
import type { ControlSchema, RejectRecord } from '../control-schema.js';
import { describeKey, isRejection } from '../row-program.js';
import { keyOf, readRow, sameTable, writableColumns, type FollowedTable } from './followed-tables.js';

export interface ChangeBatch {
  readonly transactions: readonly { readonly position: string; readonly changes: readonly SourceChange[] }[];
}

export interface ApplyContext {
  readonly target: EngineConnection;
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

type Segment =
  | { readonly kind: 'upsert'; readonly table: FollowedTable; readonly columns: readonly number[]; readonly rows: Map<string, Row> }
  | { readonly kind: 'delete'; readonly table: FollowedTable; readonly rows: Map<string, Row> }
  | { readonly kind: 'truncate'; readonly table: FollowedTable };

export interface BatchOutcome {
  readonly upserts: number;
  readonly deletes: number;
  readonly rejected: number;
  readonly rejects: readonly RejectRecord[];
}

/** Turns the batch into ordered segments; throws FollowStop on a change the follower must not guess at. */
export function segmentsOf(ctx: ApplyContext, batch: ChangeBatch, rejects: RejectRecord[]): Segment[] {
  const segments: Segment[] = [];
  const last = () => segments[segments.length - 1];
  const reject = (table: FollowedTable, row: Row, column: string | undefined, value: string | undefined, reason: string) =>
    rejects.push({
      runId: ctx.runId,
      stepFingerprint: 'cdc',
      chunkNo: -1,
      sourceTable: `${table.mapping.source.endpoint}.${table.mapping.source.schema}.${table.mapping.source.table}`,
      targetTable: `${table.mapping.target.schema ? `${table.mapping.target.schema}.` : ''}${table.mapping.target.table}`,
      key: describeKey(row, table.program.keyIndexes),
      column,
      value,
      reason,
      at: ctx.now(),
    });
  const addDelete = (table: FollowedTable, key: Row) => {
    const s = last();
    const id = JSON.stringify(key, bufferAware);
    if (s && s.kind === 'delete' && s.table === table) s.rows.set(id, key);
    else segments.push({ kind: 'delete', table, rows: new Map([[id, key]]) });
  };
  const targetKey = (table: FollowedTable, change: Parameters<typeof readRow>[1]): Row | undefined => {
    const { row } = readRow(table, change);
    const out = table.program.run(row);
    if (isRejection(out)) {
      reject(table, row, out.column, out.value, `${out.reason} (key of a deleted row)`);
      return undefined;
    }
    return keyOf(table, out);
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
        case 'truncate':
          for (const t of change.tables) for (const table of ctx.tables.filter((x) => sameTable({ schema: x.mapping.source.schema, name: x.mapping.source.table }, t))) {
            if (table.mapping.merge) throw new FollowStop(`source table ${t.schema}.${t.name} was truncated, and it is one source of merge ${table.mapping.merge.name}: truncate the target slice yourself, then run apply again`);
            segments.push({ kind: 'truncate', table });
          }
          break;
        case 'delete':
          for (const table of tablesOf(ctx, change.table)) {
            const key = targetKey(table, change.key);
            if (key) addDelete(table, key);
          }
          break;
        case 'upsert':
          for (const table of tablesOf(ctx, change.table)) {
            if (change.oldKey) {
              const old = targetKey(table, change.oldKey);
              if (old) addDelete(table, old);
            }
            const { row, missing } = readRow(table, change.row);
            const out = table.program.run(row);
            if (isRejection(out)) {
              reject(table, row, out.column, out.value, out.reason);
              continue;
            }
            const columns = writableColumns(table, missing);
            const id = JSON.stringify(keyOf(table, out), bufferAware);
            const s = last();
            if (s && s.kind === 'upsert' && s.table === table && s.columns.length === columns.length && s.columns.every((c, i) => c === columns[i])) {
              s.rows.delete(id); // the last image goes last
              s.rows.set(id, out);
            } else segments.push({ kind: 'upsert', table, columns, rows: new Map([[id, out]]) });
          }
          break;
        default: {
          const never: never = change;
          return never;
        }
      }
    }
  }
  return segments;
}

function tablesOf(ctx: ApplyContext, source: { schema: string | undefined; name: string }): readonly FollowedTable[] {
  return ctx.tables.filter((t) => sameTable({ schema: t.mapping.source.schema, name: t.mapping.source.table }, source));
}

function bufferAware(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer') return `\\x${Buffer.from((value as { data: number[] }).data).toString('hex')}`;
  return value;
}

export async function applyBatch(ctx: ApplyContext, batch: ChangeBatch, transactionsSoFar: number): Promise<BatchOutcome> {
  const lastTx = batch.transactions[batch.transactions.length - 1];
  if (!lastTx) return { upserts: 0, deletes: 0, rejected: 0, rejects: [] };
  const rejects: RejectRecord[] = [];
  const segments = segmentsOf(ctx, batch, rejects);
  let upserts = 0;
  let deletes = 0;
  await ctx.target.transaction(async (tx) => {
    for (const s of segments) {
      switch (s.kind) {
        case 'upsert':
          upserts += await upsert(tx, s);
          break;
        case 'delete':
          deletes += await remove(tx, s);
          break;
        case 'truncate':
          for (const sql of ctx.dialect.truncateTable(s.table.target)) await tx.query(sql);
          break;
        default: {
          const never: never = s;
          return never;
        }
      }
    }
    for (const r of rejects) await ctx.control.recordReject(tx, r);
    await ctx.control.saveCdcPosition(tx, { source: ctx.source, plan: ctx.plan, captureName: ctx.captureName, position: lastTx.position, transactions: transactionsSoFar + batch.transactions.length, runId: ctx.runId, at: ctx.now() });
  });
  return { upserts, deletes, rejected: rejects.length, rejects };
}

async function upsert(tx: TargetTransaction, s: Extract<Segment, { kind: 'upsert' }>): Promise<number> {
  if (!tx.upsertRows) throw new FollowStop('this target engine cannot apply changes (no upsert)');
  const t = s.table;
  const all = s.columns.length === t.program.write.length;
  const columns = all ? t.program.write : s.columns.map((i) => t.program.write[i]!);
  const rows = [...s.rows.values()].map((r) => (all ? r : s.columns.map((i) => r[i] ?? null)));
  return tx.upsertRows(t.target, columns, t.key.map((k) => k.name), rows);
}

async function remove(tx: TargetTransaction, s: Extract<Segment, { kind: 'delete' }>): Promise<number> {
  if (!tx.deleteRows) throw new FollowStop('this target engine cannot apply changes (no delete by key)');
  return tx.deleteRows(s.table.target, s.table.key, [...s.rows.values()]);
}
