/**
 * The only file that imports mysql2. Opens pools and dedicated connections from a URL, sets every
 * session up the same way, streams results with backpressure, and maps driver errors to EngineError
 * (redacted endpoint, no password, no stack).
 */
import mysql from 'mysql2/promise';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { EngineError, type ConnectConfig, type EngineConnection, type IntrospectScope, type QualifiedName, type RawTextRows, type SourceSnapshot, type TargetTransaction, type WriteColumn } from '../contract.js';
import { BATCH_BYTES, rowBytes } from '../batch-bytes.js';
import { redactUrl, scrubSecrets } from '../url.js';
import type { Catalog } from '../../schema/catalog.js';
import type { Row } from '../../types/logical.js';
import { introspectMysql } from './mysql-introspect.js';
import { openMysqlSnapshot } from './mysql-read.js';
import { BinaryRawBatchBuilder, binaryFieldLayout, RawBatchBuilder } from './mysql-raw-rows.js';
import type { BinaryColumn, MysqlSession, RawRow, SqlParam } from './mysql-session.js';
import { deleteMysqlRows, insertEachMysqlRow, mysqlConstraintColumns, upsertMysqlRows, withMysqlRefusal, writeMysqlRows, type WriteState } from './mysql-write.js';

// mysql2's core (callback) connection and query objects, as far as this file uses them.
interface CoreQuery {
  on(event: 'result', listener: (row: RawRow) => void): CoreQuery;
  on(event: 'end', listener: () => void): CoreQuery;
  on(event: 'error', listener: (err: Error) => void): CoreQuery;
  on(event: 'fields', listener: (fields: unknown) => void): CoreQuery;
}
/** A row packet as mysql2 hands it to a query's `row` state: the payload is buffer[offset, end). */
interface CorePacket {
  readonly buffer: Buffer;
  readonly offset: number;
  readonly end: number;
  isEOF(): boolean;
}
interface RowState {
  row: (this: RowState, packet: CorePacket, connection: unknown) => unknown;
}
interface CoreConnection {
  query(options: Record<string, unknown>, callback?: (err: Error | null, result?: unknown) => void): CoreQuery;
  execute(options: Record<string, unknown>): CoreQuery;
  /** Closes the prepared statement of `sql` and forgets it. */
  unprepare(options: Record<string, unknown>): unknown;
  pause(): void;
  resume(): void;
  /** The socket. */
  readonly stream: NodeJS.EventEmitter & { readonly writableLength: number };
}

/** A command whose rows go to a state of ours (see routeRowsTo). */
interface RoutedRows {
  dmsplanRowState?: unknown;
}

/**
 * Makes the fields-EOF state of `command`'s class hand over to the command's `dmsplanRowState`, where
 * it has one, instead of the class's row state; false when the class has no such state. Patched once per class, on its prototype: an accessor
 * on the command's `next` did the same per command but slowed mysql2's state machine, which reads
 * `next` for every packet, down by 0.2 s of CPU per million rows.
 */
function routeRowsTo(command: object): boolean {
  const proto = Object.getPrototypeOf(command) as { fieldsEOF?: (this: RoutedRows, packet: unknown, connection: unknown) => unknown; row?: unknown; dmsplanRouted?: boolean };
  if (proto.dmsplanRouted) return true;
  const fieldsEOF = proto.fieldsEOF;
  if (typeof fieldsEOF !== 'function') return false;
  proto.fieldsEOF = function (this: RoutedRows, packet: unknown, connection: unknown): unknown {
    const next = fieldsEOF.call(this, packet, connection);
    return next === proto.row && this.dmsplanRowState !== undefined ? this.dmsplanRowState : next;
  };
  proto.dmsplanRouted = true;
  return true;
}

/** `fn`, called at most once. */
function onlyOnce(fn: () => void): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    fn();
  };
}

/** A batch of row packets being recorded (mysql-raw-rows.ts). */
interface PacketBatch {
  add(buf: Buffer, start: number, end: number): void;
  full(): boolean;
  build(): RawTextRows;
}

