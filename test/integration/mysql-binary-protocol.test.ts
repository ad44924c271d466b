/**
 * MySQL → PostgreSQL reads MySQL through the binary protocol (prepared statements), and a server
 * that refuses prepared statements is read in the text protocol instead: the same rows arrive,
 * and the run says so. A small table reads as text from the start. A private MariaDB, since refusing them is a global setting
 * (`max_prepared_stmt_count = 0`) that must not touch the shared server's other suites.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writePlanFile } from '../support/apply-process.js';
import { MARIADBD, startPrivateMariadb, tryStart } from '../support/private-servers.js';
import { createPostgresDatabase, postgresAvailable, queryPostgres, runMysql, type TestDatabase } from '../support/servers.js';
import mysql from 'mysql2/promise';

const inCI = process.env.CI === 'true';
const server = await tryStart(startPrivateMariadb, MARIADBD);
if (typeof server === 'string') {
  if (inCI) throw new Error(`private MariaDB for the binary-protocol tests: ${server}`);
  console.warn(`[skip] private MariaDB for the binary-protocol tests: ${server}`);
}
const myServer = typeof server === 'string' ? undefined : server;
afterAll(async () => {
  await myServer?.stop();
});
const havePostgres = await postgresAvailable();

async function prepares(url: string): Promise<number> {
  const c = await mysql.createConnection({ uri: url });
  try {
    const [rows] = await c.query("SHOW GLOBAL STATUS LIKE 'Com_stmt_prepare'");
    return Number((rows as { Value: string }[])[0]?.Value ?? 0);
  } finally {
    await c.end();
  }
}

// Above the size under which tables read as text anyway (a round trip per chunk saved).
const ROWS = 30_000;
const CONTENT = `SELECT id, u, d, dt, dd, s FROM t ORDER BY id`;

// Skipped only when the private MariaDB or PostgreSQL cannot run outside CI; under CI=true that fails the run instead.
describe.skipIf(!myServer || !havePostgres)('MySQL binary protocol', () => {
  const source = `${myServer?.url ?? 'mysql://x/'}bin_src`;
  let plan: string;
  const targets: TestDatabase[] = [];
  beforeAll(async () => {
    await runMysql(
      myServer!.url,
      `CREATE DATABASE bin_src;
       CREATE TABLE bin_src.t (id BIGINT UNSIGNED PRIMARY KEY, u INT UNSIGNED, d DOUBLE, dt DATETIME(3), dd DATE, s VARCHAR(30));
       INSERT INTO bin_src.t SELECT seq, seq * 7 % 1000, seq / 7e0, TIMESTAMP('2020-01-01') + INTERVAL seq * 1001 SECOND, IF(seq % 5 = 0, '0000-00-00', DATE('2020-01-01') + INTERVAL seq DAY), CONCAT('é', seq) FROM bin_src.seq_1_to_${ROWS};
       ANALYZE TABLE bin_src.t;`,
    );
    plan = writePlanFile(
      `migration bin { validate = checksums }
       source src mysql { url = env("SRC") }
       target dst postgres { url = env("DST") }
       map src.bin_src.* -> dst.public.* {}`,
    );
  });
  afterAll(async () => {
    for (const t of targets) await t.drop();
  });

  async function applyInto(): Promise<{ readonly code: number; readonly output: string; readonly target: TestDatabase }> {
    const target = await createPostgresDatabase('dms_binproto');
    targets.push(target);
    const run = await runCli(['apply', plan, '--auto-approve'], { SRC: source, DST: target.url });
    return { code: run.code, output: run.stdout + run.stderr, target };
  }

  it('reads through prepared statements, and the rows arrive as the text protocol reads them', async () => {
    const before = await prepares(myServer!.url);
    const { code, output, target } = await applyInto();
    expect(code, output).toBe(0);
    expect(output).not.toMatch(/text protocol instead/);
    expect(await prepares(myServer!.url)).toBeGreaterThan(before);
    const rows = await queryPostgres(target.url, `SELECT count(*)::int AS n, count(dd)::int AS dates, sum(u)::text AS u, min(dt)::text AS first FROM t`);
    expect(rows[0]).toEqual({ n: ROWS, dates: ROWS - ROWS / 5, u: expect.any(String), first: '2020-01-01 00:16:41' });
    expect(await queryPostgres(target.url, `${CONTENT} LIMIT 2`)).toEqual([
      { id: '1', u: '7', d: 1 / 7, dt: expect.any(Date), dd: expect.any(Date), s: 'é1' },
      { id: '2', u: '14', d: 2 / 7, dt: expect.any(Date), dd: expect.any(Date), s: 'é2' },
    ]);
  });

  it('a small table reads as text: no statement is prepared', async () => {
    await runMysql(myServer!.url, `CREATE TABLE bin_src.small (id INT PRIMARY KEY, d DOUBLE); INSERT INTO bin_src.small VALUES (1, 0.5), (2, 1e-300); ANALYZE TABLE bin_src.small;`);
    const small = writePlanFile(
      `migration small { validate = checksums }
       source src mysql { url = env("SRC") }
       target dst postgres { url = env("DST") }
       map src.bin_src.small -> dst.public.small {}`,
    );
    const target = await createPostgresDatabase('dms_binproto');
    targets.push(target);
    const before = await prepares(myServer!.url);
    const run = await runCli(['apply', small, '--auto-approve'], { SRC: source, DST: target.url });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(await prepares(myServer!.url)).toBe(before);
    expect(await queryPostgres(target.url, 'SELECT id, d FROM small ORDER BY id')).toEqual([
      { id: 1, d: 0.5 },
      { id: 2, d: 1e-300 },
    ]);
  });

  it('a server that refuses prepared statements is read in the text protocol, every row arriving', async () => {
    await runMysql(myServer!.url, 'SET GLOBAL max_prepared_stmt_count = 0');
    try {
      const { code, output, target } = await applyInto();
      expect(code, output).toBe(0);
      expect(output).toMatch(/binary protocol was refused.*reading it in the text protocol instead/);
      const [count] = await queryPostgres(target.url, 'SELECT count(*)::int AS n, count(dd)::int AS dates FROM t');
      expect(count).toEqual({ n: ROWS, dates: ROWS - ROWS / 5 });
    } finally {
      await runMysql(myServer!.url, 'SET GLOBAL max_prepared_stmt_count = 16382');
    }
  });
});
