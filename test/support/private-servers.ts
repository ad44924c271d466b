/**
 * Private database servers for change data capture tests: a PostgreSQL cluster with
 * wal_level = logical and a MariaDB with the row binlog, each on its own port and temporary data
 * directory, so the shared servers (and the suites using them) are never restarted or reconfigured.
 *
 * Availability follows servers.ts: when the binaries are missing or the server does not start, the
 * suite is skipped — except under CI=true, where it is a failure.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PG_BIN = process.env.DMSPLAN_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';
export const MARIADBD = process.env.DMSPLAN_TEST_MARIADBD ?? '/usr/sbin/mariadbd';

export interface PrivateServer {
  /** Admin URL (superuser / root, no password) on 127.0.0.1. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 30000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not start within ${ms / 1000}s`);
}

/** Runs a command as the postgres user when we are root (initdb and postgres refuse root). */
function asPostgres(command: string, args: readonly string[]): [string, string[]] {
  return userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
}

/** A PostgreSQL 15 cluster with wal_level = logical. */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dmsplan-cdc-pg-'));
  if (userInfo().uid === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  chmodSync(dir, 0o700);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const [initCmd, initArgs] = asPostgres(path.join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  await run(initCmd, initArgs);
  const options = [`-c port=${port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${dir}`, '-c wal_level=logical', '-c max_replication_slots=20', '-c max_wal_senders=20', '-c fsync=off', '-c log_replication_commands=on', ...(process.env.DMSPLAN_KEEP_SERVER_DIRS ? ['-c log_statement=ddl'] : []), '-c synchronous_commit=off', '-c full_page_writes=off', "-c timezone=UTC"].join(' ');
  const [ctlCmd, ctlArgs] = asPostgres(path.join(PG_BIN, 'pg_ctl'), ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
  await run(ctlCmd, ctlArgs);
  const [stopCmd, stopArgs] = asPostgres(path.join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
  let stopped = false;
  // A suite skipped or filtered out never runs its afterAll: the server must not outlive the worker.
  const onExit = () => {
    if (stopped) return;
    try {
      execFileSync(stopCmd, stopArgs, { stdio: 'ignore' });
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off('exit', onExit);
      await run(stopCmd, stopArgs).catch(() => undefined);
      if (!process.env.DMSPLAN_KEEP_SERVER_DIRS) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A MariaDB with the binlog on: ROW format, FULL row image and FULL row metadata. */
export async function startPrivateMariadb(): Promise<PrivateServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dmsplan-cdc-mariadb-'));
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const port = await freePort();
  const root = userInfo().uid === 0 ? ['--user=root'] : [];
  await run('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...root]);
  const child: ChildProcess = spawn(
    MARIADBD,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--log-bin=${path.join(data, 'binlog')}`,
      '--binlog-format=ROW',
      '--binlog-row-image=FULL',
      '--binlog-row-metadata=FULL',
      '--server-id=1',
      '--innodb-flush-log-at-trx-commit=0',
      '--sync-binlog=0',
      '--skip-name-resolve',
      `--pid-file=${path.join(dir, 'mysqld.pid')}`,
      ...root,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped = false;
  // A suite skipped or filtered out never runs its afterAll: the server must not outlive the worker.
  const onExit = () => {
    if (stopped) return;
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  await waitFor(async () => {
    await run('mariadb-admin', ['--no-defaults', '-uroot', '-h127.0.0.1', `-P${port}`, 'ping']);
    return true;
  }, 'MariaDB');
  return {
    url: `mysql://root@127.0.0.1:${port}/`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off('exit', onExit);
      await run('mariadb-admin', ['--no-defaults', '-uroot', '-h127.0.0.1', `-P${port}`, 'shutdown']).catch(() => child.kill('SIGKILL'));
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a private server, or explains why not: the caller skips the suite (outside CI) or fails
 * (under CI=true) with the reason.
 */
export async function tryStart(start: () => Promise<PrivateServer>, binary: string): Promise<PrivateServer | string> {
  if (!existsSync(binary)) return `${binary} not found`;
  try {
    return await start();
  } catch (err) {
    return (err as Error).message.split('\n')[0] ?? String(err);
  }
}
