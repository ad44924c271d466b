/**
 * Consistent reads of an Oracle source. Every lane is a connection of its own; they agree on one
 * state in one of two ways:
 *  - flashback: the lanes read `AS OF SCN n`, n being the system change number when the snapshot
 *    opened (DBMS_FLASHBACK.GET_SYSTEM_CHANGE_NUMBER, or V$DATABASE.CURRENT_SCN). Needs that SCN
 *    readable, the FLASHBACK privilege on other users' tables, and undo kept for the copy's length
 *    (UNDO_RETENTION; ORA-01555 "snapshot too old" otherwise).
 *  - without an SCN, each lane runs in its own `SET TRANSACTION READ ONLY` transaction, opened back
 *    to back: each is consistent by itself, so `lanesAgree` is false and no table is split across
 *    lanes.
 * Rows stream with the driver's result sets, `batchRows` at a time, pulled by the consumer.
 */
import { EngineError, type QualifiedName, type ReadColumn, type ReadRequest, type SourceSnapshot } from '../contract.js';
import { denseIntegerSplits } from '../key-splits.js';
import type { Row } from '../../types/logical.js';
import { oracleDialect, quoteOracleIdent } from './oracle-ddl.js';
import { oracleDecoder, oracleKeyBound, oracleSelectExpression, type OracleBind } from './oracle-values.js';

export interface OracleStatement {
  readonly sql: string;
  readonly binds: readonly OracleBind[];
}

/** One connection of a snapshot (oracle-driver.ts implements it). */
export interface OracleReadSession {
  /** Rows as arrays, in column order. */
  query(sql: string, binds?: readonly OracleBind[]): Promise<readonly unknown[][]>;
  /** Rows as arrays, `batchRows` at a time. */
  stream(sql: string, binds: readonly OracleBind[], batchRows: number): AsyncIterable<readonly unknown[][]>;
  close(): Promise<void>;
}

/** `FROM "S"."T" AS OF SCN n t`: the table, at the snapshot's SCN when there is one, aliased `t`. */
function fromClause(table: QualifiedName, scn: string | undefined): string {
  return `${oracleDialect.qualify(table)}${scn !== undefined ? ` AS OF SCN ${scn}` : ''} t`;
}

function whereClause(conditions: readonly string[]): string {
  return conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
}

/** The SELECT of one read: columns formatted exactly (oracle-values.ts), the key range bound by variables. */
export function oracleReadSql(request: ReadRequest, scn: string | undefined): OracleStatement {
  const conditions: string[] = [];
  const binds: OracleBind[] = [];
  if (request.where) conditions.push(`(${request.where})`);
  if (request.range) {
    const key = `t.${quoteOracleIdent(request.range.column.name)}`;
    const bound = (value: string) => {
      const b = oracleKeyBound(request.range!.column, value, binds.length + 1);
      if (b.bind !== undefined) binds.push(b.bind);
      return b.sql;
    };
    if (request.range.after !== undefined) conditions.push(`${key} > ${bound(request.range.after)}`);
    // The first range also takes the rows whose key is NULL: every row falls in exactly one range.
    if (request.range.upTo !== undefined) {
      const upTo = `${key} <= ${bound(request.range.upTo)}`;
      conditions.push(request.range.after === undefined ? `(${upTo} OR ${key} IS NULL)` : upTo);
    }
  }
  const order = request.orderBy.length ? ` ORDER BY ${request.orderBy.map((c) => `t.${quoteOracleIdent(c)}`).join(', ')}` : '';
  const columns = request.columns.length ? request.columns.map(oracleSelectExpression).join(', ') : 'NULL';
  return { sql: `SELECT ${columns} FROM ${fromClause(request.table, scn)}${whereClause(conditions)}${order}`, binds };
}

export function oracleCountSql(table: QualifiedName, where: string | undefined, scn: string | undefined): string {
  return `SELECT COUNT(*) FROM ${fromClause(table, scn)}${where ? ` WHERE (${where})` : ''}`;
}

export function oracleBoundsSql(table: QualifiedName, column: ReadColumn, where: string | undefined, scn: string | undefined): string {
  const c = `t.${quoteOracleIdent(column.name)}`;
  const expr = oracleSelectExpression(column);
  return `SELECT ${expr.replace(c, `MIN(${c})`)}, ${expr.replace(c, `MAX(${c})`)} FROM ${fromClause(table, scn)}${where ? ` WHERE (${where})` : ''}`;
}

