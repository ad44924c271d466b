/**
 * MariaDB → MariaDB, every supported MySQL type: the built-in rules keep every type as it is, so
 * every value — zero dates, TIME ±838:59:59, NUL in text, BINARY padding, latin1 — arrives unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliRun } from '../../support/cli.js';
import { createMysqlDatabase, mysqlAvailable, type TestDatabase } from '../../support/servers.js';
import { mysqlColumns } from './mysql-columns.js';
import { buildRows, compareRows, expectApplied, insertRows, migrate, mysqlText, quoteMysql, selectList, withMysql } from './support.js';

// Probed once at module load: the suite needs the live MariaDB (skipped without it, unless CI).
const ready = await mysqlAvailable();

const columns = mysqlColumns('mysql');

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!ready)('fidelity MariaDB → MariaDB', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let run: CliRun;
  const rows = buildRows(columns);

  beforeAll(async () => {
    [source, target] = await Promise.all([createMysqlDatabase('fid_my2my_src'), createMysqlDatabase('fid_my2my_dst')]);
    await withMysql(source.url, async (c) => {
      await c.query(`CREATE TABLE every_type (id int PRIMARY KEY, ${columns.map((col) => `${quoteMysql(col.name)} ${col.type}`).join(', ')})`);
      await insertRows((sql, params) => c.query(sql, params), 'every_type', quoteMysql, columns, rows.rows, () => '?');
    });
    run = await migrate({ engine: 'mysql', url: source.url }, source.name, { engine: 'mysql', url: target.url }, target.name);
  }, 60_000);

  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it('applies and validates by checksums', () => {
    expectApplied(run);
    expect(run.stdout).toMatch(/validate \S*every_type \(checksums\).*checksums match/);
  });

  it('every value arrives unchanged', async () => {
    const got = await mysqlText(target.url, `SELECT ${selectList(columns, quoteMysql, 'target')} FROM every_type ORDER BY id`);
    const want = await mysqlText(source.url, `SELECT ${selectList(columns, quoteMysql, 'source')} FROM every_type ORDER BY id`);
    expect(want.length).toBe(rows.rows.length);
    expect(compareRows(columns, want, got, rows.seed)).toEqual([]);
  });

  it('rejects nothing', async () => {
    // MySQL's control schema `_dmsplan` is one per server: this target's rows are those naming its database.
    expect(await mysqlText(target.url, `SELECT row_key, column_name, reason FROM _dmsplan.rejects WHERE target_table LIKE '${target.name}.%'`)).toEqual([]);
  });

  it('keeps the column types, character sets and collations (a copy compares, sorts and keys text as its source does)', async () => {
    const types = (url: string, db: string) =>
      mysqlText(url, `SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t, CHARACTER_SET_NAME AS cs, COLLATION_NAME AS co FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${db}' ORDER BY ORDINAL_POSITION`);
    const sourceTypes = await types(source.url, source.name);
    const targetTypes = await types(target.url, target.name);
    expect(targetTypes).toEqual(sourceTypes);
    expect(new Set(targetTypes.map((r) => r.cs).filter((cs) => cs !== null))).toContain('latin1');
  });
});
