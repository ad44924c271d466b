/**
 * PostgreSQL views are tables of kind 'view' in the catalog: a map leaves them out (and the plan
 * says so) unless it says `views = include`, which copies a view's rows into a table. Materialized
 * views stay listed as not migrated (the source's functions are made on the target: carry-routines).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, postgresAvailable, runPostgres, type TestDatabase } from '../../support/servers.js';
import { expectApplied, migrate, postgresText } from './support.js';

// Probed once at module load: the suite needs the live PostgreSQL (skipped without it, unless CI).
const ready = await postgresAvailable();

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!ready)('PostgreSQL views', () => {
  let source: TestDatabase;
  let target: TestDatabase;

  beforeAll(async () => {
    [source, target] = await Promise.all([createPostgresDatabase('fid_views_src'), createPostgresDatabase('fid_views_dst')]);
    await runPostgres(
      source.url,
      `CREATE TABLE orders (id int PRIMARY KEY, amount numeric(10,2) NOT NULL, note text);
       INSERT INTO orders SELECT g, g * 1.25, CASE WHEN g % 2 = 0 THEN 'é😀 ' || g END FROM generate_series(1, 40) g;
       CREATE VIEW big_orders AS SELECT id, amount * 2 AS doubled, note FROM orders WHERE amount > 30;
       CREATE MATERIALIZED VIEW order_totals AS SELECT sum(amount) AS total FROM orders;
       CREATE FUNCTION one() RETURNS int LANGUAGE sql AS 'SELECT 1';`,
    );
  }, 60_000);

  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it('are left out by default, and listed as not migrated', async () => {
    const run = await migrate({ engine: 'postgres', url: source.url }, 'public', { engine: 'postgres', url: target.url }, 'no_views');
    expectApplied(run);
    expect(run.stdout).toMatch(/big_orders.*views = include/);
    expect(run.stdout).toMatch(/order_totals/);
    const tables = await postgresText(target.url, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'no_views' ORDER BY 1`);
    expect(tables.map((t) => t.table_name)).toEqual(['orders']);
  });

  it('are copied into tables with `views = include`, rows and column types', async () => {
    const run = await migrate({ engine: 'postgres', url: source.url }, 'public', { engine: 'postgres', url: target.url }, 'with_views', '  views = include');
    expectApplied(run);
    expect(run.stdout).toMatch(/validate with_views\.big_orders \(checksums\).*checksums match/);
    const got = await postgresText(target.url, 'SELECT id, doubled, note FROM with_views.big_orders ORDER BY id');
    const want = await postgresText(source.url, 'SELECT id, doubled, note FROM big_orders ORDER BY id');
    expect(want.length).toBe(16);
    expect(got).toEqual(want);
    const types = await postgresText(target.url, `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'with_views' AND table_name = 'big_orders' ORDER BY ordinal_position`);
    expect(types.map((t) => [t.column_name, t.data_type])).toEqual([['id', 'integer'], ['doubled', 'numeric'], ['note', 'text']]);
    const kinds = await postgresText(target.url, `SELECT relkind::text AS k FROM pg_class WHERE oid = 'with_views.big_orders'::regclass`);
    expect(kinds[0]?.k).toBe('r');
  });
});
