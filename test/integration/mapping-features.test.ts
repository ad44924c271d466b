/**
 * Every construct of a `map` block runs end to end against live servers: table and column
 * renames, naming policy, row filters (expression and raw SQL), dropped, added and computed
 * columns, masks, per-column type overrides, chunk settings, excludes and views.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runCli } from '../support/cli.js';
import { createMysqlDatabase, createPostgresDatabase, mysqlAvailable, postgresAvailable, runMysql, type TestDatabase } from '../support/servers.js';

const ready = (await mysqlAvailable()) && (await postgresAvailable());

async function rows(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url, types: { getTypeParser: () => (v: string) => v } as never });
  await c.connect();
  try {
    return (await c.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await c.end();
  }
}

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!ready)('map constructs end to end (MariaDB → PostgreSQL)', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    source = await createMysqlDatabase('features_src');
    target = await createPostgresDatabase('features_dst');
    await runMysql(
      source.url,
      `CREATE TABLE CustomerAccount (
         CustomerId INT PRIMARY KEY,
         FirstName VARCHAR(40) NOT NULL,
         City VARCHAR(40),
         Email VARCHAR(80),
         Phone VARCHAR(24),
         Secret VARCHAR(40),
         Balance DECIMAL(12,4) NOT NULL,
         SignedUp DATETIME NOT NULL
       );
       INSERT INTO CustomerAccount
         SELECT seq, CONCAT('Name', seq), IF(seq % 3 = 0, NULL, CONCAT('City', seq % 5)), CONCAT('user', seq, '@example.com'),
                CONCAT('+1 555 01', LPAD(seq, 2, '0')), 'hunter2', seq * 1.2345, TIMESTAMP('2020-01-01') + INTERVAL seq DAY
         FROM seq_1_to_250;
       CREATE TABLE TempStuff (id INT PRIMARY KEY);
       CREATE VIEW BigSpenders AS SELECT CustomerId, Balance FROM CustomerAccount WHERE Balance > 300;`,
    );
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it('applies renames, filters, drops, adds, masks, overrides and chunks', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dmsplan-features-'));
    const file = path.join(dir, 'features.dmsplan');
    writeFileSync(
      file,
      `
migration features {
  validate = checksums
}
source src mysql {
  url = env("SRC_URL")
}
target dst postgres {
  url = env("DST_URL")
}
map src.${source.name}.* -> dst.app.* {
  names = snake_case
  views = include
  exclude /^temp/i
  table BigSpenders {
    where raw "Balance < 306"
    mask  CustomerId = 0
  }
  table CustomerAccount -> customers {
    where   CustomerId > 10 and (City is not null or CustomerId between 100 and 120)
    rename  FirstName -> given_name
    drop    Secret
    add     origin text = 'mariadb'
    add     label varchar(60) = concat(FirstName, ' from ', coalesce(City, 'nowhere'))
    mask    Email = hash
    mask    Phone = randomize_digits
    mask    City = redact
    column  Balance numeric(14, 2) using cast lossy
    chunk   rows = 40 by CustomerId
  }
}
`,
    );
    const env = { SRC_URL: source.url, DST_URL: target.url };
    const plan = await runCli(['plan', file], env);
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toContain('+ table app.customers');
    expect(plan.stdout).toContain('+ table app.big_spenders');
    expect(plan.stdout).not.toContain('temp_stuff');
    expect(plan.stdout).toMatch(/balance\s+decimal\(12,4\) → numeric\(14,2\)/);

    const apply = await runCli(['apply', file, '--auto-approve'], env);
    expect(apply.stdout + apply.stderr).toMatch(/Apply complete/);
    expect(apply.code).toBe(0);

    const got = await rows(target.url, 'SELECT * FROM app.customers ORDER BY customer_id');
    // The filter, evaluated by MariaDB: id > 10 and (a city, or 100..120).
    const expectedIds = Array.from({ length: 250 }, (_, i) => i + 1).filter((id) => id > 10 && (id % 3 !== 0 || (id >= 100 && id <= 120)));
    expect(got.map((r) => Number(r.customer_id))).toEqual(expectedIds);
    const first = got[0]!;
    expect(Object.keys(first).sort()).toEqual(['balance', 'city', 'customer_id', 'email', 'given_name', 'label', 'origin', 'phone', 'signed_up'].sort());
    expect(first.given_name).toBe('Name11');
    expect(first.origin).toBe('mariadb');
    expect(first.label).toBe('Name11 from City1'); // computed from the source value, before masks
    expect(first.city).toBe('xxxxx');
    expect(got.find((r) => r.customer_id === '102')!.label).toBe('Name102 from nowhere');
    // Balance 11 * 1.2345 = 13.5795 → numeric(14,2) under the lossy override.
    expect(first.balance).toBe('13.58');
    // Masks: hash is deterministic and hides the value; digits are replaced, the layout kept.
    expect(first.email).not.toContain('@');
    expect(String(first.email)).toMatch(/^[0-9a-f]{64}$/);
    expect(String(first.phone)).toMatch(/^\+\d \d{3} \d{4}$/);
    expect(first.phone).not.toBe('+1 555 0111');
    // The view's rows were copied into a table, filtered by raw SQL, with a fixed-value mask.
    const spenders = await rows(target.url, 'SELECT count(*) AS n, min(customer_id) AS lo, max(customer_id) AS hi FROM app.big_spenders');
    expect(Number(spenders[0]!.n)).toBe(Array.from({ length: 250 }, (_, i) => (i + 1) * 1.2345).filter((b) => b > 300 && b < 306).length);
    expect([spenders[0]!.lo, spenders[0]!.hi]).toEqual(['0', '0']);
    // The chunk setting split the copy: 40-row chunks over the key.
    const chunks = await rows(target.url, `SELECT count(*) AS n FROM _dmsplan.chunks`);
    expect(Number(chunks[0]!.n)).toBeGreaterThan(3);
  });
});
