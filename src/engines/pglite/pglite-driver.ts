/**
 * The only file importing `@electric-sql/pglite` (loaded lazily by connect). One PGlite instance
 * per data directory in this process, shared by every connection to it (two instances on one
 * directory would corrupt it), closed when the last connection closes; other processes are kept
 * out by a lock file (pglite-data-dir.ts).
 */
import path from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { filePathOfUrl, redactUrl } from '../url.js';
import { toPostgresEngineError } from '../postgres/postgres-errors.js';
import { POSTGRES_SESSION_SETTINGS } from '../postgres/postgres-session-settings.js';
import { quotePostgresString } from '../postgres/postgres-ddl.js';
import { claimDataDirectory, isNewDataDirectory, type DataDirClaim } from './pglite-data-dir.js';

export type PgliteRows = readonly Record<string, unknown>[];

/** What the rest of the engine needs from PGlite (a query runner, COPY with blobs, transactions). */
export interface PgliteRunner {
  query(sql: string, params?: readonly unknown[]): Promise<PgliteRows>;
  /** `COPY … FROM '/dev/blob'` with `data` as the blob. */
  copyFrom(sql: string, data: string): Promise<void>;
  /** `COPY … TO '/dev/blob'`: the COPY text. */
  copyTo(sql: string): Promise<string>;
}

export interface PgliteDriver extends PgliteRunner {
  readonly endpoint: string;
  readonly serverVersion: string;
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: PgliteRunner) => Promise<T>): Promise<T>;
  fail(err: unknown, doing?: string): Error;
  close(): Promise<void>;
}

/** Date/time values stay the server's text (PGlite would make Dates, losing microseconds and zones). */
const keepText = (value: string): string => value;
const PARSERS = Object.fromEntries([1082, 1083, 1114, 1184, 1266, 1186].map((oid) => [oid, keepText]));

interface Shared {
  readonly db: PGlite;
  readonly serverVersion: string;
  readonly claim: DataDirClaim | undefined;
  refs: number;
}

const open = new Map<string, Promise<Shared>>();

/** `pglite:memory:` → undefined (in memory); `pglite:dir`, `pglite:/abs/dir`, `pglite:///abs/dir` → absolute path. */
export function dataDirOfUrl(url: string): string | undefined {
  const rest = filePathOfUrl(url);
  if (rest === 'memory:' || rest === ':memory:' || rest === '') return undefined;
  return path.resolve(rest);
}

function runnerOf(q: PGlite | Transaction): PgliteRunner {
  return {
    async query(sql, params) {
      const r = await q.query<Record<string, unknown>>(sql, params ? [...params] : [], { parsers: PARSERS });
      return r.rows;
    },
    async copyFrom(sql, data) {
      await q.query(sql, [], { blob: new Blob([data]) });
    },
    async copyTo(sql) {
      const r = await q.query(sql);
      return r.blob ? await r.blob.text() : '';
    },
  };
}

async function start(dir: string | undefined, role: 'source' | 'target' | undefined, endpoint: string): Promise<Shared> {
  const claim = dir === undefined ? undefined : claimDataDirectory(dir, role, endpoint);
  try {
    const db = new PGlite(dir);
    await db.waitReady;
    await db.exec(POSTGRES_SESSION_SETTINGS.map(({ name, value }) => `SET ${name} = ${quotePostgresString(value)};`).join('\n'));
    const r = await db.query<{ server_version: string }>('SHOW server_version');
    return { db, serverVersion: String(r.rows[0]?.server_version ?? ''), claim, refs: 0 };
  } catch (err) {
    claim?.release();
    throw err;
  }
}

export async function openPglite(url: string, session: readonly { readonly name: string; readonly value: string }[], role?: 'source' | 'target', readOnly = false): Promise<PgliteDriver> {
  const endpoint = redactUrl(url);
  const fail = (err: unknown, doing?: string): Error => toPostgresEngineError(err, endpoint, [url], doing);
  const named = dataDirOfUrl(url);
  // A reader of a target not made yet sees what initialising it would give, a fresh cluster, from
  // one in memory: the directory is neither created nor claimed.
  const dir = named !== undefined && readOnly && isNewDataDirectory(named, role, endpoint) ? undefined : named;
  const key = dir ?? `memory:${Math.random()}`;
  let pending = open.get(key);
  if (!pending) {
    pending = start(dir, role, endpoint);
    open.set(key, pending);
  }
  let shared: Shared;
  try {
    shared = await pending;
  } catch (err) {
    open.delete(key);
    throw fail(err, 'cannot open');
  }
  shared.refs++;
  const db = shared.db;
  const runner = runnerOf(db);
  try {
    for (const { name, value } of session) {
      if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) throw new Error(`invalid session setting name: ${name}`);
      await db.exec(`SET ${name} = ${quotePostgresString(value)}`);
    }
  } catch (err) {
    throw fail(err, 'cannot open');
  }
  let closed = false;
  const wrap = <A extends unknown[], R>(f: (...a: A) => Promise<R>, doing: string) => async (...a: A): Promise<R> => {
    try {
      return await f(...a);
    } catch (err) {
      throw fail(err, doing);
    }
  };
  return {
    endpoint,
    serverVersion: shared.serverVersion,
    fail,
    query: wrap(runner.query, 'query failed on'),
    copyFrom: wrap(runner.copyFrom, 'write failed on'),
    copyTo: wrap(runner.copyTo, 'read failed on'),
    exec: wrap(async (sql: string) => {
      await db.exec(sql);
    }, 'statement failed on'),
    async transaction(fn) {
      try {
        return await db.transaction((tx) => fn(runnerOf(tx)));
      } catch (err) {
        throw fail(err, 'transaction failed on');
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (--shared.refs === 0) {
        open.delete(key);
        try {
          await db.close();
        } finally {
          shared.claim?.release();
        }
      }
    },
  };
}
