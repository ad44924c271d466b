/**
 * Change data capture from MySQL / MariaDB over the row binlog, the only file importing
 * `@vlasky/zongji`; loaded lazily by the engine's `cdc.open`.
 *
 * The stream starts at the binlog position of the full load's consistent snapshot
 * (`SHOW STATUS LIKE 'binlog_snapshot_%'`), or of `SHOW MASTER STATUS` without a load. A transaction
 * is delivered at its XID event with the position after it; delivery is at least once (a restart
 * replays from the stored position), and transactions at or before the start are skipped.
 */
import ZongJi from '@vlasky/zongji';
import { EngineError, type CaptureSetup, type ChangeCapture, type ChangeStream, type ChangeStreamItem, type ConnectConfig, type EngineConnection, type SourceChange } from '../contract.js';
import { redactUrl, scrubSecrets } from '../url.js';
import { BinlogRowDecoder, binlogPosition, compareBinlogPositions, decodeReadBack, keyParam, mysqlCaptureProblems, parseBinlogPosition, presentColumns, readBackByKeySql, statementWrittenTables } from './mysql-cdc.js';
import type { CaptureTable, ReadColumn } from '../contract.js';
import { keyText, withReadBack, type ReadBack } from '../read-back.js';
import type { Value } from '../../types/logical.js';
import { connectMysql } from './mysql-driver.js';

const MAX_BUFFERED = 2000;
/** Rows per read-back of values the binlog did not carry (two parameters or so each). */
const SPATIAL_ROWS_AT_ONCE = 500;

interface BinlogEventLike {
  getEventName(): string;
  nextPosition: number;
  timestamp: number;
  binlogName?: string;
  position?: number;
  query?: string;
  /** The session's current database, for statements that name a table without one. */
  schema?: string;
  tableId?: number;
  tableMap?: Record<number, { parentSchema: string; tableName: string; columns: readonly { name: string }[] }>;
  /** Which columns the (old, for updates) row image holds, and the new image's for updates. */
  columns_present_bitmap?: Buffer;
  columns_present_bitmap2?: Buffer;
  rows?: Record<string, unknown>[] | { before: Record<string, unknown>; after: Record<string, unknown> }[];
}

export async function openMysqlCapture(config: ConnectConfig): Promise<ChangeCapture> {
  const endpoint = redactUrl(config.url);
  const conn = await connectMysql({ ...config, poolSize: Math.max(2, config.poolSize) });
  const fail = (err: unknown, doing: string): EngineError => {
    if (err instanceof EngineError) return err;
    const message = scrubSecrets(`${doing} ${endpoint}: ${(err as Error)?.message ?? String(err)}`, [config.url]);
    return new EngineError(message, 'query', (err as { errno?: number })?.errno?.toString(), endpoint);
  };
  const currentPosition = async (): Promise<string> => {
    const [row] = await conn.query('SHOW MASTER STATUS');
    if (!row || typeof row.File !== 'string') throw new EngineError(`the binary log is off on ${endpoint}`, 'unsupported', undefined, endpoint);
    return binlogPosition(row.File, String(row.Position));
  };

  return {
    async check() {
      const [vars] = await conn.query('SELECT @@log_bin AS log_bin, @@binlog_format AS format, @@binlog_row_image AS row_image');
      let rowMetadata: string | undefined;
      try {
        const [m] = await conn.query('SELECT @@binlog_row_metadata AS m');
        rowMetadata = String(m?.m ?? '');
      } catch {
        rowMetadata = undefined; // older servers have no such variable
      }
      let canRead = true;
      try {
        await conn.query('SHOW MASTER STATUS');
      } catch {
        canRead = false;
      }
      return mysqlCaptureProblems({ logBin: String(vars?.log_bin) === '1', format: String(vars?.format ?? ''), rowImage: String(vars?.row_image ?? ''), rowMetadata, canReadBinlogStatus: canRead });
    },

    async start(_setup, lanes) {
      if (lanes <= 0) return { position: await currentPosition(), snapshot: undefined };
      const snapshot = await conn.snapshot(lanes, { position: true });
      const p = snapshot.position;
      if (!p || p.kind !== 'mysql_binlog') {
        await snapshot.close();
        throw new EngineError(`${endpoint} does not tell the binlog position of a consistent snapshot (MariaDB does; MySQL needs RELOAD for FLUSH TABLES WITH READ LOCK)`, 'unsupported', undefined, endpoint);
      }
      return { position: binlogPosition(p.file, p.offset), snapshot };
    },

    async stream(setup, from) {
      return new MysqlChangeStream(config, conn, setup, from, fail, currentPosition);
    },

    compare: compareBinlogPositions,

    async teardown() {
      return []; // nothing is created on the server: the binlog is read as it is
    },

    async close() {
      await conn.close();
    },
  };
}