/** Every `step`-th key in key order (one ordered pass), for split points of a key that is not dense. */
export function oracleSplitSql(table: QualifiedName, column: ReadColumn, where: string | undefined, step: number, total: number, scn: string | undefined): string {
  const c = `t.${quoteOracleIdent(column.name)}`;
  const k = oracleSelectExpression(column);
  return (
    `SELECT k FROM (SELECT ${k} AS k, ROW_NUMBER() OVER (ORDER BY ${c}) AS dmsplan_rn FROM ${fromClause(table, scn)}${where ? ` WHERE (${where})` : ''})` +
    ` WHERE MOD(dmsplan_rn, ${step}) = 0 AND dmsplan_rn < ${total} ORDER BY dmsplan_rn`
  );
}

export class OracleSnapshot implements SourceSnapshot {
  private closed = false;

  constructor(
    private readonly lanes: readonly OracleReadSession[],
    /** The SCN every lane reads at, or undefined (each lane in its own read-only transaction). */
    readonly scn: string | undefined,
  ) {}

  get lanesAgree(): boolean {
    return this.scn !== undefined || this.lanes.length === 1;
  }

  private lane(n: number): OracleReadSession {
    if (this.closed) throw new Error('bug: read on a closed snapshot');
    const lane = this.lanes[n];
    if (!lane) throw new Error(`bug: lane ${n} of a ${this.lanes.length}-lane snapshot`);
    return lane;
  }

  async *read(request: ReadRequest, lane: number): AsyncIterable<readonly Row[]> {
    const decoders = request.columns.map(oracleDecoder);
    const { sql, binds } = oracleReadSql(request, this.scn);
    try {
      for await (const batch of this.lane(lane).stream(sql, binds, Math.max(1, request.batchRows))) {
        yield batch.map((raw) => (decoders.length ? decoders.map((d, i) => d(raw[i])) : []));
      }
    } catch (err) {
      throw this.scn !== undefined ? flashbackHint(err, request.table) : err;
    }
  }

  async count(table: QualifiedName, where: string | undefined, lane: number): Promise<number> {
    const rows = await this.lane(lane).query(oracleCountSql(table, where, this.scn));
    return Number(rows[0]?.[0] ?? 0);
  }

  async keyBounds(table: QualifiedName, column: ReadColumn, where: string | undefined, lane: number): Promise<{ readonly min: string; readonly max: string } | undefined> {
    const rows = await this.lane(lane).query(oracleBoundsSql(table, column, where, this.scn));
    const decode = oracleDecoder(column);
    const [min, max] = rows[0] ?? [];
    if (min === null || min === undefined || max === null || max === undefined) return undefined;
    return { min: String(decode(min)), max: String(decode(max)) };
  }

  async splitPoints(table: QualifiedName, column: ReadColumn, where: string | undefined, parts: number, lane: number): Promise<readonly string[]> {
    if (parts <= 1) return [];
    const bounds = await this.keyBounds(table, column, where, lane);
    if (!bounds) return [];
    const total = await this.count(table, where, lane);
    if (total <= parts) return [];
    if (column.logical.kind === 'int') {
      const splits = denseIntegerSplits(BigInt(bounds.min), BigInt(bounds.max), total, parts);
      if (splits) return splits;
    }
    const step = Math.max(1, Math.floor(total / parts));
    const decode = oracleDecoder(column);
    const points: string[] = [];
    for await (const batch of this.lane(lane).stream(oracleSplitSql(table, column, where, step, total, this.scn), [], 1000)) {
      for (const [raw] of batch) {
        if (raw === null || raw === undefined) continue;
        const v = String(decode(raw));
        if (points[points.length - 1] !== v) points.push(v);
      }
    }
    return points.slice(0, parts - 1);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.lanes.map((l) => l.close().catch(() => undefined)));
  }
}

/**
 * A read AS OF SCN that the server refuses for want of a privilege or of undo says what to grant or
 * set: the reason is the flashback query, which the user did not write.
 */
export function flashbackHint(err: unknown, table: QualifiedName): unknown {
  if (!(err instanceof EngineError)) return err;
  const name = oracleDialect.qualify(table);
  switch (err.dbCode) {
    case 'ORA-01031':
      return new EngineError(`${err.message} (the parallel lanes read ${name} AS OF SCN, a flashback query: GRANT FLASHBACK ON ${name} TO <the plan's user>, or GRANT FLASHBACK ANY TABLE, or run with workers = 1)`, err.kind, err.dbCode, err.endpoint);
    case 'ORA-01555':
    case 'ORA-08181':
      return new EngineError(`${err.message} (the undo the snapshot reads from is gone: raise UNDO_RETENTION above the copy's duration, or copy in smaller parts)`, err.kind, err.dbCode, err.endpoint);
    default:
      return err;
  }
}
