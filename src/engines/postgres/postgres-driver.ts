/**
 * The only file importing `pg` and `pg-copy-streams` (loaded lazily by connect): a pool for
 * statements and transactions, dedicated connections for snapshot lanes, the session settings
 * every connection runs with, and errors mapped to EngineError.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { Readable, Writable } from 'node:stream';
import type { ClosingMode, ConnectConfig } from '../contract.js';
import { redactUrl } from '../url.js';
import { toPostgresEngineError } from './postgres-errors.js';
import { quotePostgresString } from './postgres-ddl.js';
import type { PgSession, PgSessionSource, Rows } from './postgres-session.js';
import { POSTGRES_SESSION_SETTINGS } from './postgres-session-settings.js';

/** Date/time types (and their arrays) stay text: pg's Date objects lose microseconds and time zones. */
const TEXT_OIDS = new Set([1082, 1083, 1114, 1184, 1266, 1186, 1182, 1183, 1115, 1185, 1270, 1187]);

const keepText = (value: string): string => value;

/** Parsers of our own clients only: the global pg.types is left alone for anyone else in the process. */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (TEXT_OIDS.has(oid)) return keepText;
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  },
} as unknown as pg.CustomTypesConfig;

const SQL_ASCII_AS_IS = "SET client_encoding = 'SQL_ASCII'";

export function sessionSettingsSql(extra: ConnectConfig['session']): string {
  const all = [...POSTGRES_SESSION_SETTINGS, ...extra];
  return all
    .map(({ name, value }) => {
      if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) throw new Error(`invalid session setting name: ${name}`);
      return `SET ${name} = ${quotePostgresString(value)}`;
    })
    .join('; ');
}

const URL_SSL_MODES: Readonly<Record<string, NonNullable<ConnectConfig['tls']>['mode']>> = {
  disable: 'disable',
  allow: 'prefer',
  prefer: 'prefer',
  require: 'require',
  'verify-ca': 'verify_ca',
  'verify-full': 'verify_full',
};

/**
 * The connection string and TLS settings of an endpoint, with libpq's meaning for a URL's
 * `sslmode` (and `sslrootcert`, `sslcert`, `sslkey`). Left in the URL, pg reads them itself: it
 * takes `require` as `verify-full` and prints a security warning about it on every start. A
 * plan's `tls` block wins over the URL's. The files are read here, as pg would.
 */
export function connectionOf(config: Pick<ConnectConfig, 'url' | 'tls'>): { readonly connectionString: string; readonly ssl: pg.ClientConfig['ssl'] } {
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    return { connectionString: config.url, ssl: sslOption(config.tls) };
  }
  const params = url.searchParams;
  const mode = params.get('sslmode');
  if (mode === null) return { connectionString: config.url, ssl: sslOption(config.tls) };
  const file = (name: string): string | undefined => {
    const path = params.get(name);
    return path && path !== 'system' ? readFileSync(path, 'utf8') : undefined;
  };
  const urlMode = Object.hasOwn(URL_SSL_MODES, mode) ? URL_SSL_MODES[mode] : undefined;
  // Ignored, an unknown mode (`verify_full`, the tls block's spelling) would connect without TLS
  // where encryption was asked for; libpq refuses it too.
  if (urlMode === undefined) throw new Error(`sslmode=${mode} in the URL is not a TLS mode: use one of ${Object.keys(URL_SSL_MODES).join(', ')}`);
  const fromUrl = { mode: urlMode, ca: file('sslrootcert'), cert: file('sslcert'), key: file('sslkey') };
  for (const name of ['sslmode', 'sslrootcert', 'sslcert', 'sslkey']) params.delete(name);
  return { connectionString: url.toString(), ssl: sslOption(config.tls ?? fromUrl) };
}

export function sslOption(tls: ConnectConfig['tls']): pg.ClientConfig['ssl'] {
  if (!tls) return undefined;
  switch (tls.mode) {
    case 'disable':
      return false;
    case 'prefer':
      return undefined;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify_ca':
      return { rejectUnauthorized: true, ca: tls.ca, cert: tls.cert, key: tls.key, checkServerIdentity: () => undefined };
    case 'verify_full':
      return { rejectUnauthorized: true, ca: tls.ca, cert: tls.cert, key: tls.key };
    default: {
      const never: never = tls.mode;
      return never;
    }
  }
}

export interface PostgresDriver extends PgSessionSource {
  readonly endpoint: string;
  readonly serverVersion: string;
  query(sql: string, params?: readonly unknown[]): Promise<Rows>;
  /** A pooled connection for the duration of `fn`. */
  withSession<T>(fn: (session: PgSession) => Promise<T>): Promise<T>;
  /** Maps a failure to EngineError (redacted). */
  fail(err: unknown, doing?: string): Error;
  /** `at_exit` (ClosingMode): a pool whose connections are all idle is left for the process's exit to close. */
  end(mode?: ClosingMode): Promise<void>;
}