function connectionOptions(url: string): Record<string, unknown> {
  const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    dateStrings: true,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
  };
}

class MysqlChangeStream implements ChangeStream {
  private readonly zongji: ZongJi;
  private readonly items: ChangeStreamItem[] = [];
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;
  private file: string;
  private open: { changes: SourceChange[]; newColumnsSeen: Set<string> } | undefined;
  private readonly decoders = new Map<string, BinlogRowDecoder | null>();
  /** Primary key columns of the tables with values read back, read from the source once. */
  private readonly primaryKeys = new Map<string, Promise<readonly ReadColumn[]>>();
  private readonly endpoint: string;
  private probeTarget: string | undefined;
  private lastSeen: string;
  private paused = false;
  private closed = false;

  constructor(
    config: ConnectConfig,
    private readonly conn: EngineConnection,
    private readonly setup: CaptureSetup,
    private readonly from: string,
    private readonly fail: (err: unknown, doing: string) => EngineError,
    private readonly currentPosition: () => Promise<string>,
  ) {
    const start = parseBinlogPosition(from);
    this.endpoint = redactUrl(config.url);
    this.file = start.file;
    this.lastSeen = from;
    this.zongji = new ZongJi(connectionOptions(config.url) as never);
    const schemas: Record<string, string[]> = {};
    for (const t of setup.tables) (schemas[t.table.schema ?? ''] ??= []).push(t.table.name);
    this.zongji.on('binlog', (e: unknown) => this.onEvent(e as BinlogEventLike));
    this.zongji.on('error', (err: Error) => this.setFailure(err));
    this.zongji.start({
      // A server id of its own: two readers with one id end each other's stream.
      serverId: 100000 + Math.floor(Math.random() * 900000),
      filename: start.file,
      position: start.offset,
      includeEvents: ['rotate', 'tablemap', 'writerows', 'updaterows', 'deleterows', 'xid', 'query'],
      includeSchema: schemas,
    });
  }

