/**
 * The only file that touches `oracledb` (loaded lazily, on the first connect), in its thin mode: pure
 * JavaScript, no Oracle Client libraries (thin is the default until initOracleClient is called,
 * which dmsplan never does).
 *
 * URL: `oracle://user:password@host:port/service_name` (port 1521 by default). The password goes
 * to the driver only; messages are built from the redacted endpoint. `tls` other than disable/prefer
 * connects with TCPS.
 *
 * LOBs are fetched whole, CLOB and NCLOB as strings and BLOB as Buffers (a row's LOB must fit in
 * memory; the copy's batches are bounded by bytes, so a batch of big LOBs is a small batch).
 */
import { EngineError, type ConnectConfig } from '../contract.js';
import type { OracleReadSession } from './oracle-read.js';
import type { OracleBind } from './oracle-values.js';

/** The parts of the driver dmsplan uses (oracledb ships no type declarations). */
interface OracleDb {
  createPool(config: Record<string, unknown>): Promise<OraclePool>;
  readonly OUT_FORMAT_ARRAY: number;
  readonly OUT_FORMAT_OBJECT: number;
  readonly DB_TYPE_CLOB: unknown;
  readonly DB_TYPE_NCLOB: unknown;
  readonly DB_TYPE_BLOB: unknown;
  readonly DB_TYPE_LONG: unknown;
  readonly DB_TYPE_LONG_RAW: unknown;
  readonly DB_TYPE_NUMBER: unknown;
  readonly DB_TYPE_NVARCHAR: unknown;
  readonly STRING: unknown;
  readonly BUFFER: unknown;
}
interface OraclePool {
  getConnection(): Promise<OracleRawConnection>;
  close(drainSeconds?: number): Promise<void>;
}
interface OracleResultSet {
  getRows(count: number): Promise<unknown[]>;
  close(): Promise<void>;
}
interface OracleRawConnection {
  execute(sql: string, binds: readonly unknown[], options: Record<string, unknown>): Promise<{ rows?: unknown[]; resultSet?: OracleResultSet }>;
  close(): Promise<void>;
  readonly oracleServerVersionString?: string;
  module?: string;
}

let loaded: Promise<OracleDb> | undefined;

async function driver(): Promise<OracleDb> {
  // A computed specifier: the package has no type declarations for the compiler to find.
  const specifier = 'oracledb';
  loaded ??= import(specifier).then((m: { default?: OracleDb } & OracleDb) => m.default ?? m);
  return loaded;
}

/** What `oracle://user:password@host:port/service` names. */
export interface OracleTarget {
  readonly user: string;
  readonly password: string;
  readonly connectString: string;
  readonly service: string;
}