function sessionOf(client: pg.PoolClient | pg.Client): PgSession {
  return {
    pid: (client as unknown as { processID: number }).processID,
    async query(sql, params) {
      const result = await client.query(sql, params as unknown[] | undefined);
      // A multi-statement text returns one result per statement; callers want the last.
      const last = Array.isArray(result) ? (result[result.length - 1] as pg.QueryResult | undefined) : result;
      return (last?.rows ?? []) as Rows;
    },
    copyOut(sql): Readable {
      return client.query(copyStreams.to(sql));
    },
    copyIn(sql): Writable {
      return client.query(copyStreams.from(sql));
    },
  };
}

export async function openPostgres(config: ConnectConfig): Promise<PostgresDriver> {
  const endpoint = redactUrl(config.url);
  const fail = (err: unknown, doing?: string): Error => toPostgresEngineError(err, endpoint, [config.url], doing);
  const base: pg.ClientConfig = {
    ...connectionOf(config),
    application_name: config.applicationName,
    connectionTimeoutMillis: 15000,
    types: TYPES,
  };
  let settings = sessionSettingsSql(config.session);
  // A query that row-level security would filter fails instead (42501), as pg_dump's reads do. On a
  // source: plan refuses such tables (DMS3452), and a policy added since must not drop rows
  // unnoticed. On a target (whose policies the plan may have made, forced on the owner too): a
  // validation, an orphan check or a followed change never sees, updates or deletes fewer rows than
  // there are.
  settings += '; SET row_security = off';
  const pool = new pg.Pool({ ...base, max: Math.max(1, config.poolSize) });
  // An idle client losing its server must not crash the process: the next use reports it.
  pool.on('error', () => undefined);
  // Nor may a checked-out one (the pool listens only while a client is idle): a server restart
  // between two queries of a transaction emits 'error' on the client, and the failure reaches the
  // caller through the query in flight or the next one (pg fails them all), which retries.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const ready = new WeakSet<object>();

  const acquire = async (): Promise<pg.PoolClient> => {
    const client = await pool.connect();
    if (!ready.has(client)) {
      try {
        await client.query(settings);
      } catch (err) {
        client.release(true);
        throw err;
      }
      ready.add(client);
    }
    return client;
  };

  /** A pool client, or the failure to get one as this endpoint's error. */
  const acquireOrFail = async (): Promise<pg.PoolClient> => {
    try {
      return await acquire();
    } catch (err) {
      throw fail(err);
    }
  };

  let serverVersion: string;
  try {
    const client = await acquire();
    try {
      const r = await client.query("SELECT current_setting('server_version') AS version, current_setting('server_encoding') AS encoding");
      const row = r.rows[0] as Record<string, unknown> | undefined;
      serverVersion = String(row?.version ?? '');
      // A SQL_ASCII database checks no bytes, and converting its text to UTF8 fails on the first
      // that is not UTF-8, the whole read with it. Its bytes are read as they are instead; a value
      // that is not UTF-8 is then rejected per row (CopyTextRowParser).
      if (row?.encoding === 'SQL_ASCII') {
        settings += `; ${SQL_ASCII_AS_IS}`;
        await client.query(SQL_ASCII_AS_IS);
      }
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw fail(err, 'cannot connect to');
  }

  return {
    endpoint,
    serverVersion,
    fail,
    async query(sql, params) {
      const client = await acquireOrFail();
      try {
        return await sessionOf(client).query(sql, params);
      } catch (err) {
        throw fail(err, 'query failed on');
      } finally {
        client.release();
      }
    },
    async withSession(fn) {
      const client = await acquireOrFail();
      let broken = false;
      try {
        return await fn(sessionOf(client));
      } catch (err) {
        broken = !(err instanceof Error && 'kind' in err) || (err as { kind: string }).kind === 'transient';
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async open() {
      const client = new pg.Client(base);
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query(settings);
      } catch (err) {
        await client.end().catch(() => undefined);
        throw fail(err);
      }
      return { ...sessionOf(client), close: () => client.end().catch(() => undefined) };
    },
    async lease() {
      const client = await acquireOrFail();
      let released = false;
      return {
        ...sessionOf(client),
        pooled: true,
        close: async (broken = false) => {
          if (released) return;
          released = true;
          client.release(broken);
        },
      };
    },
    async cancel(pid) {
      await pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
    },
    async end(mode = 'now') {
      // Idle connections hold no transaction: the server sees the exit's end of the socket as it
      // would a Terminate message (pg logs it at DEBUG1 only), once this process is gone.
      if (mode === 'at_exit' && pool.idleCount === pool.totalCount) return;
      await pool.end().catch(() => undefined);
    },
  };
}