  private setFailure(err: unknown): void {
    if (this.closed || this.failure) return;
    this.failure = this.fail(err, 'change stream failed on');
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private decoder(schema: string, table: string): BinlogRowDecoder | null {
    const id = `${schema}.${table}`;
    let d = this.decoders.get(id);
    if (d === undefined) {
      const t = this.setup.tables.find((x) => (x.table.schema ?? '') === schema && x.table.name === table);
      d = t ? new BinlogRowDecoder(t) : null;
      this.decoders.set(id, d);
    }
    return d;
  }

  private onEvent(e: BinlogEventLike): void {
    const name = e.getEventName();
    if (name === 'rotate') {
      if (e.binlogName) this.file = e.binlogName;
      return;
    }
    const position = binlogPosition(this.file, e.nextPosition);
    this.lastSeen = position;
    switch (name) {
      case 'query': {
        if (/^\s*BEGIN/i.test(e.query ?? '')) this.open = { changes: [], newColumnsSeen: new Set() };
        else if (/^\s*COMMIT/i.test(e.query ?? '')) this.commit(position, e.timestamp);
        else {
          // TRUNCATE writes no row events, only its statement (an implicit commit of its own).
          const truncated = truncatedTable(e.query ?? '', e.schema ?? '');
          const d = truncated ? this.decoder(truncated.schema, truncated.name) : null;
          if (d) {
            this.open = { changes: [{ kind: 'truncate', tables: [d.table.table] }], newColumnsSeen: new Set() };
            this.commit(position, e.timestamp);
          }
          // A session on binlog_format = STATEMENT or MIXED logs its changes as statements: they
          // have no row events, and were skipped without a word (the target silently fell behind).
          const written = (statementWrittenTables(e.query ?? '', e.schema ?? '') ?? []).filter((t) => this.decoder(t.schema, t.name));
          if (written.length) this.setFailure(this.statementChange(written, e.query ?? ''));
        }
        break;
      }
      case 'writerows':
      case 'updaterows':
      case 'deleterows': {
        const map = e.tableMap?.[e.tableId ?? -1];
        const d = map ? this.decoder(map.parentSchema, map.tableName) : null;
        if (!d) break;
        this.open ??= { changes: [], newColumnsSeen: new Set() };
        const table = d.table.table;
        const names = map!.columns.map((c) => c.name);
        const present = presentColumns(names, e.columns_present_bitmap);
        const presentAfter = presentColumns(names, e.columns_present_bitmap2);
        for (const raw of e.rows ?? []) {
          const image = name === 'updaterows' ? (raw as { after: Record<string, unknown> }).after : (raw as Record<string, unknown>);
          const added = d.newColumns(image);
          if (added.length && !this.open.newColumnsSeen.has(table.name)) {
            this.open.newColumnsSeen.add(table.name);
            this.open.changes.push({ kind: 'new_columns', table, columns: added });
          }
          if (name === 'deleterows') this.open.changes.push({ kind: 'delete', table, key: d.decode(image, present) });
          else if (name === 'writerows') this.open.changes.push({ kind: 'upsert', table, row: d.decode(image, present), oldKey: undefined });
          else {
            // The old image goes as the old key: applied only when the key changed.
            const { row, oldKey } = d.decodeUpdate((raw as { before: Record<string, unknown> }).before, image, present, presentAfter);
            this.open.changes.push({ kind: 'upsert', table, row, oldKey });
          }
        }
        break;
      }
      case 'xid':
        this.commit(position, e.timestamp);
        break;
      default:
        break;
    }
    this.checkProbe();
  }

  private statementChange(tables: readonly { readonly schema: string; readonly name: string }[], statement: string): EngineError {
    const names = [...new Set(tables.map((t) => `${t.schema}.${t.name}`))].join(', ');
    const shown = statement.replace(/\s+/g, ' ').trim();
    return new EngineError(
      `a session wrote a change to ${names} on ${this.endpoint} as a statement, not as rows (its binlog_format is STATEMENT or MIXED): "${shown.length > 120 ? `${shown.slice(0, 120)}…` : shown}". ` +
        `The row binlog the follower reads does not hold that change, so it stopped before it (every change before it is applied) rather than go on without it. ` +
        `Make every session write rows — SET GLOBAL binlog_format = 'ROW' (and binlog_format = ROW in my.cnf), then reconnect the applications, whose sessions keep the format they started with — ` +
        `and load the table(s) again: \`dmsplan teardown\` on the plan, then apply it again.`,
      'unsupported',
      undefined,
      this.endpoint,
    );
  }

  private commit(position: string, timestamp: number): void {
    const open = this.open;
    this.open = undefined;
    if (!open || open.changes.length === 0) return;
    if (compareBinlogPositions(position, this.from) <= 0) return;
    this.items.push({ kind: 'transaction', position, committedAt: timestamp, changes: open.changes });
    if (this.items.length >= MAX_BUFFERED && !this.paused) {
      this.paused = true;
      (this.zongji as unknown as { connection?: { pause(): void } }).connection?.pause();
    }
    this.wake();
  }

  private checkProbe(): void {
    // A stream that failed is not caught up: the changes it stopped before were never applied.
    if (this.failure) return;
    if (this.probeTarget !== undefined && !this.open && compareBinlogPositions(this.lastSeen, this.probeTarget) >= 0) {
      this.probeTarget = undefined;
      this.items.push({ kind: 'caught_up' });
      this.wake();
    }
  }

  async next(waitMs: number): Promise<ChangeStreamItem | undefined> {
    if (this.items.length === 0 && !this.failure && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = undefined;
          resolve();
        }, waitMs);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const item = this.items.shift();
    if (this.paused && this.items.length < MAX_BUFFERED / 2) {
      this.paused = false;
      (this.zongji as unknown as { connection?: { resume(): void } }).connection?.resume();
    }
    if (item) return item.kind === 'transaction' ? this.withGeometry(item) : item;
    if (this.failure) throw this.failure;
    // Nothing arrives after the probe's position when the server is idle: check it here too.
    this.checkProbe();
    return this.items.shift();
  }

