/**
 * The only file that imports `mssql` (on tedious), loaded by the engine's `connect`. A connection is
 * a pool; a snapshot is one transaction per lane, each on a connection of its own.
 *
 * Consistency: where the database allows SNAPSHOT isolation (ALLOW_SNAPSHOT_ISOLATION ON), each
 * lane reads in a SNAPSHOT transaction — every table it reads from one state. SQL Server cannot
 * share a snapshot between connections, and each lane's begins at its first read, so the lanes do
 * not agree (SourceSnapshot.lanesAgree = false: no table is split across lanes). Where SNAPSHOT is
 * not allowed, lanes read in READ COMMITTED transactions, consistent per statement only: writes to
 * the source during the copy can then make a child row arrive without its parent (it goes to the
 * rejects table when the foreign key is added). docs/architecture.md says so.
 *
 * mssql ships no type declarations: the few members used are typed here.
 */
import type { Catalog } from '../../schema/catalog.js';
import type { ConnectConfig, EngineConnection, IntrospectScope, QualifiedName, ReadColumn, ReadRequest, SourceSnapshot, TargetTransaction } from '../contract.js';
import { EngineError } from '../contract.js';
import { atMost } from '../at-most.js';
import { BATCH_BYTES, rowBytes } from '../batch-bytes.js';
import { denseIntegerSplits } from '../key-splits.js';
import { redactUrl, scrubSecrets } from '../url.js';
import type { Row } from '../../types/logical.js';
import { assembleCatalog, CHECKS_SQL, COLUMNS_SQL, FOREIGN_KEYS_SQL, INDEXES_SQL, OTHERS_SQL, ROW_ESTIMATES_SQL, SCHEMAS_SQL } from './sqlserver-introspect.js';
import { countSql, keyBoundsSql, rangeProblem, selectSql, sessionSql, splitPointsOf, splitPointsSql } from './sqlserver-read.js';
import { sqlServerSettingsOf } from './sqlserver-url.js';
import { decoderFor } from './sqlserver-values.js';

export interface MssqlError extends Error {
  readonly code?: string;
  readonly number?: number;
  readonly originalError?: { readonly info?: { readonly number?: number } };
}

export interface MssqlResult {
  readonly recordset?: readonly Record<string, unknown>[];
}

export interface MssqlRequest {
  stream: boolean;
  arrayRowMode: boolean;
  input(name: string, value: unknown): MssqlRequest;
  query(sql: string): Promise<MssqlResult>;
  batch(sql: string): Promise<MssqlResult>;
  on(event: 'row', fn: (row: unknown[]) => void): MssqlRequest;
  on(event: 'error', fn: (err: MssqlError) => void): MssqlRequest;
  on(event: 'done', fn: () => void): MssqlRequest;
  pause(): boolean;
  resume(): boolean;
  cancel(): boolean;
}

export interface MssqlTransaction {
  begin(isolation?: number): Promise<MssqlTransaction>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface MssqlPool {
  connect(): Promise<MssqlPool>;
  close(): Promise<void>;
  request(): MssqlRequest;
}

export interface MssqlModule {
  ConnectionPool: new (config: Record<string, unknown>) => MssqlPool;
  Transaction: new (pool: MssqlPool) => MssqlTransaction;
  Request: new (parent: MssqlPool | MssqlTransaction) => MssqlRequest;
  ISOLATION_LEVEL: { readonly READ_COMMITTED: number; readonly SNAPSHOT: number };
}

async function loadMssql(): Promise<MssqlModule> {
  // @ts-ignore -- mssql has no type declarations; the members used are typed by MssqlModule.
  const loaded = (await import('mssql')) as { default?: MssqlModule } & MssqlModule;
  return loaded.default ?? loaded;
}

/** Login failures, unreachable servers and the rest, as EngineErrors whose messages hold no password. */
export function sqlServerError(err: unknown, url: string): EngineError {
  if (err instanceof EngineError) return err;
  const e = err as MssqlError;
  const endpoint = redactUrl(url);
  const message = scrubSecrets(e?.message ?? String(err), [url]);
  const number = e?.number ?? e?.originalError?.info?.number;
  switch (e?.code) {
    case 'ELOGIN':
      return new EngineError(`${endpoint}: ${message}`, 'auth', number === undefined ? e.code : String(number), endpoint);
    case 'ESOCKET':
    case 'ETIMEOUT':
    case 'EINSTLOOKUP':
    case 'ECONNCLOSED':
      return new EngineError(`${endpoint}: ${message}`, 'connect', e.code, endpoint);
    default:
      // 1205: chosen as a deadlock victim; 3960: a snapshot update conflict — both may succeed when run again.
      return new EngineError(message, number === 1205 || number === 3960 ? 'transient' : 'query', number === undefined ? e?.code : String(number), endpoint);
  }
}

export async function connectSqlServer(config: ConnectConfig): Promise<EngineConnection> {
  const settings = sqlServerSettingsOf(config);
  const mssql = await loadMssql();
  const pool = new mssql.ConnectionPool({
    server: settings.server,
    ...(settings.port !== undefined ? { port: settings.port } : {}),
    ...(settings.database !== undefined ? { database: settings.database } : {}),
    user: settings.user,
    password: settings.password,
    // A streamed read of a large table runs as long as it takes.
    requestTimeout: 0,
    connectionTimeout: 15_000,
    pool: { max: Math.max(2, config.poolSize), min: 0 },
    options: {
      encrypt: settings.encrypt,
      trustServerCertificate: settings.trustServerCertificate,
      appName: config.applicationName,
      useUTC: true,
      ...(settings.instanceName !== undefined ? { instanceName: settings.instanceName } : {}),
    },
  });
  try {
    await pool.connect();
    const version = await pool.request().query(`SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS version, DB_NAME() AS db, CAST(SERVERPROPERTY('Edition') AS nvarchar(128)) AS edition`);
    const row = version.recordset?.[0] ?? {};
    const session = config.session.map((s) => sessionSql(s.name, s.value));
    return new SqlServerConnection(mssql, pool, config.url, `SQL Server ${String(row.version ?? '?')} ${String(row.edition ?? '')}`.trim(), String(row.db ?? settings.database ?? ''), session);
  } catch (err) {
    await pool.close().catch(() => undefined);
    throw sqlServerError(err, config.url);
  }
}

function request(parent: MssqlPool | MssqlTransaction, mssql: MssqlModule, params: readonly (string | number | null)[] = []): MssqlRequest {
  const r = new mssql.Request(parent);
  params.forEach((value, i) => r.input(`p${i + 1}`, value));
  return r;
}

class SqlServerConnection implements EngineConnection {
  readonly engine = 'sqlserver' as const;
  readonly endpoint: string;

