/**
 * Connecting to the plan's endpoints, live: a database the URL names but the server lacks is a
 * DMS5003 with a hint — for a target, the CREATE DATABASE to run first (apply makes schemas and
 * tables, not databases). Every refused connection points at the plan's `url = …` and names the
 * environment variable (or default) the URL came from: that is where it is fixed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { EndpointPlan } from '../../src/check/checked-plan.js';
import type { Span } from '../../src/diagnostics/diagnostic.js';
import { connectAll, resolveEndpoints, type ResolvedEndpoint } from '../../src/exec/endpoints.js';
import { MYSQL_ADMIN_URL, PG_ADMIN_URL, mysqlAvailable, postgresAvailable, uniqueName } from '../support/servers.js';

const ready = (await postgresAvailable()) && (await mysqlAvailable());

const urlSpan: Span = { file: 'shop.dmsplan', startOffset: 25, endOffset: 35, startLine: 2, startColumn: 9, endLine: 2, endColumn: 19 };

function endpoint(role: 'source' | 'target', engine: 'postgres' | 'mysql', adminUrl: string, database: string, edit: (url: URL) => void = () => undefined): ResolvedEndpoint {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  edit(url);
  const plan: EndpointPlan = { name: role === 'source' ? 'src' : 'dst', role, engine, url: { kind: 'env', variable: 'X', fallback: undefined, span: urlSpan }, prepare: 'do_nothing', session: [], tls: undefined };
  return { plan, url: url.toString() };
}

// Skipped only when a live server is unreachable outside CI; under CI=true the probes fail the run instead.
describe.skipIf(!ready)('connecting to the endpoints', () => {
  it('says which database to create when a target\'s is missing, and to check the name when a source\'s is', async () => {
    const missing = uniqueName('no_such_db');
    const { connections, diagnostics } = await connectAll(
      [endpoint('source', 'postgres', PG_ADMIN_URL, missing), endpoint('target', 'mysql', MYSQL_ADMIN_URL, missing)],
      2,
      { X: 'set' },
    );
    expect(connections.size).toBe(0);
    expect(diagnostics.map((d) => [d.code, d.hint])).toEqual([
      ['DMS5003', 'check the database name of the URL in environment variable X'],
      ['DMS5003', `create it first: CREATE DATABASE \`${missing}\`; (apply creates schemas and tables, not the database)`],
    ]);
    const pgTarget = await connectAll([endpoint('target', 'postgres', PG_ADMIN_URL, missing)], 2, {});
    expect(pgTarget.diagnostics[0]!.hint).toBe(`create it first: CREATE DATABASE "${missing}"; (apply creates schemas and tables, not the database)`);
  });

  it('points a refused connection at the url setting and names where the URL came from', async () => {
    const wrongPassword = endpoint('source', 'mysql', MYSQL_ADMIN_URL, 'mysql', (u) => {
      u.username = uniqueName('nobody');
      u.password = 'wrong';
    });
    const deadPort = endpoint('target', 'postgres', PG_ADMIN_URL, 'postgres', (u) => {
      u.port = '1';
    });
    const { diagnostics } = await connectAll([wrongPassword, deadPort], 1, {});
    expect(diagnostics.map((d) => [d.code, d.span, d.hint])).toEqual([
      ['DMS5003', urlSpan, 'check the user and password of the URL in the default of env("X", …), used because X is not set'],
      ['DMS5003', urlSpan, 'check that the server is running, and the host and port of the URL in the default of env("X", …), used because X is not set'],
    ]);
    const fromVariable = await connectAll([deadPort], 1, { X: deadPort.url });
    expect(fromVariable.diagnostics[0]!.hint).toBe('check that the server is running, and the host and port of the URL in environment variable X');
    expect(diagnostics.map((d) => d.message).join('\n')).not.toContain('wrong');
  });

  it('points a refused connection at the url line of the endpoint, where the URL is fixed', async () => {
    const span = { file: 'shop.dmsplan', startOffset: 40, endOffset: 53, startLine: 4, startColumn: 29, endLine: 4, endColumn: 42 };
    for (const [engine, url] of [['postgres', 'postgres://postgres:s3cret@127.0.0.1:1/db'], ['mysql', 'mysql://root:s3cret@127.0.0.1:1/db']] as const) {
      const plan: EndpointPlan = { name: 'src', role: 'source', engine, url: { kind: 'env', variable: 'SRC', fallback: undefined, span }, prepare: 'do_nothing', session: [], tls: undefined };
      const { diagnostics } = await connectAll([{ plan, url }], 1, {});
      expect(diagnostics.map((d) => [d.code, d.span])).toEqual([['DMS5003', span]]);
      expect(diagnostics[0]!.message).not.toContain('s3cret');
    }
  });
});

describe('connecting to file engines', () => {
  it('points a missing file at its path, not at a server, host and port', async () => {
    const plan: EndpointPlan = { name: 'src', role: 'source', engine: 'sqlite', url: { kind: 'env', variable: 'X', fallback: undefined, span: urlSpan }, prepare: 'do_nothing', session: [], tls: undefined };
    const { diagnostics } = await connectAll([{ plan, url: 'sqlite:/nonexistent-dir-dmsplan/app.db' }], 1, { X: 'set' });
    expect(diagnostics.map((d) => [d.code, d.span, d.hint])).toEqual([['DMS5003', urlSpan, 'check the path of the URL in environment variable X']]);
    expect(diagnostics[0]!.message).toContain('does not exist');
  });

  it('says to run again, not to check the URL, when a SQLite file is locked by another process', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dms-endpoints-'));
    const file = path.join(dir, 'locked.sqlite');
    const holder = new Database(file, { timeout: 0 });
    holder.exec('PRAGMA journal_mode = DELETE; CREATE TABLE t (id INTEGER); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)');
    try {
      const plan: EndpointPlan = { name: 'src', role: 'source', engine: 'sqlite', url: { kind: 'env', variable: 'X', fallback: undefined, span: urlSpan }, prepare: 'do_nothing', session: [], tls: undefined };
      const { diagnostics } = await connectAll([{ plan, url: `sqlite:${file}` }], 1, { X: 'set' });
      expect(diagnostics.map((d) => [d.code, d.hint])).toEqual([['DMS5003', 'the database is busy for now: run the command again once the other work on it is done']]);
      expect(diagnostics[0]!.message).toContain(`${file}: another process holds a write lock on it`);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});

describe('resolving the endpoints\' URLs', () => {
  const declared = (engine: EndpointPlan['engine']): EndpointPlan => ({ name: 'dst', role: 'target', engine, url: { kind: 'env', variable: 'DST' } as EndpointPlan['url'], prepare: 'do_nothing', session: [], tls: undefined });

  it('takes a URL of the declared engine only: PGlite and PostgreSQL share a dialect, not a driver', () => {
    for (const [engine, url, other] of [['postgres', 'pglite:/tmp/x', 'pglite'], ['pglite', 'postgres://u@h/db', 'postgres'], ['postgres', 'mysql://u@h/db', 'mysql']] as const) {
      const { endpoints, diagnostics } = resolveEndpoints([declared(engine)], { DST: url });
      expect(endpoints).toEqual([]);
      expect(diagnostics.map((d) => [d.code, d.message])).toEqual([['DMS5002', expect.stringContaining(`declared ${engine} but its URL is a ${other} URL`)]]);
      expect(diagnostics[0]!.hint).toContain(`declare it \`target dst ${other} { … }\``);
    }
    expect(resolveEndpoints([declared('mysql')], { DST: 'mariadb://u@h/db' }).endpoints).toHaveLength(1);
    expect(resolveEndpoints([declared('pglite')], { DST: 'pglite:memory:' }).endpoints).toHaveLength(1);
  });

  it('tells an empty variable from an unset one (both are errors without a default)', () => {
    expect(resolveEndpoints([declared('postgres')], {}).diagnostics.map((d) => [d.code, d.message])).toEqual([['DMS5001', 'target dst: environment variable DST is not set']]);
    expect(resolveEndpoints([declared('postgres')], { DST: '' }).diagnostics.map((d) => [d.code, d.message])).toEqual([['DMS5001', 'target dst: environment variable DST is set but empty']]);
  });
});