/**
 * A row state for mysql2's state machine that records each row packet into a batch (made by
 * `newBatch` when one is needed) and hands every full one to `deliver`; the end-of-rows packet goes
 * back to mysql2's `mysqlRow`. The machine keeps calling whatever a state returns, so returning
 * itself keeps it for every row. `rest` takes the last, partial batch.
 */
function packetBatches(mysqlRow: RowState['row'], newBatch: () => PacketBatch, deliver: (batch: RawTextRows) => void): { readonly state: RowState['row']; readonly rest: () => RawTextRows | undefined } {
  let batch: PacketBatch | undefined;
  const state = function (this: RowState, packet: CorePacket, connection: unknown): unknown {
    if (packet.isEOF()) return mysqlRow.call(this, packet, connection);
    batch ??= newBatch();
    batch.add(packet.buffer, packet.offset, packet.end);
    if (batch.full()) {
      deliver(batch.build());
      batch = undefined;
    }
    return state;
  };
  const rest = () => {
    const last = batch?.build();
    batch = undefined;
    return last && last.count > 0 ? last : undefined;
  };
  return { state, rest };
}

/** The column definition flag of an UNSIGNED number. */
const UNSIGNED_FLAG = 32;

/**
 * Bytes of a LOAD DATA file that may wait in the socket's write buffer. mysql2 writes the file's
 * packets without waiting for the socket (it listens for a 'pause' a socket never emits for its
 * writes), so a load into a slower server buffered the rest of the chunk in memory.
 */
export const INFILE_BUFFERED_BYTES = 4 * 1024 * 1024;

/** The pieces of `data`, each handed on only once the socket holds at most INFILE_BUFFERED_BYTES unsent. */
export async function* pacedBySocket(data: AsyncIterable<Buffer>, socket: NodeJS.EventEmitter & { readonly writableLength: number }): AsyncGenerator<Buffer> {
  for await (const piece of data) {
    if (socket.writableLength > INFILE_BUFFERED_BYTES) await Promise.race([once(socket, 'drain'), once(socket, 'close')]);
    yield piece;
  }
}

/**
 * Every session: UTC (TIMESTAMP reads and writes in UTC), strict mode so bad values fail instead of
 * being truncated, NO_AUTO_VALUE_ON_ZERO so an id 0 is kept, and no NO_BACKSLASH_ESCAPES (our
 * literals escape backslashes) nor ANSI_QUOTES.
 */
const SESSION_SETUP = [
  "SET SESSION time_zone = '+00:00'",
  "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'",
];

const TRANSIENT = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'EPIPE',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
  'ER_CLIENT_INTERACTION_TIMEOUT',
  // A snapshot older than an ALTER of the table it reads ("please retry transaction"): the plan
  // orders its own DDL before such reads; someone else's is worth a retry.
  'ER_TABLE_DEF_CHANGED',
]);

/** Errors that mean "this row/value is refused" — what careful mode sets aside, one row at a time. */
const DATA = new Set([
  'ER_DUP_ENTRY',
  'ER_DATA_TOO_LONG',
  'ER_TRUNCATED_WRONG_VALUE',
  'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
  'ER_WARN_DATA_OUT_OF_RANGE',
  'ER_BAD_NULL_ERROR',
  'ER_WARN_NULL_TO_NOTNULL',
  'WARN_DATA_TRUNCATED',
  'ER_NO_REFERENCED_ROW',
  'ER_NO_REFERENCED_ROW_2',
  'ER_ROW_IS_REFERENCED_2',
  'ER_INVALID_JSON_TEXT',
  'ER_CHECK_CONSTRAINT_VIOLATED',
  'ER_CONSTRAINT_FAILED',
  'ER_DIVISION_BY_ZERO',
  'ER_INVALID_CHARACTER_STRING',
  'ER_WRONG_VALUE_FOR_TYPE',
  'ER_WARN_TOO_FEW_RECORDS',
  'ER_WARN_TOO_MANY_RECORDS',
  'ER_WRONG_VALUE',
]);