export function parseOracleUrl(url: string, endpoint: string, tls: ConnectConfig['tls']): OracleTarget {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new EngineError(`${endpoint} is not a valid URL: write oracle://user:password@host:1521/service`, 'connect', undefined, endpoint);
  }
  const service = decoded(parsed.pathname.replace(/^\//, ''));
  if (!parsed.hostname || !service) throw new EngineError(`${endpoint} names no host or service: write oracle://user:password@host:1521/service`, 'connect', undefined, endpoint);
  const secure = tls !== undefined && tls.mode !== 'disable' && tls.mode !== 'prefer';
  const hostPort = `${parsed.hostname}:${parsed.port || '1521'}`;
  return {
    user: decoded(parsed.username),
    password: decoded(parsed.password),
    connectString: `${secure ? 'tcps://' : ''}${hostPort}/${service}`,
    service,
  };
}

/** Percent-decoding that keeps text which is not valid percent-encoding ('a%zz') as it is, instead of throwing. */
function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Settings of every session: binary comparison and sorting, so that key ranges and ORDER BY agree
 * with each other whatever the database's linguistic defaults; UTC as the session zone.
 */
export const ORACLE_SESSION_SETUP = "ALTER SESSION SET NLS_SORT = BINARY NLS_COMP = BINARY TIME_ZONE = '+00:00'";

/** ORA- numbers that mean the user or password is wrong, or the account cannot log in. */
const AUTH_ERRORS = new Set([1017, 1005, 28000, 28001, 1045]);
/** Listener and network failures: nothing answers at the host, port or service. */
const CONNECT_ERRORS = new Set([12514, 12505, 12541, 12170, 12543, 12537, 12154]);
/** Failures worth a retry: deadlock, serialization, resource busy, a lost connection. */
const TRANSIENT_ERRORS = new Set([60, 8177, 54, 3113, 3114, 3135]);

export function oracleError(err: unknown, endpoint: string): EngineError {
  if (err instanceof EngineError) return err;
  const e = err as { errorNum?: unknown; code?: unknown; message?: unknown };
  const message = String(e.message ?? err).split('\n')[0]!;
  const code = typeof e.code === 'string' ? e.code : typeof e.errorNum === 'number' ? `ORA-${String(e.errorNum).padStart(5, '0')}` : undefined;
  const num = typeof e.errorNum === 'number' ? e.errorNum : undefined;
  let kind: EngineError['kind'] = 'query';
  if (num !== undefined && AUTH_ERRORS.has(num)) kind = 'auth';
  else if ((num !== undefined && CONNECT_ERRORS.has(num)) || (typeof code === 'string' && /^NJS-5\d\d$/.test(code))) kind = 'connect';
  else if (num !== undefined && TRANSIENT_ERRORS.has(num)) kind = 'transient';
  return new EngineError(`${endpoint}: ${message}`, kind, code, endpoint);
}

/** A pool of thin-mode connections, each set up with ORACLE_SESSION_SETUP and the plan's session settings. */
export class OraclePoolHandle {
  private constructor(
    private readonly db: OracleDb,
    private readonly pool: OraclePool,
    private readonly setup: readonly string[],
    readonly endpoint: string,
    private readonly applicationName: string,
  ) {}

  static async open(config: ConnectConfig, endpoint: string): Promise<OraclePoolHandle> {
    const target = parseOracleUrl(config.url, endpoint, config.tls);
    let db: OracleDb;
    try {
      db = await driver();
    } catch (err) {
      throw new EngineError(`cannot load the oracledb driver: ${String((err as Error).message ?? err)}`, 'connect', undefined, endpoint);
    }
    const setup = [ORACLE_SESSION_SETUP, ...config.session.map((s) => `ALTER SESSION SET ${s.name} = ${s.value}`)];
    try {
      const pool = await db.createPool({ user: target.user, password: target.password, connectString: target.connectString, poolMin: 0, poolMax: Math.max(2, config.poolSize), poolIncrement: 1 });
      const handle = new OraclePoolHandle(db, pool, setup, endpoint, config.applicationName);
      return handle;
    } catch (err) {
      throw oracleError(err, endpoint);
    }
  }

  /** A connection of the pool, set up; `release` gives it back. */
  async acquire(): Promise<OracleSession> {
    let raw: OracleRawConnection;
    try {
      raw = await this.pool.getConnection();
    } catch (err) {
      throw oracleError(err, this.endpoint);
    }
    const session = new OracleSession(this.db, raw, this.endpoint);
    try {
      try {
        raw.module = this.applicationName.slice(0, 48);
      } catch {
        // only shown in V$SESSION
      }
      for (const sql of this.setup) await session.run(sql);
      return session;
    } catch (err) {
      await session.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.pool.close(0).catch(() => undefined);
  }
}

export class OracleSession implements OracleReadSession {
  constructor(
    private readonly db: OracleDb,
    private readonly raw: OracleRawConnection,
    private readonly endpoint: string,
  ) {}

  get serverVersion(): string {
    return this.raw.oracleServerVersionString ?? '';
  }

  /** LOBs whole, LONG as text; NUMBER as the exact text the driver spells from its digits (oracle-values.ts). */
  private readonly fetchTypeHandler = (metadata: { dbType?: unknown }): { type: unknown } | undefined => {
    const t = metadata.dbType;
    if (t === this.db.DB_TYPE_CLOB || t === this.db.DB_TYPE_NCLOB || t === this.db.DB_TYPE_LONG) return { type: this.db.STRING };
    if (t === this.db.DB_TYPE_BLOB || t === this.db.DB_TYPE_LONG_RAW) return { type: this.db.BUFFER };
    if (t === this.db.DB_TYPE_NUMBER) return { type: this.db.STRING };
    return undefined;
  };

  async run(sql: string, binds: readonly unknown[] = []): Promise<void> {
    try {
      await this.raw.execute(sql, binds, { autoCommit: false });
    } catch (err) {
      throw oracleError(err, this.endpoint);
    }
  }

  /** Binds as the driver takes them: national text typed NVARCHAR. */
  private binds(binds: readonly OracleBind[]): unknown[] {
    return binds.map((b) => (typeof b === 'string' ? b : { val: b.national, type: this.db.DB_TYPE_NVARCHAR }));
  }

  async query(sql: string, binds: readonly OracleBind[] = []): Promise<readonly unknown[][]> {
    try {
      const result = await this.raw.execute(sql, this.binds(binds), { outFormat: this.db.OUT_FORMAT_ARRAY, fetchTypeHandler: this.fetchTypeHandler });
      return (result.rows ?? []) as unknown[][];
    } catch (err) {
      throw oracleError(err, this.endpoint);
    }
  }

  async objects(sql: string, binds: readonly unknown[] = []): Promise<readonly Record<string, unknown>[]> {
    try {
      const result = await this.raw.execute(sql, binds, { outFormat: this.db.OUT_FORMAT_OBJECT, fetchTypeHandler: this.fetchTypeHandler });
      return (result.rows ?? []) as Record<string, unknown>[];
    } catch (err) {
      throw oracleError(err, this.endpoint);
    }
  }

  async *stream(sql: string, binds: readonly OracleBind[], batchRows: number): AsyncIterable<readonly unknown[][]> {
    let resultSet: OracleResultSet | undefined;
    try {
      const result = await this.raw.execute(sql, this.binds(binds), { outFormat: this.db.OUT_FORMAT_ARRAY, resultSet: true, fetchArraySize: Math.min(batchRows, 10_000), fetchTypeHandler: this.fetchTypeHandler });
      resultSet = result.resultSet;
      if (!resultSet) return;
      for (;;) {
        const rows = (await resultSet.getRows(batchRows)) as unknown[][];
        if (rows.length === 0) break;
        yield rows;
        if (rows.length < batchRows) break;
      }
    } catch (err) {
      throw oracleError(err, this.endpoint);
    } finally {
      await resultSet?.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.raw.close().catch(() => undefined);
  }
}