  /** A transaction with the values its rows did not carry read back by key (spatial ones: BinlogRowDecoder.spatial says why). */
  private async withGeometry(item: Extract<ChangeStreamItem, { kind: 'transaction' }>): Promise<ChangeStreamItem> {
    const changes = await withReadBack(item.changes, this.readBack);
    return changes === item.changes ? item : { ...item, changes };
  }

  private readonly readBack: ReadBack = {
    columns: (table) => this.decoder(table.schema ?? '', table.name)?.spatial ?? [],
    followed: (table) => this.decoder(table.schema ?? '', table.name)?.table.columns ?? [],
    key: (table) => this.primaryKey(this.decoder(table.schema ?? '', table.name)!.table),
    read: async (table, key, columns, keys) => {
      const out = new Map<string, readonly Value[]>();
      for (let i = 0; i < keys.length; i += SPATIAL_ROWS_AT_ONCE) {
        const some = keys.slice(i, i + SPATIAL_ROWS_AT_ONCE);
        let rows: readonly Record<string, unknown>[];
        try {
          rows = await this.conn.query(readBackByKeySql(table, key, columns, some.length), some.flatMap((values) => values.map(keyParam)));
        } catch (err) {
          throw this.fail(err, 'cannot read back values of changed rows from');
        }
        for (const r of rows) out.set(keyText(key.map((k, j) => decodeReadBack(k, r[`k${j}`]))), columns.map((c, j) => decodeReadBack(c, r[`g${j}`])));
      }
      return out;
    },
  };

  /** The source table's primary key columns, among the followed ones; a table without one cannot be read back by key. */
  private primaryKey(table: CaptureTable): Promise<readonly ReadColumn[]> {
    const id = `${table.table.schema ?? ''}.${table.table.name}`;
    let key = this.primaryKeys.get(id);
    if (!key) {
      key = (async () => {
        const rows = await this.conn.query(
          "SELECT COLUMN_NAME AS c FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX",
          [table.table.schema ?? '', table.table.name],
        );
        const columns = rows.map((r) => table.columns.find((c) => c.name === String(r.c)));
        if (columns.length === 0 || columns.some((c) => c === undefined)) {
          throw new EngineError(`${id} has values the binlog does not carry (spatial columns, or columns a session with binlog_row_image = NOBLOB or MINIMAL left out) but no primary key among its followed columns: they cannot be read back by key. Add a primary key, or write with binlog_row_image = FULL`, 'unsupported', undefined, this.endpoint);
        }
        return columns as ReadColumn[];
      })();
      this.primaryKeys.set(id, key);
    }
    return key;
  }

  async confirm(): Promise<void> {
    // The binlog is the server's own: nothing to release (its retention is the server's setting).
  }

  async probe(): Promise<void> {
    try {
      const target = await this.currentPosition();
      // Before the stream start (nothing new since): caught up at once.
      this.probeTarget = compareBinlogPositions(target, this.lastSeen) <= 0 ? this.lastSeen : target;
      this.checkProbe();
    } catch (err) {
      throw this.fail(err, 'cannot probe the change stream on');
    }
  }

  buffered(): number {
    return this.items.reduce((n, i) => n + (i.kind === 'transaction' ? 1 : 0), 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.zongji.stop();
  }
}

/** The table a `TRUNCATE [TABLE] [db.]name` statement empties (backticked names included), if it is one. */
export function truncatedTable(statement: string, currentSchema: string): { readonly schema: string; readonly name: string } | undefined {
  const part = '(`(?:[^`]|``)+`|[\\w$]+)';
  const m = new RegExp(`^\\s*TRUNCATE\\s+(?:TABLE\\s+)?${part}(?:\\s*\\.\\s*${part})?\\s*;?\\s*$`, 'i').exec(statement);
  if (!m) return undefined;
  const unquote = (s: string) => (s.startsWith('`') ? s.slice(1, -1).replace(/``/g, '`') : s);
  return m[2] !== undefined ? { schema: unquote(m[1]!), name: unquote(m[2]) } : { schema: currentSchema, name: unquote(m[1]!) };
}
