/**
 * The walking skeleton end to end on real servers: Chinook from MariaDB, SQLite and PostgreSQL into
 * fresh PostgreSQL databases through `init` + `apply`, compared value by value; then `plan
 * --detailed-exitcode` says nothing is left to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { toSnakeCase } from '../../src/check/naming.js';
import { runCli } from '../support/cli.js';
import { mysqlRows, postgresConstraintCount, postgresRows, postgresTables, sameValue, sqliteRows, type TextRow } from '../support/compare.js';
import {
  CHINOOK_SQLITE,
  createMysqlDatabase,
  createPostgresDatabase,
  loadChinookMysql,
  loadChinookPostgres,
  mysqlAvailable,
  postgresAvailable,
  type TestDatabase,
} from '../support/servers.js';

const haveMysql = await mysqlAvailable();
const havePostgres = await postgresAvailable();

const CHINOOK_TABLES = ['Album', 'Artist', 'Customer', 'Employee', 'Genre', 'Invoice', 'InvoiceLine', 'MediaType', 'Playlist', 'PlaylistTrack', 'Track'];
const PRIMARY_KEYS: Record<string, string[]> = {
  Album: ['AlbumId'],
  Artist: ['ArtistId'],
  Customer: ['CustomerId'],
  Employee: ['EmployeeId'],
  Genre: ['GenreId'],
  Invoice: ['InvoiceId'],
  InvoiceLine: ['InvoiceLineId'],
  MediaType: ['MediaTypeId'],
  Playlist: ['PlaylistId'],
  PlaylistTrack: ['PlaylistId', 'TrackId'],
  Track: ['TrackId'],
};

function workDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'dmsplan-test-'));
}

function expectSameRows(label: string, source: { columns: string[]; rows: TextRow[] }, target: { columns: string[]; rows: TextRow[] }, columnName: (c: string) => string) {
  expect(target.rows.length, `${label}: row count`).toBe(source.rows.length);
  const targetIndex = source.columns.map((c) => target.columns.indexOf(columnName(c)));
  expect(targetIndex.every((i) => i >= 0), `${label}: every source column exists in the target (${target.columns.join(', ')})`).toBe(true);
  for (let r = 0; r < source.rows.length; r++) {
    for (let c = 0; c < source.columns.length; c++) {
      const a = source.rows[r]![c]!;
      const b = target.rows[r]![targetIndex[c]!]!;
      if (!sameValue(a, b)) expect(`${label} row ${r} ${source.columns[c]}: ${b}`).toBe(`${label} row ${r} ${source.columns[c]}: ${a}`);
    }
  }
}

/** init → plan file, then apply, then `plan --detailed-exitcode` must say 0. */
async function initApplyReplan(sourceUrl: string, targetUrl: string) {
  const env = { SOURCE_URL: sourceUrl, TARGET_URL: targetUrl };
  const init = await runCli(['init', '--from', sourceUrl, '--to', targetUrl]);
  expect(init.stderr).toBe('');
  expect(init.code).toBe(0);
  expect(init.stdout).toContain('env("SOURCE_URL")');
  expect(init.stdout).not.toContain(sourceUrl);
  expect(init.stdout).not.toContain(targetUrl);
  const file = path.join(workDir(), 'plan.dmsplan');
  writeFileSync(file, init.stdout);
  expect((await runCli(['fmt', '--check', file])).code).toBe(0);

  const plan = await runCli(['plan', file, '--detailed-exitcode'], env);
  expect(plan.stderr.replace(/^.*warning\[.*$/gm, '').trim()).toBe('');
  expect(plan.code).toBe(2);
  expect(plan.stdout).toMatch(/Plan: 11 tables to create, 11 to load/);

  const apply = await runCli(['apply', file, '--auto-approve'], env);
  expect(apply.stdout + apply.stderr).toMatch(/Apply complete/);
  expect(apply.code).toBe(0);

  const again = await runCli(['plan', file, '--detailed-exitcode'], env);
  expect(again.stdout).toContain('No changes.');
  expect(again.code).toBe(0);
  return { file, env };
}

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!haveMysql || !havePostgres)('Chinook MariaDB → PostgreSQL', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    source = await createMysqlDatabase('chinook_src');
    target = await createPostgresDatabase('chinook_dst');
    await loadChinookMysql(source);
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it('init + apply copies all 11 tables value by value, with keys, and leaves nothing to do', async () => {
    await initApplyReplan(source.url, target.url);
    const schema = toSnakeCase(source.name);
    expect(await postgresTables(target.url, schema)).toEqual(CHINOOK_TABLES.map(toSnakeCase).sort());
    expect(await postgresConstraintCount(target.url, schema, 'PRIMARY KEY')).toBe(11);
    expect(await postgresConstraintCount(target.url, schema, 'FOREIGN KEY')).toBe(11);
    for (const table of CHINOOK_TABLES) {
      const pk = PRIMARY_KEYS[table]!;
      const s = await mysqlRows(source.url, table, pk);
      const t = await postgresRows(target.url, schema, toSnakeCase(table), pk.map(toSnakeCase));
      expectSameRows(table, s, t, toSnakeCase);
    }
  });

  it('names the endpoint without its password when the server refuses the login', async () => {
    const admin = await mysql.createConnection({ uri: 'mysql://root@127.0.0.1:3306/' });
    await admin.query(`CREATE USER IF NOT EXISTS 'dms_wrong'@'%' IDENTIFIED BY 'right-password'`);
    await admin.query(`CREATE USER IF NOT EXISTS 'dms_wrong'@'localhost' IDENTIFIED BY 'right-password'`);
    await admin.end();
    const secret = 'Wr0ng-S3cret';
    const url = `mysql://dms_wrong:${secret}@127.0.0.1:3306/${source.name}`;
    const r = await runCli(['init', '--from', url, '--to', target.url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('mysql://dms_wrong:***@127.0.0.1:3306');
    expect(r.stderr).not.toContain(secret);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!havePostgres)('Chinook SQLite → PostgreSQL', () => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await createPostgresDatabase('chinook_sqlite_dst');
  });
  afterAll(async () => {
    await target?.drop();
  });

  it('init + apply copies every table value by value', async () => {
    await initApplyReplan(`sqlite:${CHINOOK_SQLITE}`, target.url);
    expect(await postgresTables(target.url, 'public')).toEqual(CHINOOK_TABLES.map(toSnakeCase).sort());
    expect(await postgresConstraintCount(target.url, 'public', 'PRIMARY KEY')).toBe(11);
    expect(await postgresConstraintCount(target.url, 'public', 'FOREIGN KEY')).toBe(11);
    for (const table of CHINOOK_TABLES) {
      const pk = PRIMARY_KEYS[table]!;
      const s = sqliteRows(CHINOOK_SQLITE, table, pk);
      const t = await postgresRows(target.url, 'public', toSnakeCase(table), pk.map(toSnakeCase));
      expectSameRows(table, s, t, toSnakeCase);
    }
  });
});

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!havePostgres)('Chinook PostgreSQL → PostgreSQL', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    source = await createPostgresDatabase('chinook_pg_src');
    target = await createPostgresDatabase('chinook_pg_dst');
    await loadChinookPostgres(source);
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it('init + apply copies every table value by value with keys', async () => {
    await initApplyReplan(source.url, target.url);
    const tables = await postgresTables(source.url, 'public');
    expect(tables).toHaveLength(11);
    expect(await postgresTables(target.url, 'public')).toEqual(tables);
    expect(await postgresConstraintCount(target.url, 'public', 'PRIMARY KEY')).toBe(11);
    expect(await postgresConstraintCount(target.url, 'public', 'FOREIGN KEY')).toBe(11);
    for (const table of tables) {
      const pk = table === 'playlist_track' ? ['playlist_id', 'track_id'] : [`${table}_id`];
      const s = await postgresRows(source.url, 'public', table, pk);
      const t = await postgresRows(target.url, 'public', table, pk);
      expectSameRows(table, s, t, (c) => c);
    }
  });

  it('an unreachable server is one line naming the endpoint without its password', async () => {
    const r = await runCli(['init', '--from', 'postgres://app:TopSecret1@127.0.0.1:1/nowhere', '--to', target.url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('postgres://app:***@127.0.0.1:1/nowhere');
    expect(r.stderr).not.toContain('TopSecret1');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
