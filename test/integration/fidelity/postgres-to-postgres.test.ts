/**
 * PostgreSQL → PostgreSQL, every supported PostgreSQL type: the built-in rules keep every type, so
 * every value — NaN and ±Infinity, 100-digit numerics, calendar intervals, timetz offsets, arrays
 * with NULL and quoted elements, json text exactly as written — arrives unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliRun } from '../../support/cli.js';
import { createPostgresDatabase, postgresAvailable, type TestDatabase } from '../../support/servers.js';
import { createPostgresSource, postgresColumns } from './postgres-columns.js';
import { buildRows, compareRows, expectApplied, migrate, postgresText, quotePg, selectList } from './support.js';

// Probed once at module load: the suite needs the live PostgreSQL (skipped without it, unless CI).
const ready = await postgresAvailable();

const columns = postgresColumns('postgres');

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!ready)('fidelity PostgreSQL → PostgreSQL', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let run: CliRun;
  const rows = buildRows(columns);

  beforeAll(async () => {
    [source, target] = await Promise.all([createPostgresDatabase('fid_pg2pg_src'), createPostgresDatabase('fid_pg2pg_dst')]);
    await createPostgresSource(source.url, source.name, columns, rows.rows);
    run = await migrate({ engine: 'postgres', url: source.url }, 'public', { engine: 'postgres', url: target.url }, 'fid');
  }, 60_000);

  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it('applies and validates by checksums', () => {
    expectApplied(run);
    expect(run.stdout).toMatch(/validate fid\.every_type \(checksums\).*checksums match/);
  });

  it('every value arrives unchanged', async () => {
    const got = await postgresText(target.url, `SELECT ${selectList(columns, quotePg, 'target')} FROM fid.every_type ORDER BY id`);
    const want = await postgresText(source.url, `SELECT ${selectList(columns, quotePg, 'source')} FROM every_type ORDER BY id`);
    expect(want.length).toBe(rows.rows.length);
    expect(compareRows(columns, want, got, rows.seed)).toEqual([]);
    expect(await postgresText(target.url, 'SELECT row_key, column_name, reason FROM _dmsplan.rejects')).toEqual([]);
  });

  it('keeps the column types (time and interval without a precision are precision 6)', async () => {
    const types = (url: string, schema: string) =>
      postgresText(url, `SELECT attname AS c, format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = '${schema}.every_type'::regclass AND attnum > 0 ORDER BY attnum`);
    const precise = (t: string | null | undefined) => (t === 'time without time zone' ? 'time(6) without time zone' : t === 'interval' ? 'interval(6)' : t);
    const want = (await types(source.url, 'public')).map((r) => ({ ...r, t: precise(r.t) }));
    expect((await types(target.url, 'fid')).map((r) => ({ ...r, t: precise(r.t?.replace(/^fid\./, '') ?? null) }))).toEqual(want);
  });
});