/**
 * MariaDB's own error numbers for refused rows. mysql2 names errors after MySQL's list, where these
 * numbers mean something else: a CHECK constraint an INSERT breaks (MariaDB 4025,
 * ER_CONSTRAINT_FAILED) arrived as MySQL's ER_INNODB_AUTOEXTEND_SIZE_OUT_OF_RANGE, a query error,
 * which failed the chunk instead of sending it to careful mode. The message tells the two apart.
 */
function isMariadbDataError(errno: number | undefined, message: string): boolean {
  return errno === 4025 && /^CONSTRAINT .* failed for /.test(message);
}

interface DriverError {
  readonly code?: string;
  readonly errno?: number;
  readonly message?: string;
  readonly sqlMessage?: string;
}

function describeNetwork(code: string | undefined): string | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return undefined;
  }
}

/** Any driver failure as an EngineError whose message names the endpoint redacted and holds no secret. */
export function toEngineError(err: unknown, url: string, phase: 'connect' | 'query'): EngineError {
  if (err instanceof EngineError) return err;
  const endpoint = redactUrl(url);
  const e = (err ?? {}) as DriverError;
  const code = e.code;
  const dbCode = e.errno !== undefined ? String(e.errno) : code;
  const scrub = (s: string) => scrubSecrets(s.split('\n')[0] ?? s, [url]);
  const serverMessage = scrub(e.sqlMessage ?? e.message ?? String(err));
  const network = describeNetwork(code);
  if (network) return new EngineError(`cannot connect to ${endpoint}: ${network}`, 'connect', code, endpoint);
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR') {
    return new EngineError(`cannot connect to ${endpoint}: access denied (${serverMessage})`, 'auth', dbCode, endpoint);
  }
  if (phase === 'connect') {
    if (code && TRANSIENT.has(code)) return new EngineError(`cannot connect to ${endpoint}: ${serverMessage}`, 'transient', dbCode, endpoint);
    return new EngineError(`cannot connect to ${endpoint}: ${serverMessage}`, 'connect', dbCode, endpoint);
  }
  if (code && TRANSIENT.has(code)) return new EngineError(`${endpoint}: ${serverMessage}`, 'transient', dbCode, endpoint);
  if ((code && DATA.has(code)) || isMariadbDataError(e.errno, serverMessage)) return new EngineError(serverMessage, 'data', dbCode, endpoint);
  return new EngineError(serverMessage, 'query', dbCode, endpoint);
}

function sessionSetting(name: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) throw new Error(`not a session variable name: ${name}`);
  // Numbers and bare words (ON, OFF, READ-COMMITTED is quoted) go as they are; anything else quoted.
  const literal = /^-?\d+(\.\d+)?$/.test(value) || /^[A-Za-z_][A-Za-z0-9_]*$/.test(value) ? value : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  return `SET SESSION ${name} = ${literal}`;
}

interface ParsedUrl {
  readonly options: mysql.ConnectionOptions;
  readonly database: string | undefined;
}

