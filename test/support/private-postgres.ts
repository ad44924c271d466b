/**
 * A private PostgreSQL cluster for tests that must restart or stop their server: the shared one on
 * 127.0.0.1:5432 serves other suites running in parallel, so it is never touched.
 *
 * The cluster lives in a temp directory (data, socket, log), listens on a free port of 127.0.0.1
 * with trust authentication, and runs as the `postgres` OS user when the tests run as root (initdb
 * refuses root). Under CI=true a cluster that cannot start is a failure; elsewhere the suites that
 * need it are skipped with the reason printed once.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const PG_BIN = process.env.DMSPLAN_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const inCI = process.env.CI === 'true' || process.env.CI === '1';

export interface PrivatePostgres {
  readonly port: number;
  /** A URL of database `database` on this cluster (user postgres, no password). */
  url(database?: string): string;
  /** `pg_ctl restart -m fast`: every session is terminated, the server is down for a moment. */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  remove(): Promise<void>;
}

/**
 * Whether a cluster can be made here (the binaries, and the `postgres` OS user when running as
 * root), checked without starting one — for `describe.skipIf` at collection time. Under CI=true
 * a missing piece throws. Start the cluster itself in a `beforeAll`: a suite whose tests are all
 * filtered out runs no hooks, so a cluster started at import would never be stopped.
 */
export function privatePostgresPossible(): boolean {
  let why: string | undefined;
  if (!existsSync(path.join(PG_BIN, 'initdb'))) why = `no initdb in ${PG_BIN} (set DMSPLAN_TEST_PG_BIN)`;
  else if (userInfo().uid === 0 && !readFileSync('/etc/passwd', 'utf8').split('\n').some((l) => l.startsWith('postgres:'))) why = 'running as root and there is no `postgres` OS user to run initdb as';
  if (why === undefined) return true;
  if (inCI) throw new Error(`a private PostgreSQL cluster cannot be made: ${why} — under CI=true this is a failure`);
  console.warn(`[skip] a private PostgreSQL cluster cannot be made: ${why}; the suites that restart a server are skipped`);
  return false;
}

/** Starts a fresh cluster; `undefined` (with a warning) when that is impossible outside CI. */
export async function startPrivatePostgres(): Promise<PrivatePostgres | undefined> {
  try {
    return await startCluster();
  } catch (err) {
    const why = `a private PostgreSQL cluster cannot start: ${(err as Error).message}`;
    if (inCI) throw new Error(`${why} — under CI=true this is a failure`);
    console.warn(`[skip] ${why}; the suites that restart a server are skipped (set CI=true to make this a failure)`);
    return undefined;
  }
}

async function startCluster(): Promise<PrivatePostgres> {
  if (!existsSync(path.join(PG_BIN, 'initdb'))) throw new Error(`no initdb in ${PG_BIN} (set DMSPLAN_TEST_PG_BIN)`);
  const root = mkdtempSync(path.join(tmpdir(), 'dmsplan-pg-'));
  const data = path.join(root, 'data');
  const log = path.join(root, 'server.log');
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const { uid, gid } = await postgresUser();
    chownSync(root, uid, gid);
  }
  chmodSync(root, 0o700);
  const port = await freePort();
  const run = (tool: string, args: readonly string[]) => pgTool(asRoot, path.join(PG_BIN, tool), args);
  const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=50`;
  const ctl = (action: 'start' | 'restart' | 'stop', extra: readonly string[] = []) => run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '30', ...extra, action]);

  await run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  try {
    await ctl('start', ['-o', serverOptions]);
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${tail(log)}`);
  }
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  await waitReady(url());
  let removed = false;
  return {
    port,
    url,
    async restart() {
      await ctl('restart', ['-m', 'fast', '-o', serverOptions]);
      await waitReady(url());
    },
    async remove() {
      if (removed) return;
      removed = true;
      await ctl('stop', ['-m', 'immediate']).catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Creates a database on the cluster and returns its URL. */
export async function createPrivateDatabase(cluster: PrivatePostgres, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return cluster.url(name);
}

function pgTool(asRoot: boolean, tool: string, args: readonly string[]): Promise<void> {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', tool, ...args]] : [tool, [...args]];
  return new Promise((resolve, reject) => {
    // pg_ctl -l sends the server's output to the log, so the server holds none of these pipes.
    execFile(cmd, argv, { timeout: 60_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(tool)} failed: ${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const fields = line?.split(':');
  if (!fields || fields.length < 4) throw new Error('running as root and there is no `postgres` OS user to run initdb as');
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await c.connect();
      await c.end();
      return;
    } catch (err) {
      await c.end().catch(() => undefined);
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}