  constructor(
    private readonly mssql: MssqlModule,
    private readonly pool: MssqlPool,
    private readonly url: string,
    readonly serverVersion: string,
    private readonly database: string,
    /** The endpoint's session settings, run on each lane's connection before it reads. */
    private readonly session: readonly string[],
  ) {
    this.endpoint = redactUrl(url);
  }

  async query(sql: string, params?: readonly (string | number | null)[]): Promise<readonly Record<string, unknown>[]> {
    try {
      return (await request(this.pool, this.mssql, params).query(sql)).recordset ?? [];
    } catch (err) {
      throw sqlServerError(err, this.url);
    }
  }

  async execute(statements: readonly string[]): Promise<void> {
    for (const s of statements) await this.query(s);
  }

  async introspect(scope: IntrospectScope): Promise<Catalog> {
    const [schemas, columns, indexes, foreignKeys, checks, rowEstimates, others] = await Promise.all(
      [SCHEMAS_SQL, COLUMNS_SQL, INDEXES_SQL, FOREIGN_KEYS_SQL, CHECKS_SQL, ROW_ESTIMATES_SQL, OTHERS_SQL].map((sql) => this.query(sql)),
    );
    return assembleCatalog({ schemas: schemas!, columns: columns!, indexes: indexes!, foreignKeys: foreignKeys!, checks: checks!, rowEstimates: rowEstimates!, others: others! }, this.database, this.serverVersion, scope.schemas);
  }

  async snapshot(lanes: number): Promise<SourceSnapshot> {
    const state = await this.query(`SELECT snapshot_isolation_state FROM sys.databases WHERE name = DB_NAME()`);
    const snapshotAllowed = Number(state[0]?.snapshot_isolation_state ?? 0) === 1;
    const isolation = snapshotAllowed ? this.mssql.ISOLATION_LEVEL.SNAPSHOT : this.mssql.ISOLATION_LEVEL.READ_COMMITTED;
    const transactions: MssqlTransaction[] = [];
    try {
      for (let i = 0; i < Math.max(1, lanes); i++) {
        const tx = new this.mssql.Transaction(this.pool);
        await tx.begin(isolation);
        transactions.push(tx);
        for (const statement of this.session) await request(tx, this.mssql).query(statement);
      }
    } catch (err) {
      await Promise.all(transactions.map((t) => t.rollback().catch(() => undefined)));
      throw sqlServerError(err, this.url);
    }
    return new SqlServerSnapshot(this.mssql, transactions, this.url);
  }

  async transaction<T>(fn: (tx: TargetTransaction) => Promise<T>): Promise<T> {
    const tx = new this.mssql.Transaction(this.pool);
    try {
      await tx.begin();
    } catch (err) {
      throw sqlServerError(err, this.url);
    }
    const target: TargetTransaction = {
      query: async (sql, params) => {
        try {
          return (await request(tx, this.mssql, params).query(sql)).recordset ?? [];
        } catch (err) {
          throw sqlServerError(err, this.url);
        }
      },
      writeRows: async () => {
        throw new EngineError('writing rows into SQL Server is not supported in this build', 'unsupported', undefined, this.endpoint);
      },
    };
    try {
      const result = await fn(target);
      await tx.commit();
      return result;
    } catch (err) {
      await tx.rollback().catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.pool.close().catch(() => undefined);
  }
}

/**
 * A lane is one transaction on one connection, which runs one request at a time: a second one
 * while the first runs — or while a cancelled stream is still stopping — fails (mssql's
 * EREQINPROG). Each lane's requests therefore take turns, a streamed read holding its turn until
 * the server has finished it, not until its consumer stopped reading.
 */
export class SqlServerSnapshot implements SourceSnapshot {
  readonly lanesAgree = false;
  private readonly turns: ReturnType<typeof atMost>[];