function parseUrl(config: ConnectConfig): ParsedUrl {
  const endpoint = redactUrl(config.url);
  let u: URL;
  try {
    u = new URL(config.url.trim());
  } catch {
    throw new EngineError(`${endpoint} is not a valid MySQL URL (expected mysql://user:password@host:3306/database; in a password, write @ / ? # as %40 %2F %3F %23)`, 'connect', undefined, endpoint);
  }
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  // Options after `?` were dropped without a word: `?ssl-mode=REQUIRED` connected in plain text.
  // Only their names are shown: a value could be a secret.
  const ignored = [...new Set(u.searchParams.keys())];
  if (ignored.length) {
    throw new EngineError(
      `${endpoint}: a MySQL URL takes no options after ? (${ignored.join(', ')}): set TLS in the endpoint's tls { mode = require } block and session variables in its session { … } block`,
      'unsupported',
      undefined,
      endpoint,
    );
  }
  const database = decode(u.pathname.replace(/^\//, '')) || undefined;
  const options: mysql.ConnectionOptions = {
    host: u.hostname.replace(/^\[|\]$/g, '') || 'localhost',
    port: u.port ? Number(u.port) : 3306,
    user: decode(u.username) || undefined,
    password: u.password ? decode(u.password) : undefined,
    database,
    charset: 'utf8mb4',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    jsonStrings: true,
    decimalNumbers: false,
    timezone: 'Z',
    connectTimeout: 10_000,
    multipleStatements: false,
    flags: ['+LOCAL_FILES'],
    connectAttributes: { program_name: config.applicationName },
    ...tlsOptions(config.tls),
  };
  return { options, database };
}

function tlsOptions(tls: ConnectConfig['tls']): Pick<mysql.ConnectionOptions, 'ssl'> {
  // 'prefer' cannot be expressed with mysql2 (no fallback to plain text): it connects as the server allows without TLS.
  if (!tls || tls.mode === 'disable' || tls.mode === 'prefer') return {};
  const files = { ...(tls.ca ? { ca: tls.ca } : {}), ...(tls.cert ? { cert: tls.cert } : {}), ...(tls.key ? { key: tls.key } : {}) };
  switch (tls.mode) {
    case 'require':
      return { ssl: { ...files, rejectUnauthorized: false } };
    case 'verify_ca':
      return { ssl: { ...files, rejectUnauthorized: true, verifyIdentity: false } };
    case 'verify_full':
      return { ssl: { ...files, rejectUnauthorized: true, verifyIdentity: true } };
    default: {
      const never: never = tls.mode;
      return never;
    }
  }
}

/** A session over one promise-API connection (pooled or dedicated). */
class DriverSession implements MysqlSession {
  constructor(
    private readonly connection: mysql.Connection | mysql.PoolConnection,
    private readonly url: string,
    private readonly dedicated: boolean,
  ) {}

  private get core(): CoreConnection {
    return (this.connection as unknown as { connection: CoreConnection }).connection;
  }

  async query(sql: string, params?: readonly SqlParam[]): Promise<Record<string, unknown>[]> {
    try {
      const [rows] = await this.connection.query({ sql, values: params ? [...params] : undefined });
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    } catch (err) {
      throw toEngineError(err, this.url, 'query');
    }
  }

  stream(sql: string, batchRows: number, maxQueued: number): AsyncIterable<RawRow[]> {
    let current: RawRow[] = [];
    let bytes = 0;
    return this.batches<RawRow[]>(() => this.core.query({ sql, rowsAsArray: true, typeCast: false }), maxQueued, (query, deliver) => {
      query.on('result', (row: RawRow) => {
        current.push(row);
        bytes += rowBytes(row);
        if (current.length >= batchRows || bytes >= BATCH_BYTES) {
          deliver(current);
          current = [];
          bytes = 0;
        }
      });
      return () => {
        const rest = current;
        current = [];
        bytes = 0;
        return rest.length ? rest : undefined;
      };
    });
  }

  streamRaw(sql: string, batchRows: number, maxQueued: number): AsyncIterable<RawTextRows> {
    let width = 0;
    return this.batches<RawTextRows>(() => this.core.query({ sql, rowsAsArray: true, typeCast: false }), maxQueued, (query, deliver) => {
      query.on('fields', (fields: unknown) => {
        width = Array.isArray(fields) ? fields.length : 0;
      });
      // mysql2 hands each row packet to the query's `row` state, which decodes it into values;
      // this state instead records where each field's bytes are (packetBatches).
      const q = query as unknown as RowState;
      const rows = packetBatches(q.row, () => new RawBatchBuilder(width, batchRows), deliver);
      q.row = rows.state;
      return rows.rest;
    });
  }

  streamRawBinary(sql: string, columns: readonly BinaryColumn[], batchRows: number, maxQueued: number): AsyncIterable<RawTextRows> {
    let layouts: Int8Array | undefined;
    const core = this.core;
    // Refused before its result began (the statement could not be prepared, or the server or a
    // proxy in front of it does not take prepared statements): the reader can read it as text.
    const refusedUpFront = (err: EngineError) =>
      layouts === undefined && err.kind !== 'connect' && err.kind !== 'auth' && err.kind !== 'transient' ? new EngineError(`the binary protocol was refused: ${err.message}`, 'unsupported', err.dbCode, err.endpoint) : err;
    return this.batches<RawTextRows>(
      () => core.execute({ sql }),
      maxQueued,
      (query, deliver, fail) => {
        query.on('fields', (fields: unknown) => {
          const defs = (Array.isArray(fields) ? fields : []) as { readonly columnType: number; readonly flags: number; readonly name: string }[];
          layouts = Int8Array.from(defs, (d) => binaryFieldLayout(d.columnType));
          // The reader chose each column's decoding from its catalog type: the server must send what
          // it expects (a view's column may be typed otherwise in the catalog than in its result).
          // Otherwise, as for a refusal, the rows are read in the text protocol.
          const differ = defs.findIndex((d, i) => columns[i] === undefined || columns[i]!.layout !== layouts![i] || (columns[i]!.unsigned !== undefined && columns[i]!.unsigned !== ((d.flags & UNSIGNED_FLAG) !== 0)));
          if (differ >= 0 || defs.length !== columns.length) {
            const which = differ >= 0 ? `column ${defs[differ]!.name} comes as MySQL type ${defs[differ]!.columnType}${(defs[differ]!.flags & UNSIGNED_FLAG) !== 0 ? ' unsigned' : ''}` : `${defs.length} columns for ${columns.length}`;
            fail(new EngineError(`the binary protocol's result is not laid out as its catalog types say (${which})`, 'unsupported', undefined, redactUrl(this.url)));
          }
        });
        // As in streamRaw, but mysql2's Execute moves to its row state by the prototype's function,
        // not the instance's: its fields-EOF state hands over ours instead (routeRowsTo). Rows that
        // reach mysql2's own parser all the same (another mysql2) end the read as unsupported:
        // it is then read as text, rather than come back empty.
        const q = query as unknown as RowState & RoutedRows;
        const unrouted = () => fail(new EngineError("the binary protocol's rows did not reach dmsplan's reader", 'unsupported', undefined, redactUrl(this.url)));
        if (!routeRowsTo(q)) unrouted();
        query.on('result', onlyOnce(unrouted));
        const rows = packetBatches(
          q.row,
          () => {
            if (!layouts) throw new Error('bug: a binary row before its columns');
            return new BinaryRawBatchBuilder(layouts, batchRows);
          },
          deliver,
        );
        q.dmsplanRowState = rows.state;
        const forget = () => core.unprepare({ sql });
        query.on('end', forget);
        query.on('error', forget);
        return rows.rest;
      },
      refusedUpFront,
    );
  }

  /**
   * Runs a query (`start`) and hands its rows over in batches, pull-based: at most `maxQueued`
   * batches wait for the consumer before the socket is paused. `collect` wires the query's rows into
   * batches (`fail` ends the read with an error, the rest of the result read and dropped) and
   * returns a function that takes the last, partial batch.
   */
  private batches<B>(
    start: () => CoreQuery,
    maxQueued: number,
    collect: (query: CoreQuery, deliver: (batch: B) => void, fail: (err: Error) => void) => () => B | undefined,
    classify: (err: EngineError) => EngineError = (err) => err,
  ): AsyncIterable<B> {
    const core = this.core;
    const url = this.url;
    return {
      [Symbol.asyncIterator]() {
        const queue: B[] = [];
        let finished = false;
        let failure: Error | undefined;
        let paused = false;
        let discard = false;
        let wake: (() => void) | undefined;
        const notify = () => {
          const w = wake;
          wake = undefined;
          w?.();
        };
        const query = start();
        let failed: Error | undefined;
        const rest = collect(
          query,
          (batch) => {
            if (discard || failed) return;
            queue.push(batch);
            if (queue.length >= maxQueued && !paused) {
              paused = true;
              core.pause();
            }
            notify();
          },
          (err) => {
            failed ??= err;
            queue.length = 0;
            if (paused) {
              paused = false;
              core.resume();
            }
            notify();
          },
        );
        query.on('error', (err: Error) => {
          failure = classify(toEngineError(err, url, 'query'));
          finished = true;
          notify();
        });
        query.on('end', () => {
          if (failed) {
            failure ??= failed;
            finished = true;
            notify();
            return;
          }
          const last = rest();
          if (last !== undefined && !discard) queue.push(last);
          finished = true;
          notify();
        });
        const resumeIfRoom = () => {
          if (paused && queue.length < maxQueued) {
            paused = false;
            core.resume();
          }
        };
        return {
          async next(): Promise<IteratorResult<B>> {
            for (;;) {
              const batch = queue.shift();
              if (batch !== undefined) {
                resumeIfRoom();
                return { done: false, value: batch };
              }
              if (failure) throw failure;
              if (finished) return { done: true, value: undefined };
              resumeIfRoom();
              await new Promise<void>((resolve) => (wake = resolve));
            }
          },
          async return(): Promise<IteratorResult<B>> {
            // Ended early: read the rest of the result without keeping it, so the connection is free again.
            discard = true;
            queue.length = 0;
            if (paused) {
              paused = false;
              core.resume();
            }
            while (!finished) await new Promise<void>((resolve) => (wake = resolve));
            return { done: true, value: undefined };
          },
        };
      },
    };
  }

  loadLocalInfile(sql: string, data: () => AsyncIterable<Buffer>): Promise<{ readonly affectedRows: number; readonly warnings: number }> {
    const socket = this.core.stream;
    return new Promise((resolve, reject) => {
      this.core.query({ sql, infileStreamFactory: () => Readable.from(pacedBySocket(data(), socket), { objectMode: false }) }, (err, result) => {
        if (err) return reject(toEngineError(err, this.url, 'query'));
        const header = (result ?? {}) as { affectedRows?: number; warningStatus?: number };
        resolve({ affectedRows: header.affectedRows ?? 0, warnings: header.warningStatus ?? 0 });
      });
    });
  }

  async release(): Promise<void> {
    if (this.dedicated) await (this.connection as mysql.Connection).end().catch(() => undefined);
    else (this.connection as mysql.PoolConnection).release();
  }

  /** For a connection left in an unknown state (a failed ROLLBACK): closed, never reused. */
  discard(): void {
    this.connection.destroy();
  }
}

class MysqlConnection implements EngineConnection {
  readonly engine = 'mysql' as const;
  private readonly initialised = new WeakSet<object>();
  private readonly writeState: WriteState = { localInfileRefused: false };

  constructor(
    private readonly pool: mysql.Pool,
    private readonly config: ConnectConfig,
    private readonly parsed: ParsedUrl,
    readonly endpoint: string,
  ) {}

  /** Set once the first connection answered. */
  serverVersion = '';

  private async setUp(connection: mysql.Connection | mysql.PoolConnection): Promise<void> {
    for (const sql of SESSION_SETUP) await connection.query(sql);
    for (const s of this.config.session) await connection.query(sessionSetting(s.name, s.value));
  }

  /** A pooled session, set up on first use of its connection. */
  async acquire(): Promise<DriverSession> {
    let connection: mysql.PoolConnection;
    try {
      connection = await this.pool.getConnection();
    } catch (err) {
      throw toEngineError(err, this.config.url, 'connect');
    }
    const core = (connection as unknown as { connection: object }).connection;
    if (!this.initialised.has(core)) {
      try {
        await this.setUp(connection);
      } catch (err) {
        connection.release();
        throw toEngineError(err, this.config.url, 'query');
      }
      this.initialised.add(core);
    }
    return new DriverSession(connection, this.config.url, false);
  }

  /** A dedicated connection outside the pool (snapshot lanes hold theirs for the whole run). */
  async openDedicated(): Promise<DriverSession> {
    let connection: mysql.Connection;
    try {
      connection = await mysql.createConnection(this.parsed.options);
    } catch (err) {
      throw toEngineError(err, this.config.url, 'connect');
    }
    // A lane the server drops while idle must not crash the process; its next query reports it.
    connection.on('error', () => undefined);
    try {
      await this.setUp(connection);
    } catch (err) {
      await connection.end().catch(() => undefined);
      throw toEngineError(err, this.config.url, 'query');
    }
    return new DriverSession(connection, this.config.url, true);
  }

  private async withSession<T>(fn: (s: DriverSession) => Promise<T>): Promise<T> {
    const session = await this.acquire();
    try {
      return await fn(session);
    } finally {
      await session.release();
    }
  }

  introspect(scope: IntrospectScope): Promise<Catalog> {
    return this.withSession((s) => introspectMysql(s, scope, { urlDatabase: this.parsed.database, serverVersion: this.serverVersion }));
  }

  snapshot(lanes: number, options?: { readonly position?: boolean }): Promise<SourceSnapshot> {
    return openMysqlSnapshot(() => this.openDedicated(), lanes, options?.position === true);
  }

  /**
   * Statements run in order on one connection: user variables and PREPARE carry from one to the
   * next. A list that turns foreign_key_checks off turns it back on at its end; if a statement fails
   * first, the checks are turned back on here, before the connection returns to the pool.
   */
  execute(statements: readonly string[]): Promise<void> {
    return this.withSession(async (s) => {
      try {
        for (const sql of statements) await s.query(sql);
      } catch (err) {
        await s.query('SET SESSION foreign_key_checks = 1').catch(() => undefined);
        throw err;
      }
    });
  }

  query(sql: string, params?: readonly (string | number | null)[]): Promise<readonly Record<string, unknown>[]> {
    return this.withSession((s) => s.query(sql, params));
  }

  async transaction<T>(fn: (tx: TargetTransaction) => Promise<T>): Promise<T> {
    const session = await this.acquire();
    let healthy = true;
    try {
      await session.query('START TRANSACTION');
      const tx: TargetTransaction = {
        query: (sql, params) => session.query(sql, params),
        writeRows: (table: QualifiedName, columns: readonly WriteColumn[], batches: AsyncIterable<readonly Row[]>) =>
          writeMysqlRows(session, this.writeState, table, columns, batches, this.endpoint),
        writeEach: (table: QualifiedName, columns: readonly WriteColumn[], rows: readonly Row[]) => insertEachMysqlRow(session, table, columns, rows),
        constraintColumns: (table: QualifiedName, name: string) => mysqlConstraintColumns(session, table, name),
        upsertRows: (table: QualifiedName, columns: readonly WriteColumn[], keyColumns: readonly string[], rows: readonly Row[]) =>
          upsertMysqlRows(session, table, columns, keyColumns, rows).catch((err: unknown) => {
            throw err instanceof EngineError ? withMysqlRefusal(err, table, columns.map((c) => c.name)) : err;
          }),
        deleteRows: (table: QualifiedName, keyColumns: readonly WriteColumn[], keys: readonly Row[]) => deleteMysqlRows(session, table, keyColumns, keys),
      };
      const result = await fn(tx);
      await session.query('COMMIT');
      return result;
    } catch (err) {
      await session.query('ROLLBACK').catch(() => {
        healthy = false;
      });
      throw err;
    } finally {
      if (healthy) await session.release();
      else session.discard();
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

/** Opens a pool on `config.url` and checks that the server answers (and the password is right). */
export async function connectMysql(config: ConnectConfig): Promise<EngineConnection> {
  const parsed = parseUrl(config);
  const endpoint = redactUrl(config.url);
  const pool = mysql.createPool({ ...parsed.options, connectionLimit: Math.max(1, config.poolSize), waitForConnections: true, queueLimit: 0 });
  // An idle pooled connection the server dropped surfaces here; queries report their own errors.
  pool.on('connection', (c) => c.on('error', () => undefined));
  const connection = new MysqlConnection(pool, config, parsed, endpoint);
  try {
    const session = await connection.acquire();
    try {
      const rows = await session.query('SELECT VERSION() AS v');
      connection.serverVersion = String(rows[0]?.v ?? '');
    } finally {
      await session.release();
    }
    return connection;
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw toEngineError(err, config.url, 'connect');
  }
}