  constructor(
    private readonly mssql: MssqlModule,
    private readonly lanes: readonly MssqlTransaction[],
    private readonly url: string,
  ) {
    this.turns = lanes.map(() => atMost(1));
  }

  private lane(n: number): MssqlTransaction {
    return this.lanes[n % this.lanes.length]!;
  }

  private turn(n: number): ReturnType<typeof atMost> {
    return this.turns[n % this.turns.length]!;
  }

  private async rows(sql: string, lane: number): Promise<readonly Record<string, unknown>[]> {
    try {
      return await this.turn(lane)(async () => (await request(this.lane(lane), this.mssql).query(sql)).recordset ?? []);
    } catch (err) {
      throw sqlServerError(err, this.url);
    }
  }

  /**
   * Streams the rows, pausing the request while more than two batches wait for the consumer; a
   * consumer that stops early cancels the request, which frees the lane's connection.
   */
  async *read(req: ReadRequest, lane: number): AsyncGenerator<readonly Row[]> {
    const decoders = req.columns.map((c) => decoderFor(c));
    const batchRows = Math.max(1, req.batchRows);
    const r = request(this.lane(lane), this.mssql);
    r.stream = true;
    r.arrayRowMode = true;
    const ready: Row[][] = [];
    let current: Row[] = [];
    let currentBytes = 0;
    let done = false;
    let failure: unknown;
    let paused = false;
    let wake: (() => void) | undefined;
    const notify = (): void => {
      wake?.();
      wake = undefined;
    };
    r.on('row', (raw) => {
      try {
        const row: Row = decoders.map((d, i) => d(raw[i]));
        current.push(row);
        currentBytes += rowBytes(row);
        if (current.length >= batchRows || currentBytes >= BATCH_BYTES) {
          ready.push(current);
          current = [];
          currentBytes = 0;
          if (ready.length >= 2 && !paused) paused = r.pause();
          notify();
        }
      } catch (err) {
        failure = err;
        r.cancel();
        notify();
      }
    });
    r.on('error', (err) => {
      failure ??= err;
      notify();
    });
    r.on('done', () => {
      done = true;
      notify();
    });
    const sql = selectSql(req);
    void this.turn(lane)(() =>
      r.query(sql).then(
        () => undefined,
        (err: unknown) => {
          failure ??= err;
          done = true;
          notify();
        },
      ),
    );
    let finished = false;
    try {
      for (;;) {
        if (failure !== undefined) throw failure instanceof Error && !(failure as MssqlError).code && !(failure as MssqlError).number ? failure : sqlServerError(failure, this.url);
        const batch = ready.shift();
        if (batch) {
          if (paused && ready.length < 2) paused = !r.resume();
          yield batch;
          continue;
        }
        if (done) {
          if (current.length > 0) {
            const last = current;
            current = [];
            yield last;
          }
          finished = true;
          return;
        }
        if (paused) paused = !r.resume();
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      if (!finished && !done) r.cancel();
    }
  }

  async count(table: QualifiedName, where: string | undefined, lane: number): Promise<number> {
    const rows = await this.rows(countSql(table, where), lane);
    return Number(rows[0]?.n ?? 0);
  }

  async keyBounds(table: QualifiedName, column: ReadColumn, where: string | undefined, lane: number): Promise<{ readonly min: string; readonly max: string } | undefined> {
    const problem = rangeProblem(column);
    if (problem !== undefined) throw new EngineError(problem, 'unsupported', undefined, redactUrl(this.url));
    const rows = await this.rows(keyBoundsSql(table, column, where), lane);
    const decode = decoderFor(column);
    const min = decode(rows[0]?.min_key);
    const max = decode(rows[0]?.max_key);
    if (min === null || max === null) return undefined;
    return { min: String(min), max: String(max) };
  }

  async splitPoints(table: QualifiedName, column: ReadColumn, where: string | undefined, parts: number, lane: number): Promise<readonly string[]> {
    if (parts <= 1) return [];
    const bounds = await this.keyBounds(table, column, where, lane);
    if (!bounds) return [];
    if (column.logical.kind === 'int') {
      const dense = denseIntegerSplits(BigInt(bounds.min), BigInt(bounds.max), await this.count(table, where, lane), parts);
      if (dense) return dense;
    }
    const rows = await this.rows(splitPointsSql(table, column, where, parts), lane);
    const decode = decoderFor(column);
    return splitPointsOf(rows.map((r) => String(decode(r.point))), bounds.max);
  }

  async close(): Promise<void> {
    // After each lane's last request (a cancelled stream may still be stopping).
    await Promise.all(this.lanes.map((t, i) => this.turn(i)(() => t.commit()).catch(() => undefined)));
  }
}
